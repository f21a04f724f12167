"""Museum events: by hand, from an iCal URL (a real local HTTP server) or file; re-import updates by UID."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editorial.models import EventSource, MuseumEvent
from editorial.tasks import import_event_sources
from tests.factories import MuseumEventFactory
from tests.fakes.base import FakeNetwork, Response, route

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Musée Marceau//Agenda//FR
BEGIN:VEVENT
UID:expo-impressionnistes@musee-marceau.example
DTSTAMP:20300101T000000Z
DTSTART;VALUE=DATE:20300401
DTEND;VALUE=DATE:20300901
SUMMARY:{title}
DESCRIPTION:Salle des peintures
END:VEVENT
BEGIN:VEVENT
UID:nuit-des-musees-2030@musee-marceau.example
DTSTAMP:20300101T000000Z
DTSTART;TZID=Europe/Paris:20300518T190000
DTEND;TZID=Europe/Paris:20300518T235900
SUMMARY:Nuit européenne des musées
END:VEVENT
END:VCALENDAR
"""


class FakeMuseumSite(FakeNetwork):
    """The museum's website publishing its agenda as iCal."""

    def __init__(self):
        super().__init__()
        self.ics = ICS.format(title="Les impressionnistes")

    @route("GET", r"/agenda\.ics")
    def agenda(self, request):
        return Response(200, self.ics.replace("\n", "\r\n"), {"Content-Type": "text/calendar"})


@pytest.fixture
def museum_site():
    with FakeMuseumSite() as site:
        yield site


def events_by_uid():
    return {e.uid: (e.title, e.starts_on, e.ends_on) for e in MuseumEvent.objects.all()}


def test_importing_an_ical_url_creates_its_events_with_inclusive_days(client, community_manager, museum_site):
    client.force_login(community_manager)

    response = client.post(
        reverse("event_import_url"), {"name": "Agenda", "url": f"{museum_site.url}/agenda.ics", "kind": "exhibition"}
    )

    assert response.status_code == 302
    assert events_by_uid() == {
        "expo-impressionnistes@musee-marceau.example": (
            "Les impressionnistes",
            datetime.date(2030, 4, 1),
            datetime.date(2030, 8, 31),
        ),
        "nuit-des-musees-2030@musee-marceau.example": (
            "Nuit européenne des musées",
            datetime.date(2030, 5, 18),
            datetime.date(2030, 5, 18),
        ),
    }
    source = EventSource.objects.get()
    assert source.last_imported_at and MuseumEvent.objects.filter(source=source).count() == 2


def test_re_importing_updates_by_uid_without_duplicates(client, community_manager, museum_site):
    client.force_login(community_manager)
    client.post(
        reverse("event_import_url"), {"name": "Agenda", "url": f"{museum_site.url}/agenda.ics", "kind": "exhibition"}
    )
    museum_site.ics = ICS.format(title="Les impressionnistes, prolongée")

    response = client.post(reverse("event_source_refresh", args=[EventSource.objects.get().pk]), follow=True)
    import_event_sources()  # what beat runs every few hours: nothing changed since, nothing added

    assert MuseumEvent.objects.count() == 2
    assert MuseumEvent.objects.get(uid__startswith="expo").title == "Les impressionnistes, prolongée"
    assert "0 new, 1 updated, 1 unchanged" in response.content.decode()
    assert len(museum_site.received("GET", r"/agenda\.ics")) == 3


def test_uploading_the_same_ics_file_twice_adds_nothing_the_second_time(client, community_manager):
    client.force_login(community_manager)
    data = ICS.format(title="Les impressionnistes").encode()

    for _ in range(2):
        client.post(
            reverse("event_import_file"), {"file": SimpleUploadedFile("agenda.ics", data), "kind": "sector_day"}
        )

    assert MuseumEvent.objects.count() == 2
    assert set(MuseumEvent.objects.values_list("kind", flat=True)) == {"sector_day"}


