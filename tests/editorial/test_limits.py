"""Addresses and files that used to end in a 500: dates far outside the calendar's years, ISO weeks that do not exist,
iCal files with impossible dates or thousands of nested components. Each gets a 404 or a clear message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editorial.models import MuseumEvent, Post
from publishing.models import Network
from tests.conftest import login_client
from tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("calendar", {"month": "9999-12"}),
        ("calendar", {"month": "0001-01"}),
        ("calendar_list", {"month": "9999-12"}),
        ("calendar_list", {"month": "0001-01"}),
        ("calendar_week", {"week": "9999-W52"}),
        ("calendar_week", {"week": "0001-W01"}),
        ("calendar_list", {"day": "0001-01-01"}),
        ("calendar_list", {"day": "9999-12-31"}),
    ],
)
def test_a_date_outside_the_calendars_years_is_not_found(client, community_manager, name, query):
    login_client(client, community_manager)

    response = client.get(reverse(name), query)

    assert response.status_code == 404


@pytest.mark.parametrize(("year", "week"), [(1, 1), (9999, 52), (2030, 54)])
def test_a_week_review_outside_the_calendar_is_not_found(client, manager, year, week):
    login_client(client, manager)

    assert client.get(reverse("week_review", args=[year, week])).status_code == 404


def test_the_first_and_last_months_of_the_calendar_still_show(client, community_manager):
    login_client(client, community_manager)

    assert client.get(reverse("calendar"), {"month": "2000-01"}).status_code == 200
    assert client.get(reverse("calendar"), {"month": "2100-12"}).status_code == 200
    assert client.get(reverse("calendar_week"), {"week": "2100-W52"}).status_code == 200


def upload(client, ics: str):
    data = ics.replace("\n", "\r\n").encode()
    return client.post(
        reverse("event_import_file"), {"file": SimpleUploadedFile("agenda.ics", data), "kind": "exhibition"}
    )


EVENT = """BEGIN:VEVENT
UID:{uid}@musee-marceau.example
DTSTAMP:20300101T000000Z
DTSTART;VALUE=DATE:{start}
{end}
SUMMARY:{uid}
END:VEVENT
"""


def calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//FR\n" + "".join(events) + "END:VCALENDAR\n"


def test_events_outside_the_calendars_years_are_left_out_and_counted(client, community_manager):
    login_client(client, community_manager)
    ics = calendar(
        EVENT.format(uid="far", start="99991231", end="DURATION:P30D"),
        EVENT.format(uid="huge", start="20300101", end="DURATION:P99999999D"),
        EVENT.format(uid="early", start="00010101", end="DTEND;VALUE=DATE:00010102"),
        EVENT.format(uid="expo", start="20300401", end="DTEND;VALUE=DATE:20300901"),
    )

    response = upload(client, ics)

    assert response.status_code == 302
    assert list(MuseumEvent.objects.values_list("title", flat=True)) == ["expo"]
    page = client.get(response["Location"]).content.decode()
    assert "1 new" in page and "3 left out" in page


def test_thousands_of_nested_components_are_refused_before_parsing(client, community_manager):
    login_client(client, community_manager)
    nested = "BEGIN:VEVENT\n" * 2000 + "END:VEVENT\n" * 2000

    response = upload(client, calendar(nested))

    assert response.status_code == 400
    assert "nested" in " ".join(response.context["file_form"].errors["file"])
    assert not MuseumEvent.objects.exists()


def test_a_calendar_of_too_many_components_is_refused_before_parsing(client, community_manager):
    login_client(client, community_manager)
    events = [EVENT.format(uid=f"e{n}", start="20300401", end="") for n in range(5001)]

    response = upload(client, calendar(*events))

    assert response.status_code == 400
    assert "more than 5000 components" in " ".join(response.context["file_form"].errors["file"])


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01"])
def test_a_post_is_not_scheduled_outside_the_calendars_years(client, community_manager, day):
    account = SocialAccountFactory(network=Network.SANDBOX)
    login_client(client, community_manager)
    data = {"title": "Loin", "text": "Bientôt.", "accounts": [account.pk], "day": day, "at": "10:00"}

    response = client.post(reverse("post_new"), {**data, "occurrence": "0", "link": "", "campaign": ""})

    assert "between 2000 and 2100" in " ".join(response.context["form"].errors["day"])
    assert not Post.objects.exists()
