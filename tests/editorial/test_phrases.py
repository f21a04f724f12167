"""Notifications and history are shown in the reader's language, not the writer's (issue 12, item 8)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone, translation

from editorial.models import Notification, PostChange
from editorial.services.ideas import idea_decline
from editorial.services.posts import post_move
from tests.factories import IdeaFactory, PostFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def _speaking(client, user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def test_a_notification_written_in_french_reads_in_english_for_an_english_reader(client, curator, manager):
    idea = IdeaFactory(proposer=curator, title="La Vénus")
    with translation.override("fr"):
        idea_decline(idea=idea, by=manager, reason="Déjà publié.")

    english = _speaking(client, curator, "en").get("/notifications/").content.decode()
    assert f"{manager} declined your idea “La Vénus”: Déjà publié." in english
    french = _speaking(client, curator, "fr").get("/notifications/").content.decode()
    assert f"{manager} a refusé votre idée « La Vénus » : Déjà publié." in french


def test_a_history_line_written_in_french_reads_in_english(client, community_manager):
    post = PostFactory(scheduled_at=timezone.now() + timedelta(days=2))
    PublicationFactory(post=post)
    with translation.override("fr"):
        post_move(post=post, by=community_manager, scheduled_at=post.scheduled_at + timedelta(days=1))

    page = _speaking(client, community_manager, "en").get(f"/calendar/posts/{post.pk}/edit/").content.decode()
    assert "<strong>Moved</strong>" in page
    assert "<dt>Scheduled at</dt>" in page
    assert "Déplacé" not in page


def test_rows_written_before_get_their_event_back_from_their_text(curator, community_manager):
    post = PostFactory()
    old = Notification.objects.create(
        recipient=curator, kind="week_approved", message="Marc Manager a validé la semaine 12 de 2026."
    )
    line = PostChange.objects.create(
        post=post,
        user=community_manager,
        summary="Déplacé après validation : retour en relecture",
        changes=[["Programmé le", "a", "b"]],
    )
    other = Notification.objects.create(recipient=curator, kind="week_approved", message="Un texte libre")

    importlib.import_module("editorial.migrations.0008_phrases").events_from_text(apps, None)

    old.refresh_from_db(), line.refresh_from_db(), other.refresh_from_db()
    with translation.override("en"):
        assert old.text == "Marc Manager approved week 12 of 2026."
        assert line.summary_text == "Moved after approval: back to review"
        assert line.lines == [("Scheduled at", "a", "b")]
        assert other.text == "Un texte libre"
