"""Tell people about their work: a row for the bell, and an e-mail."""

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation

from accounts.mail import email_after_commit
from editorial.models import Notification
from museumcm.phrases import Phrase, render


def notification_send(
    *, recipients: Iterable, kind: str, message: str = "", event: Phrase | None = None, url: str = ""
) -> list[Notification]:
    """Notify each recipient in the app and by e-mail (when they have an address).

    `kind` is a `Notification.Kind`; `event` the sentence as a phrase (museumcm.phrases), shown and e-mailed in each
    recipient's language (`message`, a text already written, is for callers without one); `url` is a path inside
    the app (made absolute for the e-mail). A recipient listed twice is notified once; e-mail failures never lose
    the in-app notification; e-mails leave after commit, by a task.
    """
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    written = str(message) or render(event)
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, message=written, event=event or {}, url=url) for user in unique.values()
    )
    for user in unique.values():
        if user.email:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject = f"[museumcm] {Notification.Kind(kind).label}"
                text = render(event) or written
            body = f"{text}\n\n{settings.SITE_URL}{url}" if url else text
            email_after_commit(subject=subject, body=body, to=[user.email])
    return notifications


def notifications_mark_read(*, user, pk: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them when `pk` is None."""
    notifications = user.notifications.all()
    if pk is not None:
        notifications = notifications.filter(pk=pk)
    return notifications.mark_read()
