"""Thin tasks: a primary key in, a service called."""

from celery import shared_task
from redis.exceptions import RedisError

from ask.answer_cache import answer_pages_forget
from ask.list_cache import list_pages_store
from ask.publication import asker_notify, emails_expire, withdrawn_pages_sweep
from ask.services import question_of_the_day_release


@shared_task(acks_late=True, ignore_result=True)
def notify_asker(question_id: int) -> None:
    asker_notify(question_id=question_id)


@shared_task(ignore_result=True)
def release_question_of_the_day() -> None:
    question_of_the_day_release()


@shared_task(ignore_result=True)
def expire_emails() -> int:
    return emails_expire()


@shared_task(acks_late=True, ignore_result=True)
def render_lists(generation: int) -> int:
    return list_pages_store(generation=generation)


# Backoff from 2 s to 10 minutes, about a day in all: the cache may be down a while, and the page must not outlive it.
@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(RedisError,),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=150,
)
def forget_answer_pages(question_id: int) -> None:
    answer_pages_forget(question_id)


@shared_task(ignore_result=True)
def sweep_withdrawn_pages() -> int:
    return withdrawn_pages_sweep()
