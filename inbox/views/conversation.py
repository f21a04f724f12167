from django.contrib import messages as flash
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbox import selectors, sending, services
from inbox.forms import AssignForm, ReplyForm, RouteForm
from inbox.models import Message, Presence, Reply, SavedReply
from inbox.reply_panels import reply_panel
from museumcm.http import HtmxHttpRequest, safe_next
from publishing.adapters import ADAPTERS


def _message(pk: int) -> Message:
    return get_object_or_404(
        Message.objects.select_related("account", "assignee", "routed_to", "routed_by", "publication__post"), pk=pk
    )


def conversation_context(request, message: Message, *, reply_form: ReplyForm | None = None) -> dict:
    """Everything the conversation page shows; shared by the page and the forms that re-render it with errors."""
    thread = selectors.conversation_thread(message)
    in_thread = [m.pk for m, _depth in thread]
    root = thread[0][0]
    adapter = ADAPTERS.get(message.account.behaves_as)
    draft = next(
        (r for m, _d in thread if m.pk == message.pk for r in m.our_replies if r.state == Reply.State.DRAFT), None
    )
    if reply_form is None:
        saved = SavedReply.objects.filter(pk=request.GET.get("saved") or 0).first()
        text = saved.fill_placeholders(message) if saved else (draft.text if draft else "")
        reply_form = ReplyForm(initial={"text": text})
    return {
        "message": message,
        "thread": thread,
        "publication": root.publication or message.publication,
        "history": selectors.author_history(message, exclude=in_thread),
        "can_reply": bool(adapter and adapter.can_reply) and not message.deleted,
        "network_can_reply": bool(adapter and adapter.can_reply),
        "reply_form": reply_form,
        "draft": draft,
        "saved_replies": [(saved, saved.fill_placeholders(message)) for saved in SavedReply.objects.all()],
        "assign_form": AssignForm(initial={"assignee": message.assignee_id}),
        "route_form": RouteForm(initial={"expert": message.routed_to_id, "note": message.route_note}),
        "presences": selectors.live_presences(message=message, exclude_user=request.user),
        "reply_panel": reply_panel(request, message) if request.user.has_perm("inbox.answer_message") else None,
        "pending": any(r.state in (Reply.State.QUEUED, Reply.State.SENDING) for m, _d in thread for r in m.our_replies),
    }


@permission_required("inbox.view_message", raise_exception=True)
def conversation(request: HtmxHttpRequest, pk: int):
    message = _message(pk)
    services.messages_mark_read(ids=[message.pk])
    services.presence_mark(message=message, user=request.user)
    context = conversation_context(request, message)
    if request.htmx and request.htmx.target == "thread":
        return render(request, "inbox/conversation.html#thread", context)
    if request.htmx and request.htmx.target == "conversation-pane":
        return render(request, "inbox/conversation.html#pane", context)
    return render(request, "inbox/conversation.html", context)


@require_POST
@permission_required("inbox.answer_message", raise_exception=True)
def reply(request: HtmxHttpRequest, pk: int):
    message = _message(pk)
    if refused := services.reply_refused(message=message):  # the page shows why instead of a reply form
        flash.error(request, refused)
        return redirect(reverse("inbox_conversation", args=[message.pk]) + "#reply")
    form = ReplyForm(request.POST)
    if form.is_valid():
        for problem in services.reply_problems(message=message, text=form.cleaned_data["text"]):
            form.add_error("text", problem.message)
    if form.is_valid():
        with transaction.atomic():
            sending.reply_queue(message=message, text=form.cleaned_data["text"], by=request.user)
        flash.success(request, _("Your reply is on its way."))
        return redirect(reverse("inbox_conversation", args=[message.pk]) + "#thread")
    return render(request, "inbox/conversation.html", conversation_context(request, message, reply_form=form))


@require_POST
@permission_required("inbox.answer_message", raise_exception=True)
def retry(request: HtmxHttpRequest, pk: int):
    answer = get_object_or_404(Reply, pk=pk)
    with transaction.atomic():
        if sending.reply_retry(reply=answer, by=request.user):
            flash.success(request, _("Trying again to send the reply."))
        else:
            flash.info(request, _("This reply is not waiting for a retry any more."))
    return redirect(reverse("inbox_conversation", args=[answer.message_id]) + "#thread")


@require_POST
@permission_required("inbox.answer_message", raise_exception=True)
def set_status(request: HtmxHttpRequest, pk: int):
    message = _message(pk)
    status = request.POST.get("status", "")
    if status in Message.Status.values:
        services.messages_set_status(ids=[message.pk], status=status)
        flash.success(request, _("Marked as %(status)s.") % {"status": Message.Status(status).label.lower()})
    return redirect(safe_next(request, reverse("inbox_conversation", args=[message.pk])))


@require_POST
@permission_required("inbox.answer_message", raise_exception=True)
def assign(request: HtmxHttpRequest, pk: int):
    message = _message(pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        services.messages_assign(ids=[message.pk], assignee=assignee)
        if assignee:
            flash.success(request, _("Assigned to %(name)s.") % {"name": assignee})
        else:
            flash.success(request, _("No one is assigned any more."))
    else:
        flash.error(request, _("Choose someone from the team."))
    return redirect(reverse("inbox_conversation", args=[message.pk]))


@require_POST
@permission_required("inbox.answer_message", raise_exception=True)
def route(request: HtmxHttpRequest, pk: int):
    message = _message(pk)
    form = RouteForm(request.POST)
    if not form.is_valid():
        context = conversation_context(request, message)
        context["route_form"] = form
        return render(request, "inbox/conversation.html", context)
    expert = form.cleaned_data["expert"]
    services.message_route(message=message, expert=expert, note=form.cleaned_data["note"], by=request.user)
    flash.success(request, _("Asked %(name)s for an answer.") % {"name": expert})
    return redirect(reverse("inbox_conversation", args=[message.pk]))


@permission_required("inbox.view_message", raise_exception=True)
def presence(request: HtmxHttpRequest, pk: int):
    """Polled by the open conversation: keeps our marker alive and shows who else is here."""
    message = get_object_or_404(Message, pk=pk)
    activity = request.POST.get("activity") if request.method == "POST" else None
    if activity not in Presence.Activity.values:
        activity = Presence.Activity.VIEWING
        current = message.presences.filter(user=request.user).values_list("activity", flat=True).first()
        if request.method == "GET" and current == Presence.Activity.REPLYING:
            activity = current  # still writing: a poll must not downgrade it
    services.presence_mark(message=message, user=request.user, activity=activity)
    context = {"message": message, "presences": selectors.live_presences(message=message, exclude_user=request.user)}
    return render(request, "inbox/conversation.html#presence", context)


@permission_required("inbox.view_message", raise_exception=True)
def replies(request: HtmxHttpRequest, pk: int):
    """Polled while a reply is on its way: the thread with its replies' current states."""
    return render(request, "inbox/conversation.html#thread", conversation_context(request, _message(pk)))
