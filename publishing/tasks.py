"""Celery tasks: thin wrappers that take a primary key (or nothing), call a service and return."""

from celery import shared_task

from publishing import connections, services
from publishing.models import Heartbeat


@shared_task
def record_heartbeat() -> None:
    Heartbeat.beat()


@shared_task
def dispatch_due_publications() -> int:
    """Beat runs this every PUBLISHING_DISPATCH_INTERVAL (a second): the rows say what is due, not the queue."""
    return services.publications_dispatch()


@shared_task(acks_late=True)
def publish_publication(publication_id: int) -> str | None:
    return services.publication_publish(publication_id=publication_id)


@shared_task
def refresh_expiring_tokens() -> int:
    return connections.accounts_refresh_expiring()


@shared_task
def bench_noop(counter_key: str) -> None:
    """The benchmark's floor: a task that does nothing but count itself (one cache increment)."""
    from django.core.cache import cache

    cache.incr(counter_key)
