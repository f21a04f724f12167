from functools import wraps

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def team_view(permission: str):
    """Signed-in users only (others go to the login page), and a 403 without the permission, htmx or not."""

    def decorate(view):
        return wraps(view)(login_required(permission_required(permission, raise_exception=True)(view)))

    return decorate


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if target and allowed else fallback
