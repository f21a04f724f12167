"""Flows on publications that other apps start: the editorial calendar queues and withdraws them."""

from publishing.models import Publication

State = Publication.State


def publications_queue(*, post) -> int:
    """The post is approved: its pending publications become due at the post's time."""
    return post.publications.transition(State.PENDING, State.DUE, scheduled_at=post.scheduled_at)


def publications_withdraw(*, post) -> int:
    """The approved post was edited: what has not started sending goes back to pending (un-queued)."""
    return post.publications.transition(State.DUE, State.PENDING)


def publications_reschedule(*, post) -> int:
    """Keep the publications' copy of the post's time in step (dispatching reads it without a join)."""
    return post.publications.filter(state__in=[State.PENDING, State.DUE]).update(scheduled_at=post.scheduled_at)
