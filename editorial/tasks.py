"""Celery tasks of the editorial calendar: thin wrappers that call a service and return."""

import logging

from celery import shared_task

from editorial.models import EventSource
from editorial.services.events import ImportFailed, event_source_import
from editorial.services.recurring import slots_materialise

logger = logging.getLogger(__name__)


@shared_task
def materialise_recurring_slots() -> int:
    """Beat runs this hourly: each active slot keeps its weeks of drafts ready; already drafted days are skipped."""
    return slots_materialise()


@shared_task
def import_event_sources() -> int:
    """Beat runs this every six hours: re-import every subscribed iCal URL (updated by UID, never duplicated)."""
    imported = 0
    for source in EventSource.objects.all():
        try:
            event_source_import(source=source)
            imported += 1
        except ImportFailed as error:  # recorded on the source and shown on the events page
            logger.warning("event source %s: %s", source.pk, error)
    return imported
