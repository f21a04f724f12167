"""Publishing and withdrawing answers, telling the visitor, and forgetting their address.

`question_publish` is called by the channel's adapter when the inbox's reply pipeline sends an approved answer:
a compare-and-set makes it happen once, whoever calls twice. The e-mail goes after commit, from a task; the address
is erased as soon as it is sent, and after `ASK_EMAIL_DAYS` for questions never answered.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from redis.exceptions import RedisError

from ask.answer_cache import answer_pages_forget, answer_pages_left, answer_pages_store
from ask.list_cache import pages_renew
from ask.models import Question
from ask.rendering import render_answer

logger = logging.getLogger("museumcm.ask")

State = Question.State
WITHDRAW_SALT = "ask.withdraw-email"


def question_publish(*, question: Question, answer: str) -> Question:
    """Make the answer public (once): later calls return the published question unchanged."""
    now = timezone.now()
    open_states = [State.RECEIVED, State.MODERATION, State.ANSWERED]
    moved = Question.objects.filter(pk=question.pk, state__in=open_states).update(
        state=State.PUBLISHED,
        answer=answer,
        answer_html=render_answer(answer),  # once here, not on every view of the page
        published_at=now,
        slug=question.make_slug(),
        queue_position=None,
    )
    question = Question.objects.get(pk=question.pk)
    if moved:
        # The cache's work is logged, not raised, if it fails (Redis away): the asker is told all the same, and the
        # pages are rendered on their first visits.
        transaction.on_commit(pages_renew, robust=True)
        transaction.on_commit(lambda: answer_pages_store(question.pk), robust=True)
        for pk in [question.pk, *question.duplicates.values_list("pk", flat=True)]:
            transaction.on_commit(lambda pk=pk: _notify_task().delay(pk))
    return question


def question_withdraw(*, question: Question) -> bool:
    """Take the answer off the site (once). Its stored pages are forgotten after commit; a cache that is away then
    leaves them to a task that tries again until it is back (the answer's row is withdrawn already: a second
    withdrawal would find nothing to do), and the lists' copies to their expiry; with the broker away too, beat's
    sweep finds them (`withdrawn_pages_sweep`)."""
    moved = Question.objects.filter(pk=question.pk, state=State.PUBLISHED).update(state=State.WITHDRAWN)
    if moved:
        transaction.on_commit(pages_renew, robust=True)
        transaction.on_commit(lambda: _answer_pages_forget(question.pk), robust=True)
    return bool(moved)


def _answer_pages_forget(pk: int) -> None:
    try:
        answer_pages_forget(pk)
    except RedisError as error:
        logger.warning("The withdrawn answer %s's pages are left to a task: the cache is away (%s)", pk, error)
        from ask.tasks import forget_answer_pages

        forget_answer_pages.delay(pk)


def withdrawn_pages_sweep() -> int:
    """Withdrawn answers' pages that their withdrawal could neither forget nor leave to a task (the whole of Redis,
    cache and broker, away at the time) are forgotten, and the lists renewed if any was left; how many were. Beat
    runs it every ten minutes: withdrawals are few, and their keys are looked at 100 answers a round trip."""
    withdrawn = list(Question.objects.filter(state=State.WITHDRAWN).order_by("pk").values_list("pk", flat=True))
    left = sum(answer_pages_left(withdrawn[start : start + 100]) for start in range(0, len(withdrawn), 100))
    if left:
        logger.warning("%s stored pages of withdrawn answers were still in the cache: forgotten", left)
        pages_renew()
    return left


def asker_notify(*, question_id: int) -> bool:
    """Tell the visitor their question has an answer (or a duplicate's), then forget the address. Once: the
    address is taken with a compare-and-set before sending, so a re-delivered task finds nothing to send."""
    question = Question.objects.select_related("duplicate_of").filter(pk=question_id).first()
    if question is None or not question.email:
        return False
    answered = question.duplicate_of if question.duplicate_of_id else question
    if answered.state != State.PUBLISHED:
        return False
    email = question.email
    if not _erase(Question.objects.filter(pk=question.pk, email=email)):
        return False
    with translation.override(question.language):
        context = {"question": question, "answered": answered, "url": answered.public_url()}
        subject = render_to_string("ask/email_subject.txt", context).strip()
        body = render_to_string("ask/email_body.txt", context)
    send_mail(subject, body, None, [email])
    return True


def emails_expire(*, now: datetime | None = None) -> int:
    """Beat's sweep, every six hours: addresses kept longer than `ASK_EMAIL_DAYS` are erased, answered or not."""
    limit = (now or timezone.now()) - timedelta(days=settings.ASK_EMAIL_DAYS)
    return _erase(Question.objects.filter(created_at__lt=limit).exclude(email=""))


def email_withdraw(*, token: str) -> bool:
    """The visitor's link in the e-mail (or on the thank-you page): forget my address now."""
    try:
        pk = signing.loads(token, salt=WITHDRAW_SALT)
    except signing.BadSignature:
        return False
    return bool(_erase(Question.objects.filter(pk=pk).exclude(email="")))


def withdraw_url(question: Question) -> str:
    token = signing.dumps(question.pk, salt=WITHDRAW_SALT)
    return settings.SITE_URL + reverse("ask_forget", args=[token])


def _erase(rows) -> int:
    return rows.filter(~Q(email="")).update(email="", email_consent_at=None, email_erased_at=timezone.now())


def _notify_task():
    from ask.tasks import notify_asker

    return notify_asker
