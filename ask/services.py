"""The flows of "Ask the museum": a visitor asks; the team approves an answer (now, or as a question of the day),
reorders the queue, links duplicates. Publishing itself is `ask.publication`, reached through the inbox's reply
pipeline and the channel's adapter."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Subquery
from django.utils import timezone

from ask.models import Question, Theme
from inbox.models import Message
from inbox.sending import reply_queue
from inbox.services import answer_draft
from publishing.models import Network, SocialAccount

State = Question.State


def channel_account() -> SocialAccount:
    """The built-in "Ask the museum" account whose inbox the questions arrive in (made on first use)."""
    account, _created = SocialAccount.objects.get_or_create(
        network=Network.ASK, handle="ask", defaults={"display_name": str(settings.ASK_SITE_NAME)}
    )
    return account


def question_ask(*, text: str, name: str, email: str, language: str, held: bool) -> Question:
    """Store a visitor's question; one that looks like a robot's but may be a person's is held for moderation."""
    return Question.objects.create(
        text=text,
        name=name,
        email=email,
        email_consent_at=timezone.now() if email else None,
        language=language,
        state=State.MODERATION if held else State.RECEIVED,
    )


def question_of(message: Message) -> Question | None:
    """The public question behind an inbox message of the channel (None for other networks' messages)."""
    if message.account.network != Network.ASK:
        return None
    number = message.external_id.removeprefix("question-")
    return Question.objects.filter(pk=number).first() if number.isdigit() else None


def answer_approve(*, message: Message, text: str, by, daily: bool, theme: Theme | None = None) -> Question:
    """The community manager's or manager's approval: out now through the reply pipeline, or into the
    question-of-the-day queue (last place), the text kept as the inbox's draft until its day."""
    question = question_of(message)
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(theme=theme, approved_by=by, answer=text)
        if not daily:
            reply_queue(message=message, text=text, by=by)
        else:
            answer_draft(message=message, text=text, by=by)
            last = Question.objects.queued().aggregate(last=Max("queue_position"))["last"] or 0
            Question.objects.filter(pk=question.pk, state__in=[State.RECEIVED, State.MODERATION]).update(
                state=State.ANSWERED, queue_position=last + 1
            )
    return Question.objects.get(pk=question.pk)


def queue_move(*, question: Question, offset: int) -> None:
    """Move a queued answer up (-1) or down (+1) by swapping places with its neighbour."""
    queue = list(Question.objects.queued())
    index = next((i for i, q in enumerate(queue) if q.pk == question.pk), None)
    if index is None or not 0 <= index + offset < len(queue):
        return
    queue[index], queue[index + offset] = queue[index + offset], queue[index]
    _queue_renumber(queue)


def queue_move_to_day(*, question: Question, day: date, now: datetime | None = None) -> datetime | None:
    """Give a queued answer the slot of `day` (the calendar's drop): the answers between shift by one place.

    A day without a slot (the rhythm skips it, or it is before the next one) means the first slot from that day on;
    a day past the queue's end, its last place. Returns the moment it now goes out (None: it is not queued)."""
    planned = queue_dates(now=now)
    queue = [q for q, _at in planned]
    index = next((i for i, q in enumerate(queue) if q.pk == question.pk), None)
    if index is None:
        return None
    slots = [at for _q, at in planned]
    target = next((i for i, at in enumerate(slots) if timezone.localtime(at).date() >= day), len(slots) - 1)
    queue.insert(target, queue.pop(index))
    _queue_renumber(queue)
    return slots[target]


def _queue_renumber(queue: list[Question]) -> None:
    """Number the queue in this order. Only rows still queued: one the beat released meanwhile stays out (its
    position was cleared when it was claimed), so nothing goes out twice."""
    with transaction.atomic():
        for position, row in enumerate(queue, start=1):
            Question.objects.filter(pk=row.pk, queue_position__isnull=False).update(queue_position=position)


def queue_dates(*, now: datetime | None = None) -> list[tuple[Question, datetime]]:
    """Each queued answer with the moment it is planned to go out (the institution's time zone, its rhythm).

    One query, whatever the length of the queue: the last release day rides along as a subquery. The slots step in
    local wall-clock days, so the hour holds across a daylight-saving change."""
    now = timezone.localtime(now)
    last = Question.objects.filter(daily_on__isnull=False).order_by("-daily_on").values("daily_on")[:1]
    queued = list(Question.objects.queued().select_related("theme").annotate(last_released=Subquery(last)))
    if not queued:
        return []
    slot = _next_slot(now, queued[0].last_released)
    planned = []
    for question in queued:
        planned.append((question, slot))
        slot += timedelta(days=settings.ASK_DAILY_EVERY_DAYS)
    return planned


def question_of_the_day_release(*, now: datetime | None = None) -> Question | None:
    """Beat's call every minute: at the set hour, if the rhythm allows, the first queued answer goes out
    through the reply pipeline. One a day at most: `daily_on` is unique, and the claim a compare-and-set."""
    now = timezone.localtime(now)
    if now < now.replace(hour=settings.ASK_DAILY_HOUR, minute=0, second=0, microsecond=0):
        return None
    since = now.date() - timedelta(days=settings.ASK_DAILY_EVERY_DAYS - 1)
    if Question.objects.filter(daily_on__gte=since).exists():
        return None
    first = Question.objects.queued().first()
    if first is None:
        return None
    try:
        with transaction.atomic():
            claimed = Question.objects.filter(pk=first.pk, state=State.ANSWERED, queue_position__isnull=False).update(
                queue_position=None, daily_on=now.date()
            )
            if not claimed:
                return None
            message = Message.objects.get(account__network=Network.ASK, external_id=first.external_id)
            reply_queue(message=message, text=first.answer, by=first.approved_by)
    except IntegrityError:  # another beat released today's already
        return None
    return first


def question_link(*, question: Question, original: Question) -> bool:
    """A duplicate (or several questions merged into one): answered by `original`, published or to come; the
    visitor is told when it is out. Its inbox message is done."""
    if question.pk == original.pk or original.duplicate_of_id or question.state == State.PUBLISHED:
        return False
    Question.objects.filter(pk=question.pk).update(duplicate_of=original, state=State.WITHDRAWN, queue_position=None)
    Message.objects.filter(account__network=Network.ASK, external_id=question.external_id).update(
        status=Message.Status.DONE
    )
    if original.state == State.PUBLISHED:
        from ask.tasks import notify_asker

        transaction.on_commit(lambda: notify_asker.delay(question.pk))
    return True


def _next_slot(now: datetime, released: date | None) -> datetime:
    slot = now.replace(hour=settings.ASK_DAILY_HOUR, minute=0, second=0, microsecond=0)
    if released is not None:
        earliest = released + timedelta(days=settings.ASK_DAILY_EVERY_DAYS)
        slot = max(slot, slot.replace(year=earliest.year, month=earliest.month, day=earliest.day))
    return slot if slot >= now else slot + timedelta(days=1)
