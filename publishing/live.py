"""Live publishing: a tap sends publications now, ahead of the scheduled ones, optionally as one thread per account.

A tapped publication moves DUE → SENDING by compare-and-set (a double tap or a retried request moves nothing the
second time) and its message goes to the `live` Celery queue, which workers consume before the default one
(settings.CELERY_TASK_QUEUES, Redis `queue_order_strategy = "priority"`): a live post jumps the backlog of scheduled
publications instead of waiting behind it.

A publication that continues a thread names the publication it follows (`extra["follows"]`); the adapter asks
`chain_parent` for the network id to answer when it sends.
"""

import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from publishing import moves, pipeline
from publishing.adapters.base import TransientError
from publishing.models import Publication, SocialAccount

State = Publication.State
LIVE_QUEUE = "live"
# A thread's next post waits this long in the worker for the previous one to be out before retrying later.
PARENT_WAIT_SECONDS = 20.0


def publications_send_live(
    *, publications: list[Publication], follows: dict[int, int] | None = None, by=None
) -> list[int]:
    """Send these due publications now on the live queue; `follows` maps a publication to the one it answers.
    Returns the ids that moved (the others were already sent, held, or not approved)."""
    now, follows, sent = timezone.now(), follows or {}, []
    for publication in publications:
        # "live": its retries, if any, go on the live queue too (publishing.services dispatches them first).
        extra = {**publication.extra, "live": True}
        if publication.pk in follows:
            extra["follows"] = follows[publication.pk]
        fields = {"scheduled_at": now, "next_attempt_at": None, "dispatched_at": now, "lease_until": None}
        fields["extra"] = extra
        rows = Publication.objects.filter(pk=publication.pk, held=False, account__status=SocialAccount.Status.CONNECTED)
        if rows.move(Publication.Action.PUBLISH_NOW, **fields):
            sent.append(publication.pk)
            moves.record(
                moves.Move(publication, by, publication.scheduled_at, now, back_to_review=False, sent_now=True)
            )
    pipeline.enqueue_after_commit(_task(), sent, queue=LIVE_QUEUE)
    return sent


def chain_parent(publication: Publication, wait: float = PARENT_WAIT_SECONDS) -> str | None:
    """The network id this publication answers (the last part of the post it follows), or None when it starts a
    thread or the post it follows did not go out."""
    parent = chain_parent_row(publication, wait)
    if parent is None:
        return None
    parts = parent["extra"].get("parts") or []
    return (parts[-1].get("id") or parts[-1].get("uri")) if parts else parent["external_id"]


def chain_parent_row(publication: Publication, wait: float = PARENT_WAIT_SECONDS) -> dict | None:
    """The published row (`external_id`, `extra`) of the post this publication follows, or None when it starts a
    thread or the post it follows did not go out (failed, cancelled): then it stands alone rather than never going
    out. While that post is still on its way, wait for it a little, then let the pipeline retry."""
    follows = publication.extra.get("follows")
    deadline = time.monotonic() + wait
    while follows:
        row = Publication.objects.filter(pk=follows).values("state", "external_id", "extra").first()
        if row is None or row["state"] not in (State.DUE, State.SENDING, State.PUBLISHED):
            return None
        if row["state"] == State.PUBLISHED:
            return row
        if time.monotonic() >= deadline:
            raise TransientError(_("The session's previous post on this account is not out yet."))
        time.sleep(settings.LIVE_PARENT_POLL_SECONDS)
    return None


def _task():
    from publishing.tasks import publish_publication

    return publish_publication
