"""The question-of-the-day queue as a layer of the editorial calendar: on the days it goes out, one query at most."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.ask.conftest import queued, released_on

pytestmark = pytest.mark.django_db

SPRING_FORWARD = date(2027, 3, 28)  # Europe/Paris: 02:00 → 03:00


def _layered(response) -> dict[date, list[str]]:
    return {d.day: [item["entry"].title for item in d.layered] for d in response.context["days"] if d.layered}


def test_each_queued_answer_shows_on_its_day_across_the_spring_daylight_saving_change(
    client, community_manager, settings
):
    settings.ASK_DAILY_HOUR = 23  # stepping 24 hours in UTC instead of a local day would push it past midnight
    released_on(SPRING_FORWARD - timedelta(days=2))
    queued(3)
    client.force_login(community_manager)

    response = client.get(reverse("calendar") + "?month=2027-03")

    assert _layered(response) == {
        date(2027, 3, 27): ["Question numéro 1 ?"],
        date(2027, 3, 28): ["Question numéro 2 ?"],
        date(2027, 3, 29): ["Question numéro 3 ?"],
    }
    assert all(item["entry"].time_label == "23:00" for d in response.context["days"] for item in d.layered)
    html = response.content.decode()
    assert html.count('class="layer-entry layer-ask"') == 3
    assert reverse("ask_team") in html  # the legend links to the queue's reorder page


def test_every_other_day_rhythm_in_the_week_and_list_views(client, community_manager, settings):
    settings.ASK_DAILY_EVERY_DAYS = 2
    released_on(date(2027, 3, 20))
    queued(2)
    client.force_login(community_manager)

    week = client.get(reverse("calendar_week") + "?week=2027-W12")  # 22 to 28 March
    listed = client.get(reverse("calendar_list") + "?month=2027-03")

    expected = {date(2027, 3, 22): ["Question numéro 1 ?"], date(2027, 3, 24): ["Question numéro 2 ?"]}
    assert _layered(week) == _layered(listed) == expected
    assert "Question numéro 2 ?" in listed.content.decode()


def test_reordering_on_the_queue_page_moves_them_on_the_calendar(client, community_manager):
    released_on(date(2027, 3, 9))
    _first, second = queued(2)
    client.force_login(community_manager)
    url = reverse("calendar") + "?month=2027-03"
    assert _layered(client.get(url))[date(2027, 3, 10)] == ["Question numéro 1 ?"]

    client.post(reverse("ask_move", args=[second.pk]), {"to": "up"})

    assert _layered(client.get(url)) == {
        date(2027, 3, 10): ["Question numéro 2 ?"],
        date(2027, 3, 11): ["Question numéro 1 ?"],
    }


def test_the_layer_can_be_hidden_and_is_not_shown_to_those_who_cannot_answer(client, community_manager, curator):
    released_on(date(2027, 3, 9))
    queued(1)
    client.force_login(community_manager)

    hidden = client.get(reverse("calendar") + "?month=2027-03&hide=ask")

    assert _layered(hidden) == {}
    assert "hide=ask" in hidden.context["nav"]["next"]
    assert '<input type="hidden" name="hide" value="ask">' in hidden.content.decode()  # filtering keeps it hidden
    client.force_login(curator)
    assert _layered(client.get(reverse("calendar") + "?month=2027-03")) == {}


@pytest.mark.parametrize("view", ["calendar", "calendar_week", "calendar_list"])
def test_the_layer_costs_one_query_whatever_the_length_of_thequeued(
    client, community_manager, django_assert_max_num_queries, view
):
    released_on(date(2027, 2, 27))
    url = reverse(view) + ("?week=2027-W09" if view == "calendar_week" else "?month=2027-03")
    client.force_login(community_manager)
    client.get(url)  # sessions and permissions warmed up
    with django_assert_max_num_queries(40) as without:
        client.get(url + "&hide=ask")
    queued(3)
    with django_assert_max_num_queries(len(without) + 1):
        assert "Question numéro 3 ?" in client.get(url).content.decode()
    queued(27, start=4)
    with django_assert_max_num_queries(len(without) + 1):
        response = client.get(url)
    assert "Question numéro 3 ?" in response.content.decode()
