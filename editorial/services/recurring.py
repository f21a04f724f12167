"""Recurring slots: draft each occurrence once, a few weeks ahead, at the same wall-clock time whatever the season."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from editorial.models import RecurringOccurrence, RecurringSlot
from editorial.services.posts import post_create


def slot_materialise(*, slot: RecurringSlot, today: date | None = None) -> int:
    """Create the drafts of the slot's coming occurrences that were never made; returns how many were created.

    The occurrence row is claimed first (unique on slot and day), so a beat run and a save at the same moment
    cannot both draft the same day; the row stays when its post is deleted, so a deleted draft is not recreated.
    """
    if not slot.active:
        return 0
    now = timezone.now()
    start = today or timezone.localdate(now, timezone=slot.zone)
    existing = set(slot.occurrences.values_list("date", flat=True))
    accounts = list(slot.accounts.all())
    created = 0
    for day in slot.occurrence_dates(start):
        if day in existing or slot.instant(day) <= now:
            continue
        created += _draft(slot, day, accounts)
    return created


def _draft(slot: RecurringSlot, day: date, accounts: list) -> int:
    try:
        with transaction.atomic():
            occurrence = RecurringOccurrence.objects.create(slot=slot, date=day)
            occurrence.post = post_create(
                author=slot.created_by,
                title=slot.title,
                text=slot.text,
                scheduled_at=slot.instant(day),
                accounts=accounts,
                campaign=slot.campaign,
            )
            occurrence.save(update_fields=["post"])
    except IntegrityError:  # someone else drafted this day a moment ago
        return 0
    return 1


def slots_materialise(*, today: date | None = None) -> int:
    """Every active slot (the beat task)."""
    slots = RecurringSlot.objects.active().select_related("campaign", "created_by")
    return sum(slot_materialise(slot=slot, today=today) for slot in slots)
