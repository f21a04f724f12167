"""Time: stored in UTC, shown in the user's zone, the DST gap refused, the autumn repeat resolved explicitly."""

import zoneinfo
from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from editorial.models import Post
from editorial.services.posts import post_create
from editorial.timeutils import local_instant, with_offset
from publishing.models import Network
from tests.factories import SocialAccountFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def sandbox(db):
    return SocialAccountFactory(network=Network.SANDBOX, handle="musee.marceau")


def new_post(client, sandbox, day: str, at: str, occurrence: str = "0"):
    data = {
        "title": "Heure",
        "text": "Bonjour",
        "accounts": [sandbox.pk],
        "day": day,
        "at": at,
        "occurrence": occurrence,
    }
    return client.post(reverse("post_new"), data, follow=True)


def test_the_spring_forward_gap_does_not_exist():
    with pytest.raises(ValidationError, match="does not exist"):
        local_instant(date(2027, 3, 28), time(2, 30), PARIS)


def test_an_autumn_time_occurs_twice_and_the_choice_is_explicit():
    first = local_instant(date(2026, 10, 25), time(2, 30), PARIS, fold=0)
    second = local_instant(date(2026, 10, 25), time(2, 30), PARIS, fold=1)  # the brief's example (now past)
    assert first.ambiguous and second.ambiguous
    assert first.utc == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert second.utc == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert with_offset(first.at) == "02:30 (UTC+02:00)"
    assert with_offset(second.at) == "02:30 (UTC+01:00)"


def test_an_ordinary_time_is_not_ambiguous():
    assert not local_instant(date(2026, 10, 26), time(2, 30), PARIS).ambiguous


def test_the_form_refuses_the_gap_with_a_clear_message_and_keeps_the_text(client, community_manager, sandbox):
    client.force_login(community_manager)
    page = new_post(client, sandbox, "2027-03-28", "02:30").content.decode()
    assert "02:30 does not exist on" in page and "clocks go forward" in page
    assert "Bonjour" in page
    assert not Post.objects.exists()


# The next autumn change still to come (the form refuses times in the past): 2027-10-31 in Europe/Paris.
def test_the_form_picks_the_first_autumn_occurrence_and_says_so(client, community_manager, sandbox):
    client.force_login(community_manager)
    page = new_post(client, sandbox, "2027-10-31", "02:30").content.decode()
    post = Post.objects.get()
    assert post.scheduled_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert "occurs twice" in page and "UTC+02:00" in page


def test_the_form_takes_the_second_autumn_occurrence_when_asked(client, community_manager, sandbox):
    client.force_login(community_manager)
    page = new_post(client, sandbox, "2027-10-31", "02:30", occurrence="1").content.decode()
    assert Post.objects.get().scheduled_at == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    assert "UTC+01:00" in page


def test_times_are_stored_in_utc_and_shown_in_the_users_zone(client, community_manager, sandbox):
    post = post_create(
        author=community_manager,
        title="Heure",
        text="x",
        scheduled_at=datetime(2027, 1, 15, 9, 0, tzinfo=UTC),
        accounts=[sandbox],
    )
    client.force_login(community_manager)
    paris = client.get(reverse("calendar") + "?month=2027-01").content.decode()
    assert ">10:00<" in paris
    community_manager.time_zone = "America/New_York"
    community_manager.save()
    new_york = client.get(reverse("calendar") + "?month=2027-01").content.decode()
    assert ">04:00<" in new_york
    edit = client.get(reverse("post_edit", args=[post.pk])).content.decode()
    assert 'value="04:00"' in edit
