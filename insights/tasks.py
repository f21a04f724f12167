"""Celery tasks of collection, all routed to the `insights` queue (settings.CELERY_TASK_ROUTES): publishing's
workers never run them. Thin: the rows are the schedule; the services do the work."""

from celery import shared_task

from insights.collection import snapshots_collect, snapshots_dispatch
from insights.planning import snapshots_plan


@shared_task
def plan_snapshots() -> int:
    return snapshots_plan()


@shared_task
def dispatch_due_snapshots() -> int:
    return len(snapshots_dispatch())


@shared_task(acks_late=True)
def collect_snapshots(claim: str) -> str:
    return snapshots_collect(claim=claim)
