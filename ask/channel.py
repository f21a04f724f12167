"""The built-in "Ask the museum" channel: the public site's questions as an inbox network. No HTTP; rows.

`fetch_messages` hands the inbox the questions visitors asked (each once, by id order); `reply` is how an approved
answer goes out through the inbox's reply pipeline: it publishes the answer on the public site (once per question,
whatever the idempotency key) and, after commit, a task e-mails the visitor who asked to be told.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from ask.models import Question
from ask.publication import question_publish
from publishing.adapters import register
from publishing.adapters.base import (
    Adapter,
    FetchedMessage,
    FetchPage,
    Limits,
    MessageState,
    PublishResult,
    Rejected,
    ReplyTarget,
)
from publishing.adapters.text import grapheme_length
from publishing.models import Network
from publishing.vocabulary import MessageKind

PAGE_SIZE = 100
INBOX_STATES = [Question.State.RECEIVED, Question.State.MODERATION]


@register
class AskAdapter(Adapter):
    """Questions in, answers out to the museum's own public site; never fails for network reasons."""

    network = Network.ASK
    recheck_batch = 500

    def limits(self) -> Limits:
        return Limits(max_chars=10_000, max_images=0, max_image_bytes=0)

    def count(self, text: str) -> int:
        return grapheme_length(text)

    def publish(self, publication) -> PublishResult:
        raise Rejected(gettext("Posts are not published on “Ask the museum”: it only answers questions."))

    def fetch_messages(self, cursor: dict[str, Any]) -> FetchPage:
        after = int(cursor.get("after") or 0)
        rows = list(Question.objects.filter(pk__gt=after).order_by("pk")[: PAGE_SIZE + 1])
        page = rows[:PAGE_SIZE]
        next_cursor = {"after": page[-1].pk} if page else {"after": after}
        return FetchPage([self._message(row) for row in page], next_cursor, more=len(rows) > PAGE_SIZE)

    def look_up(self, targets: list[ReplyTarget]) -> list[MessageState]:
        """A question withdrawn by the team reads as deleted; the others as they are."""
        numbers = [t.external_id.removeprefix("question-") for t in targets]
        live = dict(
            Question.objects.filter(pk__in=[n for n in numbers if n.isdigit()])
            .exclude(state=Question.State.WITHDRAWN)
            .values_list("pk", "text")
        )
        states = []
        for target, number in zip(targets, numbers, strict=True):
            text = live.get(int(number)) if number.isdigit() else None
            states.append(MessageState(target.external_id, deleted=text is None, text=text))
        return states

    def reply(self, target: ReplyTarget, text: str, *, idempotency_key: str) -> PublishResult:
        question = self._question(target.external_id)
        with transaction.atomic():
            question = question_publish(question=question, answer=text)
        return self._result(question)

    def find_reply(self, target: ReplyTarget, text: str, *, since) -> PublishResult | None:
        question = self._question(target.external_id)
        return self._result(question) if question.state == Question.State.PUBLISHED else None

    # Helpers ------------------------------------------------------------------------------------------------------

    def _question(self, external_id: str) -> Question:
        number = external_id.removeprefix("question-")
        question = Question.objects.filter(pk=number).first() if number.isdigit() else None
        if question is None:
            raise Rejected(gettext("“Ask the museum” has no question %(id)s.") % {"id": external_id}, http_status=404)
        return question

    def _message(self, row: Question) -> FetchedMessage:
        return FetchedMessage(
            external_id=row.external_id,
            kind=MessageKind.DIRECT,  # asked of the museum alone, as a private message is
            text=row.text,
            created_at=row.created_at,
            author_id=f"visitor-{row.pk}",
            author_handle="",
            author_name=row.name or gettext("A visitor"),
            url=settings.SITE_URL + reverse("ask_review", args=[row.pk]),  # the team's page to approve the answer
            extra={"language": row.language, "held": row.state == Question.State.MODERATION},
        )

    def _result(self, question: Question) -> PublishResult:
        return PublishResult(question.external_id, question.public_url())
