"""`/calendar/events/new/` opened directly shows its form (it used to answer 405)."""

from datetime import date

from editorial.models import MuseumEvent


def test_the_new_event_address_shows_a_form_that_adds_the_event(client, community_manager):
    client.force_login(community_manager)

    page = client.get("/calendar/events/new/")
    assert page.status_code == 200
    assert b'name="starts_on"' in page.content

    saved = client.post("/calendar/events/new/", {"title": "Nocturne", "kind": "other", "starts_on": "2026-12-11"})
    assert saved.status_code == 302
    assert MuseumEvent.objects.get(title="Nocturne").ends_on == date(2026, 12, 11)


def test_a_curator_may_not_open_it(client, curator):
    client.force_login(curator)

    assert client.get("/calendar/events/new/").status_code == 403
