"""Moving a question of the day to another day from the calendar: it takes that day's slot, the others shift."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from ask.models import Question
from ask.services import queue_dates, queue_move_to_day
from tests.ask.conftest import queued, released_on
from tests.conftest import login_client

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _planned() -> list[tuple[str, date]]:
    return [(q.text, timezone.localtime(at).date()) for q, at in queue_dates()]


def _order() -> list[str]:
    """The queue's question numbers, in order."""
    return [text.split()[-2] for text, _day in _planned()]


@pytest.fixture
def queue() -> list[Question]:
    released_on(date(2027, 3, 9))  # the queue goes out on the 10th, 11th, 12th and 13th of March 2027
    return queued(4)


def test_an_answer_moved_earlier_takes_that_days_slot_and_the_ones_between_shift_later(queue):
    at = queue_move_to_day(question=queue[3], day=date(2027, 3, 11))

    assert timezone.localtime(at).date() == date(2027, 3, 11)
    assert _planned() == [
        ("Question numéro 1 ?", date(2027, 3, 10)),
        ("Question numéro 4 ?", date(2027, 3, 11)),
        ("Question numéro 2 ?", date(2027, 3, 12)),
        ("Question numéro 3 ?", date(2027, 3, 13)),
    ]


def test_an_answer_moved_later_leaves_no_hole_and_loses_no_one(queue):
    queue_move_to_day(question=queue[0], day=date(2027, 3, 12))

    assert _order() == ["2", "3", "1", "4"]
    assert sorted(Question.objects.queued().values_list("queue_position", flat=True)) == [1, 2, 3, 4]


def test_a_day_before_the_next_slot_means_first_and_a_day_past_the_end_means_last(queue):
    first = queue_move_to_day(question=queue[2], day=date(2027, 3, 1))
    last = queue_move_to_day(question=queue[0], day=date(2027, 6, 1))

    assert timezone.localtime(first).date() == date(2027, 3, 10)
    assert timezone.localtime(last).date() == date(2027, 3, 13)
    assert _order() == ["3", "2", "4", "1"]


def test_with_an_every_other_day_rhythm_a_day_without_slot_means_the_next_slot(queue, settings):
    settings.ASK_DAILY_EVERY_DAYS = 2  # slots on the 11th, 13th, 15th and 17th

    at = queue_move_to_day(question=queue[3], day=date(2027, 3, 12))

    assert timezone.localtime(at).date() == date(2027, 3, 13)
    assert _order() == ["1", "4", "2", "3"]


def test_an_answer_no_longer_queued_is_not_put_back_in_the_queue(queue):
    Question.objects.filter(pk=queue[0].pk).update(state="published", queue_position=None)

    assert queue_move_to_day(question=queue[0], day=date(2027, 3, 12)) is None
    assert Question.objects.queued().count() == 3


@pytest.mark.parametrize("role", ["community_manager", "manager"])
def test_the_team_moves_an_entry_from_the_calendar(client, queue, role, request):
    login_client(client, request.getfixturevalue(role))

    response = client.post(reverse("ask_move_to_day", args=[queue[2].pk]), {"day": "2027-03-10"}, headers=HTMX)

    assert response.status_code == 200
    assert "calendar-changed" in response["HX-Trigger"]
    assert "Question numéro 3 ?" in response.content.decode()
    assert _planned()[0] == ("Question numéro 3 ?", date(2027, 3, 10))


@pytest.mark.parametrize("role", ["curator", "stranger"])
def test_those_who_cannot_manage_the_queue_cannot_move_it(client, queue, role, request):
    login_client(client, request.getfixturevalue(role))
    before = _planned()

    response = client.post(reverse("ask_move_to_day", args=[queue[2].pk]), {"day": "2027-03-10"}, headers=HTMX)

    assert response.status_code == 403
    assert _planned() == before


def test_a_move_that_cannot_happen_says_why_and_changes_nothing(client, queue, community_manager):
    Question.objects.filter(pk=queue[0].pk).update(state="published", queue_position=None)
    login_client(client, community_manager)

    gone = client.post(reverse("ask_move_to_day", args=[queue[0].pk]), {"day": "2027-03-12"}, headers=HTMX)
    junk = client.post(reverse("ask_move_to_day", args=[queue[1].pk]), {"day": "someday"}, headers=HTMX)

    assert "no longer waiting in the queue" in gone.content.decode()
    assert "move-error" in junk.content.decode()
    assert "HX-Trigger" not in gone and "HX-Trigger" not in junk
    assert _order() == ["2", "3", "4"]


def test_without_dragging_the_entrys_move_link_opens_a_form_that_returns_to_the_calendar(
    client, queue, community_manager
):
    login_client(client, community_manager)
    calendar = reverse("calendar") + "?month=2027-03"
    html = client.get(calendar).content.decode()
    move_url = reverse("ask_move_to_day", args=[queue[3].pk])
    assert f'draggable="true" data-move-url="{move_url}"' in html
    assert f'class="chip-move" href="{move_url}?next=' in html

    form = client.get(move_url, {"next": calendar})
    moved = client.post(move_url, {"day": "2027-03-10", "next": calendar})

    assert 'value="2027-03-13"' in form.content.decode()  # its day now
    assert moved.status_code == 302 and moved["Location"] == calendar
    assert _planned()[0] == ("Question numéro 4 ?", date(2027, 3, 10))
