import time
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import DateOrder

MONTH_FIRST_ENGLISH = "en-us"


class UserPreferencesMiddleware:
    """Speak the signed-in user's language and show times in their time zone (else the institution's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE))
            if user.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            if user.date_order == DateOrder.MONTH_DAY and translation.get_language() == "en":
                translation.activate(MONTH_FIRST_ENGLISH)  # same words, dates from museumcm/formats/en_US
        else:
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Sign out a session left unused for SESSION_IDLE_HOURS (a shared office computer, a forgotten tab).

    The last request's time is kept in the session, written at most once a minute so that browsing does not write
    the session on every request. Signed out, the visitor meets LoginRequiredMiddleware's redirect to sign in.
    """

    KEY = "museumcm_seen_at"
    WRITE_EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def signed_in(cls, sender, request, user, **kwargs) -> None:
        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = int(time.time())

    def __call__(self, request):
        if request.user.is_authenticated:
            now, seen_at = int(time.time()), request.session.get(self.KEY)
            if seen_at is not None and now - seen_at > settings.SESSION_IDLE_HOURS * 3600:
                logout(request)
                messages.info(request, _("You were signed out after a long time without activity."))
            elif seen_at is None or now - seen_at >= self.WRITE_EVERY:
                request.session[self.KEY] = now
        return self.get_response(request)
