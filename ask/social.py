"""Turning a published answer into a social post: one draft post, one text per network (the question, an excerpt
of the answer and the link, cut to each network's length), placed at the next free slot of the calendar."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ask.models import Question
from ask.rendering import plain_excerpt
from editorial.models import Post
from editorial.services.posts import post_create
from publishing.adapters import get_adapter
from publishing.models import Network, SocialAccount

SEARCH_DAYS = 14
LINK_ALLOWANCE = 30  # what a link counts for on the networks that shorten them; the others count it whole


def next_free_slot(*, now: datetime | None = None) -> datetime:
    """The first whole hour within working hours, from the next hour on, with no post planned in it."""
    now = timezone.localtime(now)
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    taken = {
        timezone.localtime(at).replace(minute=0, second=0, microsecond=0)
        for at in Post.objects.filter(
            scheduled_at__gte=start, scheduled_at__lt=start + timedelta(days=SEARCH_DAYS)
        ).values_list("scheduled_at", flat=True)
    }
    slot = start
    while slot < start + timedelta(days=SEARCH_DAYS):
        working = settings.WORKING_DAY_STARTS <= slot.hour < settings.WORKING_DAY_ENDS
        if working and slot not in taken:
            return slot
        slot += timedelta(hours=1)
    return slot


def text_for(question: Question, limit: int) -> str:
    """The question, an excerpt of the answer and the link, within `limit` characters."""
    url = question.public_url()
    head = f"« {question.text} »" if question.language == "fr" else f"“{question.text}”"
    room = limit - len(url) - 4
    if len(head) > room:
        return f"{head[: max(room - 1, 0)]}…\n\n{url}"
    excerpt = plain_excerpt(question.answer, max(room - len(head) - 2, 0))
    return f"{head}\n\n{excerpt}\n\n{url}" if excerpt else f"{head}\n\n{url}"


@transaction.atomic
def answer_to_post(*, question: Question, by) -> Post:
    """The draft post of a published answer (made once: a second click opens the same post)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.post_id:
        return question.post
    accounts = list(SocialAccount.objects.connected().exclude(network=Network.ASK))
    texts = {account.pk: text_for(question, get_adapter(account).limits().max_chars) for account in accounts}
    post = post_create(
        author=by,
        title=question.text[:200],
        text=text_for(question, 500),
        scheduled_at=next_free_slot(),
        accounts=accounts,
        link=question.public_url(),
        texts=texts,
    )
    Question.objects.filter(pk=question.pk).update(post=post)
    return post
