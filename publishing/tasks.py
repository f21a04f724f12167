from celery import shared_task

from publishing.models import Heartbeat


@shared_task
def record_heartbeat() -> None:
    Heartbeat.beat()
