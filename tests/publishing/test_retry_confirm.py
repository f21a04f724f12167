"""Retrying a publication that failed days ago asks first: its text may be out of date (issue 12, item 8)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from publishing.models import Publication
from tests.factories import PublicationFactory


def _failed(days_ago: float) -> Publication:
    return PublicationFactory(
        state=Publication.State.FAILED,
        scheduled_at=timezone.now() - timedelta(days=days_ago),
        text="Ce soir, nocturne jusqu'à 22 h !",
        error="Le réseau ne répondait pas.",
    )


def _retry(client, publication, headers=None, **data):
    url = reverse("publication_action", args=[publication.pk, "retry"])
    return client.post(url, {"next": "/", **data}, headers=headers or {})


def test_an_old_failure_is_not_retried_before_the_text_is_seen_and_confirmed(client, community_manager):
    publication = _failed(days_ago=3)
    client.force_login(community_manager)

    asked = _retry(client, publication)

    assert Publication.objects.get(pk=publication.pk).state == Publication.State.FAILED
    confirm_page = client.get(asked["Location"]).content.decode()
    assert "Ce soir, nocturne jusqu&#x27;à 22 h !" in confirm_page
    assert 'name="confirm" value="1"' in confirm_page

    _retry(client, publication, confirm="1")
    assert Publication.objects.get(pk=publication.pk).state != Publication.State.FAILED


def test_an_htmx_retry_of_an_old_failure_opens_the_question(client, community_manager):
    publication = _failed(days_ago=2)
    client.force_login(community_manager)

    response = _retry(client, publication, headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(reverse("publication_retry_confirm", args=[publication.pk]))
    assert Publication.objects.get(pk=publication.pk).state == Publication.State.FAILED


def test_a_recent_failure_is_retried_at_once(client, community_manager):
    publication = _failed(days_ago=0.05)
    client.force_login(community_manager)

    _retry(client, publication)

    assert Publication.objects.get(pk=publication.pk).state != Publication.State.FAILED
