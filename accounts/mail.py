"""E-mail leaves after commit, by a task: never inside a request's transaction (a slow or failing mail server must
not hold the transaction open, and a rolled-back change must not have told anyone)."""

from django.db import transaction


def email_after_commit(*, subject: str, body: str, to: list[str]) -> None:
    """Send one e-mail to `to` once the current transaction commits (at once outside one), from a worker."""
    from accounts.tasks import send_email

    subject, body, to = str(subject), str(body), [str(address) for address in to]
    transaction.on_commit(lambda: send_email.delay(subject, body, to))
