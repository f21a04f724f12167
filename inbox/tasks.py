"""Thin tasks: take a primary key, call a service. The rows say what to do; Celery only runs it."""

from collections.abc import Callable

from celery import shared_task

from inbox.recheck import messages_recheck
from inbox.sending import replies_dispatch, reply_send
from inbox.sync import account_sync, syncable_accounts
from publishing.models import SocialAccount


def _on_account(account_id: int, service: Callable[..., object]) -> None:
    account = SocialAccount.objects.filter(pk=account_id).first()
    if account is not None:
        service(account=account)


def _fan_out(task) -> int:
    """Beat's fan-out: one task per connected account whose network has an inbox."""
    accounts = syncable_accounts()
    for account in accounts:
        task.delay(account.pk)
    return len(accounts)


@shared_task(acks_late=True, ignore_result=True)
def sync_account(account_id: int) -> None:
    _on_account(account_id, account_sync)


@shared_task(ignore_result=True)
def sync_all_accounts() -> int:
    return _fan_out(sync_account)


@shared_task(acks_late=True, ignore_result=True)
def recheck_account(account_id: int) -> None:
    """Edits and deletions of the account's recent messages (no network notifies them)."""
    _on_account(account_id, messages_recheck)


@shared_task(ignore_result=True)
def recheck_all_accounts() -> int:
    return _fan_out(recheck_account)


@shared_task(acks_late=True, ignore_result=True)
def send_reply(reply_id: int) -> None:
    reply_send(reply_id=reply_id)


@shared_task(ignore_result=True)
def dispatch_queued_replies() -> int:
    """Beat runs this every PUBLISHING_DISPATCH_INTERVAL (a second): the reply rows say what is due or stuck, not the
    queue."""
    return replies_dispatch()
