from django.contrib import messages as flash
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from inbox import selectors, services
from inbox.forms import BulkForm, FilterForm
from inbox.models import Message, SyncCursor
from inbox.selectors import Filters
from inbox.sync import accounts_without_inbox
from museumcm.http import HtmxHttpRequest, safe_next

PAGE_SIZE = 50
MAX_PAGES = 10_000


def _filters(form: FilterForm) -> Filters:
    if not form.is_bound:
        return Filters()
    form.is_valid()  # invalid fields drop out of cleaned_data: a stale link still shows the inbox
    data = form.cleaned_data
    return Filters(
        network=data.get("network") or "",
        account=data["account"].pk if data.get("account") else None,
        status=data.get("status", Message.Status.OPEN) if "status" in form.data else Message.Status.OPEN,
        assignee=data.get("assignee") or "",
        campaign=data["campaign"].pk if data.get("campaign") else None,
        post=data.get("post"),
        kind=data.get("kind") or "",
        q=data.get("q") or "",
        held=bool(data.get("held")),
    )


def _page_number(request) -> int:
    """The page asked for; there is none past MAX_PAGES (an offset far beyond any inbox, or the database's integers)."""
    value = request.GET.get("page", "1")
    if not value.isdigit():
        return 1
    if len(value) > len(str(MAX_PAGES)) or int(value) > MAX_PAGES:
        raise Http404
    return max(1, int(value))


@permission_required("inbox.view_message", raise_exception=True)
def inbox(request: HtmxHttpRequest):
    form = FilterForm(request.GET or None, initial={"status": Message.Status.OPEN})
    filters = _filters(form)
    number = _page_number(request)
    offset = (number - 1) * PAGE_SIZE
    # Read before the rows: a message that a sync commits while the page is drawn is then either among the rows or
    # newer than what the poller asks after. Read after, it could be neither, and never appear until a reload.
    latest_id = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rows = selectors.inbox_page(filters=filters, user=request.user, offset=offset, limit=PAGE_SIZE + 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": selectors.attach_presences(rows[:PAGE_SIZE], exclude_user=request.user),
        "page": number,
        "has_next": len(rows) > PAGE_SIZE,
        "query": query.urlencode(),
        "latest_id": latest_id,
        "counts": selectors.network_counts(),
        "bulk_form": BulkForm(),
        "filtered_post": filters.post,
    }
    if request.htmx and request.htmx.target == "inbox-results":
        return render(request, "inbox/inbox.html#results", context)
    context["response_times"] = selectors.response_times()
    context["without_inbox"] = accounts_without_inbox()
    context["cursors"] = SyncCursor.objects.select_related("account").order_by("account__network", "account__handle")
    return render(request, "inbox/inbox.html", context)


@permission_required("inbox.view_message", raise_exception=True)
def inbox_new(request: HtmxHttpRequest):
    """Polled by the list: rows that arrived since the page was drawn, plus fresh counts (out of band)."""
    after = request.GET.get("after", "0")
    after = int(after) if after.isdigit() else 0
    filters = _filters(FilterForm(request.GET or None))
    # The oldest arrivals first, so that a burst bigger than a page (an account's first sync) reaches the list over
    # several polls instead of the first poll's mark skipping what it could not hold; shown in the list's order.
    new = selectors.inbox_messages(filters=filters, user=request.user).filter(pk__gt=after)
    rows = list(new.filter(pk__in=new.order_by("pk").values("pk")[:PAGE_SIZE]))
    selectors.attach_presences(rows, exclude_user=request.user)
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "rows": rows,
        "latest_id": max([after, *(row.pk for row in rows)]),
        "query": query.urlencode(),
        "counts": selectors.network_counts(),
        "new": True,
    }
    return render(request, "inbox/inbox.html#new", context)


@require_POST
@permission_required("inbox.answer_message", raise_exception=True)
def inbox_bulk(request: HtmxHttpRequest):
    form = BulkForm(request.POST)
    back = safe_next(request, reverse("inbox"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                flash.error(request, error)
        return redirect(back)
    ids = [message.pk for message in form.cleaned_data["ids"]]
    action = form.cleaned_data["action"]
    if action == "assign":
        count = services.messages_assign(ids=ids, assignee=form.cleaned_data["assignee"])
    else:
        count = services.messages_set_status(ids=ids, status=action)
    flash.success(
        request, ngettext("%(count)d message updated.", "%(count)d messages updated.", count) % {"count": count}
    )
    return redirect(f"{back}#message-{ids[0]}" if ids else back)  # focus returns to what was changed


@require_POST
@permission_required("inbox.answer_message", raise_exception=True)
def inbox_refresh(request: HtmxHttpRequest):
    """ "Refresh now": one sync task per connected account (a sync already running is not doubled)."""
    services.inbox_refresh()
    flash.info(request, _("Checking the networks for new messages…"))
    return redirect(safe_next(request, reverse("inbox")))
