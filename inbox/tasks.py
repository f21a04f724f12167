"""Thin tasks: take a primary key, call a service. The rows say what to do; Celery only runs it."""

from celery import shared_task

from inbox.services import reply_send
from inbox.sync import account_sync, syncable_accounts
from publishing.models import SocialAccount


@shared_task(acks_late=True, ignore_result=True)
def sync_account(account_id: int) -> None:
    account = SocialAccount.objects.filter(pk=account_id).first()
    if account is not None:
        account_sync(account=account)


@shared_task(ignore_result=True)
def sync_all_accounts() -> int:
    """Beat's fan-out: one sync task per connected account whose network has an inbox."""
    accounts = syncable_accounts()
    for account in accounts:
        sync_account.delay(account.pk)
    return len(accounts)


@shared_task(acks_late=True, ignore_result=True)
def send_reply(reply_id: int) -> None:
    # Short waits only (seconds to minutes): the reply row, not the queue, remembers that it is queued.
    retry_in = reply_send(reply_id=reply_id)
    if retry_in is not None:
        send_reply.apply_async((reply_id,), countdown=retry_in)
