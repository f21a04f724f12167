"""Publishing pages: who may do what, the pause banner, publication actions, the dashboard blocks."""

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing.models import Publication, PublishAttempt, PublishingPause, SocialAccount
from tests.conftest import login_client
from tests.factories import PostFactory, PublicationFactory, SocialAccountFactory

State = Publication.State
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "accounts_page", "pause_page", "action"),
    [
        ("curator", 403, 403, 403),
        ("stranger", 403, 403, 403),
        ("community_manager", 200, 200, 302),
        ("manager", 200, 200, 302),
        ("admin", 200, 200, 302),
    ],
)
def test_each_role_gets_what_it_may(client, role_users, role, accounts_page, pause_page, action):
    publication = PublicationFactory(state=State.FAILED)
    login_client(client, role_users[role])

    assert client.get(reverse("social_accounts")).status_code == accounts_page
    assert client.get(reverse("publishing_pause_page")).status_code == pause_page
    assert client.post(reverse("publishing_pause"), {"reason": "Deuil"}).status_code in {pause_page, 302}
    assert client.post(reverse("publication_action", args=[publication.pk, "retry"])).status_code == action
    assert client.post(reverse("account_disable", args=[publication.account.pk])).status_code == action


def test_curator_cannot_pause_publishing(client, curator):
    login_client(client, curator)

    response = client.post(reverse("publishing_pause"), {"reason": "Deuil national"})

    assert response.status_code == 403
    assert not PublishingPause.objects.exists()


def test_a_sandbox_account_links_to_its_feed(client, community_manager):
    account = SocialAccountFactory(handle="musee.marceau")
    login_client(client, community_manager)

    html = client.get(reverse("social_accounts")).content.decode()

    assert f'href="{reverse("sandbox_feed")}?account={account.pk}"' in html


def test_accounts_page_lists_accounts_with_status_and_expiry(client, community_manager, django_assert_max_num_queries):
    SocialAccountFactory(handle="musee.marceau", display_name="Musée Marceau")
    SocialAccountFactory(
        handle="marceau.jeunesse",
        status=SocialAccount.Status.NEEDS_RECONNECT,
        status_reason="The access token is invalid",
        token_expires_at=timezone.now(),
    )
    for _ in range(5):
        SocialAccountFactory()
    login_client(client, community_manager)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("social_accounts"))

    html = response.content.decode()
    assert "Musée Marceau" in html
    assert "Needs reconnecting" in html
    assert "The access token is invalid" in html
    assert reverse("account_connect", args=["sandbox"]) in html


def test_connecting_a_sandbox_account(client, community_manager):
    login_client(client, community_manager)

    response = client.post(
        reverse("account_connect", args=["sandbox"]), {"handle": "musee-test", "display_name": "Test"}
    )

    assert response.status_code == 302
    account = SocialAccount.objects.get(handle="musee-test")
    assert account.status == SocialAccount.Status.CONNECTED
    assert account.connected_by == community_manager


def test_a_bad_handle_re_renders_the_form_with_the_error(client, community_manager):
    login_client(client, community_manager)

    response = client.post(
        reverse("account_connect", args=["sandbox"]), {"handle": "not a handle!", "display_name": "X"}
    )

    assert response.status_code == 400
    assert 'value="not a handle!"' in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_pause_shows_a_banner_everywhere_and_resume_cancels_what_fell_due(client, manager):
    login_client(client, manager)
    client.post(reverse("publishing_pause"), {"reason": "Deuil national: pas de publication aujourd'hui."})
    fell_due = PublicationFactory(state=State.DUE, scheduled_at=timezone.now())
    later = PublicationFactory(state=State.DUE, scheduled_at=timezone.now() + timezone.timedelta(hours=2))

    home = client.get(reverse("home")).content.decode()
    page = client.get(reverse("publishing_pause_page")).content.decode()
    assert "Publishing is paused." in home
    assert "Deuil national" in home
    assert str(fell_due.post) in page

    response = client.post(reverse("publishing_resume"), {"overdue": "cancel"})

    assert response.status_code == 302
    fell_due.refresh_from_db()
    later.refresh_from_db()
    assert fell_due.state == State.CANCELLED
    assert later.state == State.DUE
    assert "Publishing is paused." not in client.get(reverse("home")).content.decode()


def test_resume_with_reschedule_needs_a_future_time(client, manager):
    login_client(client, manager)
    client.post(reverse("publishing_pause"), {"reason": "Incident"})

    response = client.post(reverse("publishing_resume"), {"overdue": "reschedule", "reschedule_to": ""})

    assert response.status_code == 400
    assert "Choose the new time." in response.content.decode()
    assert PublishingPause.objects.active().exists()


def test_status_partial_shows_each_network_and_the_attempt_history(client, community_manager):
    post = PostFactory()
    failed = PublicationFactory(post=post, state=State.FAILED, error="Text too long (612 > 500 characters)")
    PublicationFactory(
        post=post, state=State.PUBLISHED, external_url="https://fake.social/@museum/1", published_at=timezone.now()
    )
    started = timezone.now().replace(hour=10, minute=0, second=3)
    PublishAttempt.objects.create(
        publication=failed,
        number=2,
        started_at=started,
        finished_at=started,
        outcome=PublishAttempt.Outcome.TRANSIENT,
        http_status=503,
        retry_at=started + timezone.timedelta(seconds=30),
    )
    login_client(client, community_manager)

    html = client.get(reverse("publication_status", args=[post.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert "Text too long (612 &gt; 500 characters)" in html
    assert "https://fake.social/@museum/1" in html
    assert "503" in html
    assert "next try in 30 s" in html
    assert "hx-trigger" not in html  # nothing moves: no polling


def test_status_partial_polls_while_a_publication_is_due(client, community_manager):
    publication = PublicationFactory(state=State.DUE)
    login_client(client, community_manager)

    html = client.get(reverse("publication_status", args=[publication.post.pk])).content.decode()

    assert 'hx-trigger="every 3s"' in html


def test_retry_over_htmx_returns_the_updated_status(client, community_manager):
    publication = PublicationFactory(state=State.FAILED, error="503")
    login_client(client, community_manager)

    response = client.post(reverse("publication_action", args=[publication.pk, "retry"]), HTTP_HX_REQUEST="true")

    publication.refresh_from_db()
    assert publication.state == State.DUE
    assert f'id="publication-status-{publication.post.pk}"' in response.content.decode()


def test_mark_as_published_keeps_the_link(client, community_manager):
    publication = PublicationFactory(state=State.UNCONFIRMED)
    login_client(client, community_manager)

    client.post(
        reverse("publication_action", args=[publication.pk, "mark-published"]), {"url": "https://x.com/museum/status/1"}
    )

    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert publication.external_url == "https://x.com/museum/status/1"


def test_dashboard_lists_failures_and_accounts_to_reconnect_with_their_fix(client, community_manager):
    PublicationFactory(state=State.FAILED, error="Image type not supported: image/bmp")
    account = SocialAccountFactory(status=SocialAccount.Status.NEEDS_RECONNECT, status_reason="Token expired")
    login_client(client, community_manager)

    html = client.get(reverse("home")).content.decode()

    assert "Image type not supported: image/bmp" in html
    assert "Retry" in html
    assert reverse("account_connect", args=[account.network]) in html
    assert "Publishing looks stopped" in html  # no heartbeat in this test
