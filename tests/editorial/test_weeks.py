"""The weekly approval: submit a week, approve it, send single posts back."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from editorial.models import Notification, Post, WeekApproval
from editorial.services.posts import post_create
from editorial.services.weeks import IsoWeek
from publishing.models import Network, Publication
from tests.factories import SocialAccountFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def week():
    return IsoWeek.of(timezone.localdate() + timedelta(days=14))


def on(week: IsoWeek, weekday: int, hour: int = 10) -> datetime:
    day = week.monday + timedelta(days=weekday)
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


@pytest.fixture
def sandbox(db):
    return SocialAccountFactory(network=Network.SANDBOX, handle="musee.marceau")


@pytest.fixture
def instagram(db):
    return SocialAccountFactory(network=Network.INSTAGRAM, handle="museemarceau")


def url(name: str, week: IsoWeek) -> str:
    return reverse(name, args=[week.year, week.week])


def test_submitting_a_week_puts_its_valid_posts_in_review_and_tells_managers(
    client, community_manager, manager, sandbox, instagram, week
):
    good = post_create(
        author=community_manager, title="Bon", text="Bonjour", scheduled_at=on(week, 1), accounts=[sandbox]
    )
    bad = post_create(
        author=community_manager, title="Sans image", text="Bonjour", scheduled_at=on(week, 3), accounts=[instagram]
    )
    other_week = post_create(
        author=community_manager, title="Plus tard", text="x", scheduled_at=on(week, 9), accounts=[sandbox]
    )
    client.force_login(community_manager)
    response = client.post(url("week_submit", week), follow=True)
    page = response.content.decode()
    assert "Sans image" in page and "Still in draft" in page
    assert Post.objects.get(pk=good.pk).status == Post.Status.IN_REVIEW
    assert Post.objects.get(pk=bad.pk).status == Post.Status.DRAFT
    assert Post.objects.get(pk=other_week.pk).status == Post.Status.DRAFT
    approval = WeekApproval.objects.get(year=week.year, week=week.week)
    assert approval.state == WeekApproval.State.SUBMITTED and approval.submitted_by == community_manager
    assert Notification.objects.filter(recipient=manager, kind=Notification.Kind.WEEK_SUBMITTED).exists()
    assert any(manager.email in m.to for m in mail.outbox)


def test_curators_cannot_submit_and_community_managers_cannot_approve(client, curator, community_manager, week):
    client.force_login(curator)
    assert client.post(url("week_submit", week)).status_code == 403
    client.force_login(community_manager)
    assert client.post(url("week_approve", week)).status_code == 403


def test_the_review_page_shows_every_post_of_the_week_with_its_per_network_texts(
    client, manager, community_manager, sandbox, instagram, week
):
    post = post_create(
        author=community_manager,
        title="Atelier",
        text="Maître",
        scheduled_at=on(week, 2),
        accounts=[sandbox, instagram],
        texts={instagram.pk: "Version Instagram"},
    )
    client.force_login(manager)
    page = client.get(url("week_review", week)).content.decode()
    assert "Atelier" in page and "Maître" in page and "Version Instagram" in page
    assert "Instagram needs an image" in page
    assert f'data-post="{post.pk}"' in page


def test_approving_a_week_approves_its_posts_queues_publications_and_records_who(
    client, manager, community_manager, sandbox, week
):
    post = post_create(
        author=community_manager, title="Atelier", text="Bonjour", scheduled_at=on(week, 2), accounts=[sandbox]
    )
    draft = post_create(
        author=community_manager, title="Brouillon", text="x", scheduled_at=on(week, 4), accounts=[sandbox]
    )
    Post.objects.filter(pk=post.pk).update(status=Post.Status.IN_REVIEW)
    client.force_login(manager)
    client.post(url("week_approve", week))
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED
    assert list(post.publications.values_list("state", flat=True)) == [Publication.State.DUE]
    assert Post.objects.get(pk=draft.pk).status == Post.Status.DRAFT
    approval = WeekApproval.objects.get(year=week.year, week=week.week)
    assert approval.state == WeekApproval.State.APPROVED
    assert approval.approved_by == manager and approval.approved_at is not None
    assert Notification.objects.filter(recipient=community_manager, kind=Notification.Kind.WEEK_APPROVED).exists()
    calendar = client.get(reverse("calendar") + f"?month={post.scheduled_at:%Y-%m}").content.decode()
    assert "chip-scheduled" in calendar


def test_a_manager_sends_a_single_post_back_with_a_comment(client, manager, community_manager, sandbox, week):
    post = post_create(
        author=community_manager, title="Atelier", text="Bonjour", scheduled_at=on(week, 2), accounts=[sandbox]
    )
    Post.objects.filter(pk=post.pk).update(status=Post.Status.IN_REVIEW)
    client.force_login(manager)
    response = client.post(
        reverse("post_send_back", args=[post.pk]),
        {"comment": "Ajoute le lien de la billetterie", "next": url("week_review", week)},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert post.comments.get().text == "Ajoute le lien de la billetterie"
    notification = Notification.objects.get(recipient=community_manager, kind=Notification.Kind.POST_SENT_BACK)
    assert "billetterie" in notification.message


def test_sending_back_needs_a_comment_and_the_approve_permission(client, manager, community_manager, sandbox, week):
    post = post_create(author=community_manager, title="A", text="B", scheduled_at=on(week, 2), accounts=[sandbox])
    Post.objects.filter(pk=post.pk).update(status=Post.Status.IN_REVIEW)
    client.force_login(community_manager)
    assert client.post(reverse("post_send_back", args=[post.pk]), {"comment": "non"}).status_code == 403
    client.force_login(manager)
    client.post(reverse("post_send_back", args=[post.pk]), {"comment": ""})
    assert Post.objects.get(pk=post.pk).status == Post.Status.IN_REVIEW


def test_a_week_that_does_not_exist_is_a_404(client, manager):
    client.force_login(manager)
    assert client.get(reverse("week_review", args=[2026, 60])).status_code == 404
