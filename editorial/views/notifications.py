"""A person's notifications: the list, opening one (marks it read), marking all read."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from editorial.services.notifications import notifications_mark_read


def notification_list(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notification_open(request, pk: int):
    """Mark read and follow its link (only ever to a path of this site)."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notifications_mark_read(user=request.user, pk=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications")


@require_POST
def notification_read_all(request):
    notifications_mark_read(user=request.user)
    if request.htmx:
        return render(request, "notifications/_bell.html", {"unread_notifications": 0})
    return redirect("notifications")
