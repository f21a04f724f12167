"""Flows of the inbox the views and tasks start: check a reply, route to an expert, triage, presence (sending a
reply is inbox/sending.py)."""

from django.utils import timezone

from inbox.models import Message, Presence, Reply
from inbox.selectors import forget_counts
from publishing.adapters import get_adapter
from publishing.adapters.base import Problem
from publishing.vocabulary import ProblemLevel

State = Reply.State


# Replies -----------------------------------------------------------------------------------------------------------


# What `validate` may say that concerns a reply's text; media rules (Instagram's required image) are for posts.
TEXT_PROBLEMS = {"empty", "too_long", "too_many_bytes"}


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
    """Send a visitor's question to a curator, who sees it under "Questions for me" and drafts an answer."""
    Message.objects.filter(pk=message.pk).update(
        routed_to=expert, route_note=note, routed_by=by, routed_at=timezone.now()
    )


def answer_draft(*, message: Message, text: str, by) -> Reply:
    """The expert's draft: one per message, edited in place until the community manager sends it."""
    draft = message.replies.filter(state=State.DRAFT).order_by("-pk").first()
    if draft is None:
        return Reply.objects.create(message=message, author=by, text=text, state=State.DRAFT)
    Reply.objects.filter(pk=draft.pk, state=State.DRAFT).update(text=text, author=by, updated_at=timezone.now())
    draft.refresh_from_db()
    return draft


# Presence ----------------------------------------------------------------------------------------------------------


def presence_mark(*, message: Message, user, activity: str = Presence.Activity.VIEWING) -> None:
    Presence.objects.update_or_create(
        message=message, user=user, defaults={"activity": activity, "seen_at": timezone.now()}
    )


def presence_leave(*, message: Message, user) -> None:
    Presence.objects.filter(message=message, user=user).delete()
