"""The live desk's pages: who may do what, the tap over htmx (twice, once sent), the live column and the summary."""

import pytest
from django.utils import timezone

from editorial.models import Post
from editorial.services.live import live_next_post, live_post_fire, live_session_approve
from publishing.models import Publication
from publishing.services import publication_publish
from tests.conftest import login_client
from tests.editorial.live_helpers import prepared_session
from tests.factories import MessageFactory, MuseumEventFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_community_manager_creates_a_session_and_fills_its_run_sheet(client, community_manager):
    event = MuseumEventFactory(title="Nocturne")
    accounts = [SocialAccountFactory(), SocialAccountFactory()]
    login_client(client, community_manager)

    response = client.post(
        "/live/",
        {"title": "Nocturne live", "event": event.pk, "accounts": [a.pk for a in accounts], "hashtag": "#Nuit"},
    )
    session = event.live_sessions.get()
    assert response.status_code == 302 and response["Location"] == f"/live/{session.pk}/"
    client.post(f"/live/{session.pk}/posts/", {"text": "Les portes s'ouvrent ! #Nuit", "planned": "19:00"})

    post = session.posts.get()
    assert post.status == Post.Status.DRAFT and post.publications.count() == 2
    assert timezone.localtime(post.planned_at).strftime("%H:%M") == "19:00" and post.scheduled_at is None
    page = client.get(f"/live/{session.pk}/")
    assert "Les portes s&#x27;ouvrent" in page.text and "Approve the session" not in page.text


def test_only_a_manager_approves_a_session_and_a_stranger_sees_nothing(client, community_manager, manager, stranger):
    session = prepared_session(community_manager)
    assert login_client(client, stranger).get(f"/live/{session.pk}/").status_code == 403
    assert login_client(client, community_manager).post(f"/live/{session.pk}/approve/").status_code == 403

    login_client(client, manager).post(f"/live/{session.pk}/approve/")

    session.refresh_from_db()
    assert session.is_approved
    assert set(session.posts.values_list("status", flat=True)) == {Post.Status.APPROVED}


def test_the_tap_over_htmx_sends_once_and_shows_each_networks_status(
    client, community_manager, manager, django_assert_max_num_queries
):
    session = prepared_session(community_manager)
    live_session_approve(session=session, by=manager)
    post = live_next_post(session)
    login_client(client, community_manager)

    first = client.post(f"/live/{session.pk}/posts/{post.pk}/fire/", **HTMX)
    second = client.post(f"/live/{session.pk}/posts/{post.pk}/fire/", **HTMX)

    assert first.status_code == second.status_code == 200
    assert 'hx-trigger="every 1s"' in first.text and first.text.count("Sending") == 2
    sending = Publication.objects.filter(state=Publication.State.SENDING)
    assert sending.count() == 2
    for publication in sending:
        publication_publish(publication_id=publication.pk)
    with django_assert_max_num_queries(12):
        status = client.get(f"/live/{session.pk}/posts/{post.pk}/", **HTMX)
    assert status.text.count("Published") == 2 and "every 1s" not in status.text
    with django_assert_max_num_queries(20):
        assert client.get(f"/live/{session.pk}/").status_code == 200


def test_the_live_column_shows_replies_to_the_sessions_posts_and_its_hashtag(client, community_manager, manager):
    session = prepared_session(community_manager)
    live_session_approve(session=session, by=manager)
    post = live_next_post(session)
    live_post_fire(post=post, by=community_manager)
    account = session.accounts.first()
    publication = post.publications.get(account=account)
    MessageFactory(account=account, publication=publication, text="Bravo pour la nocturne !")
    MessageFactory(account=account, text="J'y suis ! #NuitAuMusee")
    MessageFactory(account=account, text="Une autre question, sans rapport.")
    login_client(client, community_manager)

    column = client.get(f"/inbox/live/{session.pk}/", **HTMX)

    assert "Bravo pour la nocturne" in column.text and "#NuitAuMusee" in column.text
    assert "sans rapport" not in column.text and "<html" not in column.text
    summary = client.get(f"/inbox/live/{session.pk}/summary/")
    assert summary.status_code == 200 and "1 post went out" in summary.text and "1 reply" in summary.text


def test_watching_the_live_column_syncs_the_sessions_accounts_soon_on_the_live_queue(client, community_manager):
    from django.core.cache import cache

    from museumcm.celery import app

    session = prepared_session(community_manager)
    for account in session.accounts.all():
        cache.delete(f"live-sync-{account.pk}")
    login_client(client, community_manager)
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        channel.queue_purge("live")
        client.get(f"/inbox/live/{session.pk}/", **HTMX)
        client.get(f"/inbox/live/{session.pk}/", **HTMX)  # within LIVE_SYNC_SECONDS: not asked again
        waiting = channel.client.llen("live")
        channel.queue_purge("live")
    assert waiting == 2
