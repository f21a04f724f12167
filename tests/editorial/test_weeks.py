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
    client, community_manager, manager, sandbox, instagram, week, sent_mail
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
    with sent_mail():
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
    client.post(url("week_approve", week), {f"version_{post.pk}": post.version})
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


def _approval_form(page: str) -> dict:
    """The hidden fields of the approval form, as the manager's browser would send them."""
    import re

    return dict(re.findall(r'name="(version_\d+)" value="(\d+)"', page))


def test_a_post_edited_after_the_manager_opened_the_week_stays_in_review_and_is_named(
    client, manager, community_manager, sandbox, week
):
    from django.test import Client

    from tests.editorial.test_posts import form_data

    seen = post_create(
        author=community_manager, title="Atelier", text="Bonjour", scheduled_at=on(week, 2), accounts=[sandbox]
    )
    edited = post_create(
        author=community_manager, title="Billetterie", text="Tarif 12 €", scheduled_at=on(week, 3), accounts=[sandbox]
    )
    Post.objects.filter(pk__in=[seen.pk, edited.pk]).update(status=Post.Status.IN_REVIEW)
    client.force_login(manager)
    form = _approval_form(client.get(url("week_review", week)).content.decode())

    editor = Client()
    editor.force_login(community_manager)
    edited.refresh_from_db()
    editor.post(
        reverse("post_edit", args=[edited.pk]),
        form_data(edited, accounts=[sandbox], title="Billetterie", text="Tarif 120 €, payez ici : scam.example"),
    )
    response = client.post(url("week_approve", week), form, follow=True)

    assert Post.objects.get(pk=seen.pk).status == Post.Status.APPROVED
    assert Post.objects.get(pk=edited.pk).status == Post.Status.IN_REVIEW
    assert set(edited.publications.values_list("state", flat=True)) == {Publication.State.PENDING}
    page = response.content.decode()
    assert "Changed since you opened the week, so still in review: “Billetterie”" in page
    assert WeekApproval.objects.get(year=week.year, week=week.week).state != WeekApproval.State.APPROVED


def test_a_post_put_in_review_after_the_page_was_opened_is_not_approved_unseen(
    client, manager, community_manager, sandbox, week
):
    client.force_login(manager)
    form = _approval_form(client.get(url("week_review", week)).content.decode())
    late = post_create(author=community_manager, title="Tard", text="x", scheduled_at=on(week, 1), accounts=[sandbox])
    Post.objects.filter(pk=late.pk).update(status=Post.Status.IN_REVIEW)

    client.post(url("week_approve", week), form)

    assert Post.objects.get(pk=late.pk).status == Post.Status.IN_REVIEW


def test_the_week_is_the_institutions_for_a_submitter_and_an_approver_in_other_time_zones(
    client, manager, community_manager, sandbox, week
):
    early = post_create(  # Monday 00:30 in Paris is still Sunday afternoon in Los Angeles
        author=community_manager,
        title="Lundi matin",
        text="Bonjour",
        scheduled_at=on(week, 0, hour=0).replace(minute=30),
        accounts=[sandbox],
    )
    community_manager.time_zone = "Asia/Tokyo"
    community_manager.save()
    manager.time_zone = "America/Los_Angeles"
    manager.save()

    client.force_login(community_manager)
    client.post(url("week_submit", week))
    client.force_login(manager)
    page = client.get(url("week_review", week)).content.decode()
    client.post(url("week_approve", week), _approval_form(page))

    assert "Lundi matin" in page
    assert Post.objects.get(pk=early.pk).status == Post.Status.APPROVED
