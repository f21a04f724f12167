"""Thin tasks of the ground floor."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(ignore_result=True)
def send_email(subject: str, body: str, to: list[str]) -> None:
    """One e-mail (accounts/mail.py queues it after commit). A refused address or a mail server down fails this
    task, logged by the worker: the change that asked for it is committed already."""
    send_mail(subject, body, None, to)
