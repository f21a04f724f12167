"""Sign-in throttling behind a reverse proxy (django-axes' client address and lock-out rule).

Behind the proxy every request comes from the proxy's address: locking by that address locked a user out for
everyone. The client's address is read from `X-Forwarded-For`, trusting only the entries that our own `PROXY_COUNT`
proxies appended (each appends the address it received the request from, so the one `PROXY_COUNT` places from the
end is what the outermost of ours saw; anything before it was written by the client and proves nothing).
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The visitor's address as our trusted proxies saw it (`AXES_CLIENT_IP_CALLABLE`)."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:  # did not come through all our proxies: only the connection's address is known
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


class LockoutHandler(AxesDatabaseHandler):
    """Axes' rule (a user name from one address: `AXES_FAILURE_LIMIT`), plus one address across every user name
    (`AXES_ADDRESS_FAILURE_LIMIT`, higher: colleagues share an office's address), within the same cool-off."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Axes decides the lock-out after recording a failure by its own count only: add the address's."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) and self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    @staticmethod
    def address_locked(request) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        return LockoutHandler.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT

    @staticmethod
    def address_failures(request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
