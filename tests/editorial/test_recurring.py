"""Recurring slots: drafts N weeks ahead at the same wall-clock time across DST, each occurrence once, ever."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial.models import Post, RecurringOccurrence, RecurringSlot
from editorial.services.recurring import slot_materialise
from editorial.tasks import materialise_recurring_slots
from publishing.models import Network, Publication
from tests.conftest import wait_for
from tests.factories import SocialAccountFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def accounts(db):
    return [SocialAccountFactory(network=Network.X), SocialAccountFactory(network=Network.INSTAGRAM)]


def make_slot(user, accounts, **fields) -> RecurringSlot:
    fields = {
        "title": "#JourDeFermeture",
        "text": "Le musée est fermé aujourd'hui. #JourDeFermeture",
        "weekdays": [1],
        "local_time": datetime.time(10, 0),
        "weeks_ahead": 4,
        "created_by": user,
        **fields,
    }
    slot = RecurringSlot.objects.create(**fields)
    slot.accounts.set(accounts)
    return slot


def test_a_slot_drafts_each_tuesday_at_ten_local_across_the_spring_dst_change(community_manager, accounts):
    slot = make_slot(community_manager, accounts)

    created = slot_materialise(slot=slot, today=datetime.date(2031, 3, 17))  # a Monday; clocks change 30 March

    posts = list(Post.objects.order_by("scheduled_at"))
    local = [timezone.localtime(p.scheduled_at, PARIS) for p in posts]
    assert created == 4
    assert [d.date() for d in local] == [datetime.date(2031, 3, 18) + datetime.timedelta(weeks=n) for n in range(4)]
    assert {(d.hour, d.minute) for d in local} == {(10, 0)}
    assert [p.scheduled_at.hour for p in posts] == [9, 9, 8, 8]  # UTC+1 before, UTC+2 after the last Sunday of March
    assert all(p.status == Post.Status.DRAFT and p.title == "#JourDeFermeture" for p in posts)
    assert {pub.account for pub in Publication.objects.all()} == set(accounts)
    assert Publication.objects.count() == 8


def test_materialising_again_never_drafts_the_same_day_twice(community_manager, accounts):
    slot = make_slot(community_manager, accounts, weekdays=[1, 3])
    today = datetime.date(2031, 3, 17)

    first = slot_materialise(slot=slot, today=today)
    again = slot_materialise(slot=slot, today=today)
    later = slot_materialise(slot=slot, today=today + datetime.timedelta(days=7))

    assert (first, again, later) == (8, 0, 2)
    assert Post.objects.count() == 10


def test_a_deleted_occurrence_is_not_recreated(community_manager, accounts):
    slot = make_slot(community_manager, accounts)
    today = datetime.date(2031, 3, 17)
    slot_materialise(slot=slot, today=today)

    Post.objects.order_by("scheduled_at").first().delete()
    recreated = slot_materialise(slot=slot, today=today)

    assert recreated == 0 and Post.objects.count() == 3
    assert RecurringOccurrence.objects.filter(post__isnull=True).count() == 1


def test_occurrences_already_past_and_paused_slots_are_not_drafted(community_manager, accounts):
    past = make_slot(community_manager, accounts, weekdays=list(range(7)), weeks_ahead=1)
    paused = make_slot(community_manager, accounts, active=False)

    created = slot_materialise(slot=past, today=timezone.localdate() - datetime.timedelta(days=7))

    assert created == 0
    assert slot_materialise(slot=paused) == 0


def test_saving_a_slot_in_the_form_drafts_its_weeks_at_once(client, community_manager, accounts):
    client.force_login(community_manager)
    data = {
        "title": "#JourDeFermeture",
        "text": "Fermé le mardi.",
        "weekdays": ["1"],
        "local_time": "10:00",
        "time_zone": "Europe/Paris",
        "accounts": [a.pk for a in accounts],
        "weeks_ahead": "3",
        "active": "on",
    }

    response = client.post(reverse("slot_create"), data)

    slot = RecurringSlot.objects.get()
    assert response.status_code == 302
    assert (slot.weekdays, slot.created_by) == ([1], community_manager)
    assert Post.objects.count() in {2, 3}  # three Tuesdays ahead, unless today's 10:00 is still to come (then 3)
    assert all(timezone.localtime(p.scheduled_at, PARIS).weekday() == 1 for p in Post.objects.all())
    assert "on the calendar" in client.get(reverse("slots")).content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weekdays": []}, "weekdays"),
        ({"accounts": []}, "accounts"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"weeks_ahead": "52"}, "weeks_ahead"),
        ({"local_time": "25:00"}, "local_time"),
    ],
)
def test_bad_slot_input_gets_a_clear_message_and_keeps_the_rest(client, community_manager, accounts, changes, field):
    client.force_login(community_manager)
    data = {
        "title": "#JourDeFermeture",
        "text": "Fermé le mardi.",
        "weekdays": ["1"],
        "local_time": "10:00",
        "time_zone": "Europe/Paris",
        "accounts": [a.pk for a in accounts],
        "weeks_ahead": "3",
        **changes,
    }

    response = client.post(reverse("slot_create"), data)

    assert response.status_code == 200 and field in response.context["form"].errors
    assert 'value="#JourDeFermeture"' in response.content.decode()
    assert not RecurringSlot.objects.exists()


@pytest.mark.parametrize("role", ["curator", "stranger"])
def test_only_the_planning_team_makes_slots(client, role_users, role, accounts):
    client.force_login(role_users[role])

    assert client.get(reverse("slot_create")).status_code == 403
    assert client.get(reverse("slots")).status_code == (200 if role == "curator" else 403)


@pytest.mark.worker
def test_the_beat_task_materialises_slots_on_a_real_worker(community_manager, accounts, celery_worker):
    make_slot(community_manager, accounts, weekdays=list(range(7)), weeks_ahead=1)

    materialise_recurring_slots.delay()

    # The worker may still be committing the next day's draft between two counts: wait until they agree.
    def materialised():
        posts = Post.objects.count()
        return posts >= 6 and RecurringOccurrence.objects.count() == posts == Post.objects.count()

    wait_for(materialised, message="drafts made by the worker, each with its occurrence")


def test_the_slot_pages_render_for_the_planning_team(client, community_manager, accounts):
    slot = make_slot(community_manager, accounts)
    client.force_login(community_manager)

    listing = client.get(reverse("slots"))
    edit = client.get(reverse("slot_edit", args=[slot.pk]))
    deleted = client.post(reverse("slot_delete", args=[slot.pk]))

    assert "Tuesday" in listing.content.decode() and 'href="/calendar/events/"' in listing.content.decode()
    assert edit.status_code == 200 and 'value="1" id="id_weekdays_1" checked' in edit.content.decode()
    assert deleted.status_code == 302 and not RecurringSlot.objects.exists()
