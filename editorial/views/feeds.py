"""The iCal feed (no login: the token is the key) and the page to copy or revoke its URL."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editorial.services import feeds as services


@permission_required("editorial.view_post", raise_exception=True)
def feed_settings(request):
    feed = services.feed_for(user=request.user)
    return render(request, "editorial/events/feed.html", {"feed_url": f"{settings.SITE_URL}{feed.get_absolute_url()}"})


@require_POST
@permission_required("editorial.view_post", raise_exception=True)
def feed_revoke(request):
    services.feed_revoke(user=request.user)
    messages.success(request, _("The old address no longer works. Subscribe again with the new one."))
    return redirect("calendar_feed")


@login_not_required
def feed_ics(request, token: str):
    if services.feed_owner(token=token) is None:
        raise Http404
    response = HttpResponse(services.feed_calendar(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="museumcm.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