@pytest.mark.parametrize(
    ("path", "message"), [("/missing.ics", "could not be downloaded"), ("/nothing", "could not be downloaded")]
)
def test_an_unreachable_url_is_refused_with_a_clear_message_and_nothing_kept(
    client, community_manager, museum_site, path, message
):
    client.force_login(community_manager)

    response = client.post(
        reverse("event_import_url"), {"name": "Agenda", "url": museum_site.url + path, "kind": "exhibition"}
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["source_form"].errors["url"])
    assert response.context["source_form"]["name"].value() == "Agenda"
    assert not EventSource.objects.exists() and not MuseumEvent.objects.exists()


def test_a_file_that_is_not_ical_is_refused(client, community_manager):
    client.force_login(community_manager)

    response = client.post(
        reverse("event_import_file"), {"file": SimpleUploadedFile("agenda.ics", b"hello"), "kind": "exhibition"}
    )

    assert response.status_code == 400
    assert "not an iCal calendar" in " ".join(response.context["file_form"].errors["file"])


def test_an_event_added_by_hand_with_a_bad_range_keeps_what_was_typed(client, community_manager):
    client.force_login(community_manager)
    data = {"title": "Fermeture annuelle", "kind": "closing_day", "starts_on": "2030-08-10", "ends_on": "2030-08-01"}

    bad = client.post(reverse("event_create"), data)
    good = client.post(reverse("event_create"), {**data, "ends_on": ""})

    assert bad.status_code == 400 and bad.context["event_form"].errors["ends_on"] == [
        "The event ends before it starts."
    ]
    assert 'value="Fermeture annuelle"' in bad.content.decode()
    assert good.status_code == 302
    event = MuseumEvent.objects.get()
    assert (event.starts_on, event.ends_on, event.kind) == (
        datetime.date(2030, 8, 10),
        datetime.date(2030, 8, 10),
        "closing_day",
    )


def test_overlapping_gives_the_events_touching_a_period(db):
    MuseumEventFactory(title="Avant", starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2030, 1, 31))
    MuseumEventFactory(title="À cheval", starts_on=datetime.date(2030, 1, 25), ends_on=datetime.date(2030, 2, 3))
    MuseumEventFactory(title="Journée", starts_on=datetime.date(2030, 2, 28), ends_on=datetime.date(2030, 2, 28))
    MuseumEventFactory(title="Après", starts_on=datetime.date(2030, 3, 1), ends_on=datetime.date(2030, 3, 2))

    titles = MuseumEvent.objects.overlapping(datetime.date(2030, 2, 1), datetime.date(2030, 2, 28))

    assert sorted(e.title for e in titles) == ["Journée", "À cheval"]


ROLES = ["curator", "community_manager", "manager", "admin", "stranger"]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_and_change_events(client, role_users, role):
    event = MuseumEventFactory()
    client.force_login(role_users[role])

    page = client.get(reverse("events"))
    create = client.post(reverse("event_create"), {"title": "X", "kind": "holiday", "starts_on": "2030-01-01"})
    delete = client.post(reverse("event_delete", args=[event.pk]))

    may_see = role != "stranger"
    may_change = role in {"community_manager", "manager", "admin"}
    assert page.status_code == (200 if may_see else 403)
    assert (create.status_code, delete.status_code) == ((302, 302) if may_change else (403, 403))


def test_an_event_is_changed_from_its_page(client, community_manager):
    event = MuseumEventFactory(title="Expo")
    client.force_login(community_manager)

    page = client.get(reverse("event_edit", args=[event.pk]))
    client.post(
        reverse("event_edit", args=[event.pk]),
        {"title": "Expo prolongée", "kind": "exhibition", "starts_on": event.starts_on, "ends_on": event.ends_on},
    )

    assert page.status_code == 200
    event.refresh_from_db()
    assert event.title == "Expo prolongée"


def test_curators_see_subscribed_calendars_by_name_but_not_their_addresses(client, curator, community_manager):
    secret = "https://agenda.example/private/3f9a7c2e/basic.ics"
    EventSource.objects.create(name="Agenda du musée", url=secret, last_error=f"Could not read {secret}")

    client.force_login(curator)
    page = client.get(reverse("events")).content.decode()
    client.force_login(community_manager)
    managed = client.get(reverse("events")).content.decode()

    assert "Agenda du musée" in page and "3f9a7c2e" not in page
    assert "The last import failed." in page
    assert secret in managed
