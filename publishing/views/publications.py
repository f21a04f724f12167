"""What a person does about one publication (the post's status block, served by the editorial calendar, offers it)."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from museumcm.http import HtmxHttpRequest, safe_next
from publishing import services
from publishing.forms import MarkPublishedForm, RescheduleForm
from publishing.models import Publication


def _simple(service, done, refused):
    """`done` and `refused` are lazy: built at import, each message is said in its reader's language."""

    def run(request, publication):
        if service(publication=publication):
            messages.success(request, done)
        else:
            messages.error(request, refused)

    return run


def _reschedule(request, publication):
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["at"]))
    elif services.publication_reschedule(publication=publication, at=form.cleaned_data["at"], by=request.user):
        _say_moved(request, publication, _("Rescheduled."))
    else:
        messages.error(request, _("Only a scheduled publication can be rescheduled."))


def _publish_now(request, publication):
    if services.publication_publish_now(publication=publication, by=request.user):
        _say_moved(request, publication, _("Sending now."))
    else:
        messages.error(request, _("It cannot be sent now: only a scheduled publication on a connected account can."))


def _say_moved(request, publication, done: str) -> None:
    publication.refresh_from_db(fields=["state"])
    if publication.state == Publication.State.PENDING:
        messages.warning(request, _("Its time was part of what was approved: the post is back in review."))
    else:
        messages.success(request, done)


def _mark_published(request, publication):
    form = MarkPublishedForm(request.POST)
    url = form.cleaned_data["url"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["url"]))
    elif services.publication_mark_published(publication=publication, url=url):
        messages.success(request, _("Marked as published."))
    else:
        messages.error(request, _("Only a failed or unconfirmed publication can be marked as published."))


# A text meant for a time long gone (a "see you tonight" post, an opening hour) may be out of date: retrying it
# asks first, showing the text and when it was meant to go out.
RETRY_ASKS_AFTER = timedelta(hours=24)
_retry_now = _simple(
    services.publication_retry,
    gettext_lazy("It will be tried again."),
    gettext_lazy("Only a failed publication can be retried."),
)


def _retry(request, publication):
    meant_for = publication.scheduled_at
    if request.POST.get("confirm") == "1" or not meant_for or timezone.now() - meant_for < RETRY_ASKS_AFTER:
        return _retry_now(request, publication)
    confirm = reverse("publication_retry_confirm", args=[publication.pk])
    confirm += "?" + urlencode({"next": safe_next(request, reverse("home"))})
    return HttpResponseClientRedirect(confirm) if request.htmx else redirect(confirm)


@permission_required("publishing.change_publication", raise_exception=True)
def publication_retry_confirm(request: HtmxHttpRequest, pk: int):
    """Asked before retrying a publication whose time is long gone: its text may no longer be true."""
    publication = get_object_or_404(Publication.objects.select_related("post", "account"), pk=pk)
    context = {"p": publication, "next": safe_next(request, reverse("home"))}
    return render(request, "publishing/retry_confirm.html", context)


Action = Publication.Action
ACTIONS = {
    Action.PUBLISH_NOW: _publish_now,
    Action.RETRY: _retry,
    Action.SEND_AGAIN: _simple(
        services.publication_send_again,
        gettext_lazy("It will be sent again."),
        gettext_lazy("Only an unconfirmed publication can be sent again."),
    ),
    Action.CANCEL: _simple(
        services.publication_cancel, gettext_lazy("Cancelled."), gettext_lazy("It is already sent or cancelled.")
    ),
    Action.RESCHEDULE: _reschedule,
    Action.MARK_PUBLISHED: _mark_published,
}


@permission_required("publishing.change_publication", raise_exception=True)
@require_POST
def publication_action(request: HtmxHttpRequest, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    publication = get_object_or_404(Publication.objects.select_related("post"), pk=pk)
    response = ACTIONS[action](request, publication)
    if response is not None:  # the action needs to ask first
        return response
    if request.htmx:  # the status block replaces itself; the messages come along out of band
        return render(request, "publishing/_action_response.html", {"post": publication.post})
    return redirect(safe_next(request, reverse("home")))
