"""Thin tasks: a primary key in, a service called."""

from celery import shared_task

from ask.publication import asker_notify, emails_expire
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
