"""Flows of the inbox the views and tasks start: check a reply, route to an expert, triage, presence (sending a
reply is inbox/sending.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from editorial.models import Notification
from editorial.services.notifications import notification_send
from inbox.models import Message, Presence, Reply
from inbox.reply_panels import answered_by_panel
from inbox.selectors import forget_counts
from inbox.sync import syncable_accounts
from museumcm.phrases import Phrase, phrase
from publishing import pipeline
from publishing.adapters import ADAPTERS, get_adapter
from publishing.adapters.base import Problem
from publishing.vocabulary import ProblemLevel

State = Reply.State


# Replies -----------------------------------------------------------------------------------------------------------


# What `validate` may say that concerns a reply's text; media rules (Instagram's required image) are for posts.
TEXT_PROBLEMS = {"empty", "too_long", "too_many_bytes"}


def reply_refused(*, message: Message) -> str:
    """Why no plain reply to this message can go out from here ("" when one can): its network offers no way, its
    channel is answered through its own panel (an approval), or the message was deleted on the network."""
    adapter = ADAPTERS.get(message.account.behaves_as)
    if not adapter or not adapter.can_reply:
        return _("This network offers no way to answer from here: reply on the network itself.")
    if answered_by_panel(message):
        return _(
            "This channel's answers go out from its own panel on the conversation page, not as a plain reply: "
            "nothing was sent."
        )
    if message.deleted:
        return _("This message was deleted on the network: it can no longer be answered.")
    return ""


def inbox_refresh() -> int:
    """ "Refresh now": one sync task per account whose network has an inbox, enqueued after commit (a sync already
    running is not doubled). Returns how many."""
    from inbox.tasks import sync_account

    accounts = syncable_accounts()
    pipeline.enqueue_after_commit(sync_account, [account.pk for account in accounts])
    return len(accounts)


def reply_problems(*, message: Message, text: str) -> list[Problem]:
    """What the message's network says about this text (length counted its way); errors block sending."""
    adapter = get_adapter(message.account)
    return [p for p in adapter.validate(text, []) if p.level == ProblemLevel.ERROR and p.code in TEXT_PROBLEMS]


# Triage ------------------------------------------------------------------------------------------------------------


def messages_set_status(*, ids: list[int], status: str) -> int:
    forget_counts()
    return Message.objects.filter(pk__in=ids).update(status=status)


def messages_assign(*, ids: list[int], assignee) -> int:
    return Message.objects.filter(pk__in=ids).update(assignee=assignee)


def messages_mark_read(*, ids: list[int]) -> int:
    changed = Message.objects.filter(pk__in=ids, read=False).update(read=True)
    if changed:
        forget_counts()
    return changed


# Ask an expert -----------------------------------------------------------------------------------------------------


def message_route(*, message: Message, expert, note: str, by) -> None:
    """Send a visitor's question to a curator, who sees it under "Questions for me" and drafts an answer; the
    curator (and the conversation's assignee, if someone else) hear of it in the app and by e-mail."""
    Message.objects.filter(pk=message.pk).update(
        routed_to=expert, route_note=note, routed_by=by, routed_at=timezone.now()
    )
    text = phrase(
        gettext_noop("%(user)s asks you to answer %(author)s: “%(text)s”"),
        user=str(by),
        author=message.author_name or message.author_handle,
        text=Truncator(message.text).chars(120),
    )
    _notify(
        [expert, message.assignee],
        by=by,
        kind=Notification.Kind.QUESTION_ROUTED,
        text=text,
        url=reverse("inbox_question", args=[message.pk]),
    )


def answer_draft(*, message: Message, text: str, by) -> Reply:
    """The expert's draft: one per message, edited in place until the community manager sends it; whoever routed
    the question (and the conversation's assignee) hear of it in the app and by e-mail."""
    draft = message.replies.filter(state=State.DRAFT).order_by("-pk").first()
    if draft is None:
        draft = Reply.objects.create(message=message, author=by, text=text, state=State.DRAFT)
    else:
        Reply.objects.filter(pk=draft.pk, state=State.DRAFT).update(text=text, author=by, updated_at=timezone.now())
        draft.refresh_from_db()
    note = phrase(
        gettext_noop("%(user)s drafted an answer to %(author)s: review it and send it."),
        user=str(by),
        author=message.author_name or message.author_handle,
    )
    _notify(
        [message.routed_by, message.assignee],
        by=by,
        kind=Notification.Kind.ANSWER_DRAFTED,
        text=note,
        url=reverse("inbox_conversation", args=[message.pk]) + "#reply",
    )
    return draft


def _notify(recipients: list, *, by, kind: str, text: Phrase, url: str) -> None:
    """Everyone concerned but the person who acted; each reads the sentence in their own language."""
    others = [user for user in recipients if user is not None and user.pk != by.pk]
    if others:
        notification_send(recipients=others, kind=kind, event=text, url=url)


# Presence ----------------------------------------------------------------------------------------------------------


def presence_mark(*, message: Message, user, activity: str = Presence.Activity.VIEWING) -> None:
    Presence.objects.update_or_create(
        message=message, user=user, defaults={"activity": activity, "seen_at": timezone.now()}
    )


def presence_leave(*, message: Message, user) -> None:
    Presence.objects.filter(message=message, user=user).delete()
