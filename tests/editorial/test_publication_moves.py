"""Moving an approved publication in time: back to review outside the pause flow, and always in the history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial.models import Post
from editorial.services.posts import post_create
from editorial.services.weeks import IsoWeek
from publishing.models import Network, Publication, PublishingPause
from tests.factories import SocialAccountFactory

State = Publication.State


@pytest.fixture
def approved(community_manager):
    """An approved post whose one publication is due in three days."""
    account = SocialAccountFactory(network=Network.SANDBOX, handle="musee.marceau")
    when = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)  # the form takes minutes
    post = post_create(author=community_manager, title="Atelier", text="Bonjour", scheduled_at=when, accounts=[account])
    Post.objects.filter(pk=post.pk).update(status=Post.Status.APPROVED)
    post.publications.update(state=State.DUE)
    return post


def _act(client, publication, action: str, **data):
    return client.post(reverse("publication_action", args=[publication.pk, action]), data, follow=True)


def _at(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_rescheduling_an_approved_publication_sends_the_post_back_to_review_and_records_it(
    client, community_manager, approved
):
    publication = approved.publications.get()
    later = approved.scheduled_at + timedelta(days=20)  # out of its approved week
    client.force_login(community_manager)

    response = _act(client, publication, "reschedule", at=_at(later))

    approved.refresh_from_db()
    publication.refresh_from_db()
    assert approved.status == Post.Status.IN_REVIEW
    assert publication.state == State.PENDING and publication.scheduled_at == later
    change = approved.changes.first()
    assert change.summary == "Moved on Sandbox · Musée musee.marceau after approval: back to review"
    assert change.user == community_manager and change.changes[0][2].startswith(_at(later).replace("T", " "))
    assert "the post is back in review" in response.content.decode()


def test_publish_now_before_its_time_sends_the_post_back_to_review_instead_of_sending(
    client, community_manager, approved
):
    publication = approved.publications.get()
    client.force_login(community_manager)

    _act(client, publication, "publish-now")

    approved.refresh_from_db()
    publication.refresh_from_db()
    assert approved.status == Post.Status.IN_REVIEW
    assert publication.state == State.PENDING and publication.scheduled_at <= timezone.now()
    assert "back to review" in approved.changes.first().summary


def test_re_approving_keeps_the_time_the_publication_was_moved_to(client, community_manager, manager, approved):
    publication = approved.publications.get()
    later = approved.scheduled_at + timedelta(hours=5)
    client.force_login(community_manager)
    _act(client, publication, "reschedule", at=_at(later))
    approved.refresh_from_db()

    week = IsoWeek.of(timezone.localtime(approved.scheduled_at).date())
    client.force_login(manager)
    client.post(reverse("week_approve", args=[week.year, week.week]), {f"version_{approved.pk}": approved.version})

    publication.refresh_from_db()
    assert Post.objects.get(pk=approved.pk).status == Post.Status.APPROVED
    assert publication.state == State.DUE and publication.scheduled_at == later


@pytest.fixture
def fell_due_in_pause(approved, manager):
    """Publishing was paused two hours ago; the publication fell due an hour ago."""
    now = timezone.now()
    PublishingPause.objects.create(reason="Deuil", started_by=manager, started_at=now - timedelta(hours=2))
    Post.objects.filter(pk=approved.pk).update(scheduled_at=now - timedelta(hours=1))
    approved.publications.update(scheduled_at=now - timedelta(hours=1))
    return approved.publications.get()


def test_in_the_pause_flow_rescheduling_keeps_the_approval_and_is_in_the_history(
    client, manager, approved, fell_due_in_pause
):
    tomorrow = timezone.now() + timedelta(days=1)
    client.force_login(manager)

    _act(client, fell_due_in_pause, "reschedule", at=_at(tomorrow))

    fell_due_in_pause.refresh_from_db()
    assert fell_due_in_pause.state == State.DUE and _at(fell_due_in_pause.scheduled_at) == _at(tomorrow)
    assert Post.objects.get(pk=approved.pk).status == Post.Status.APPROVED
    assert approved.changes.first().summary == "Moved on Sandbox · Musée musee.marceau"


def test_in_the_pause_flow_publish_now_sends_and_is_in_the_history(client, manager, approved, fell_due_in_pause):
    client.force_login(manager)

    _act(client, fell_due_in_pause, "publish-now")

    fell_due_in_pause.refresh_from_db()
    assert fell_due_in_pause.state == State.SENDING
    assert approved.changes.first().summary == "Published now on Sandbox · Musée musee.marceau"


def test_resuming_with_a_new_time_records_each_move(client, manager, approved, fell_due_in_pause):
    client.force_login(manager)

    tomorrow = _at(timezone.now() + timedelta(days=1))
    client.post(reverse("publishing_resume"), {"overdue": "reschedule", "reschedule_to": tomorrow})

    assert approved.changes.first().summary == "Moved on Sandbox · Musée musee.marceau"
    assert Post.objects.get(pk=approved.pk).status == Post.Status.APPROVED


def test_the_week_review_shows_a_publication_moved_apart_from_its_post(client, community_manager, manager, approved):
    publication = approved.publications.get()
    later = approved.scheduled_at + timedelta(hours=5)
    client.force_login(community_manager)
    _act(client, publication, "reschedule", at=_at(later))

    week = IsoWeek.of(timezone.localtime(approved.scheduled_at).date())
    client.force_login(manager)
    page = client.get(reverse("week_review", args=[week.year, week.week])).content.decode()

    assert f"On {publication.account}: at {timezone.localtime(later):%A %-d %B, %H:%M}, moved apart" in page


def test_a_move_is_recorded_outside_any_transaction_too(transactional_db, community_manager):
    """Requests are not atomic here: the recorder must open its own transaction to lock the post."""
    from editorial.services.posts import post_publication_moved
    from publishing.moves import Move

    account = SocialAccountFactory(network=Network.SANDBOX, handle="musee.marceau")
    post = post_create(author=community_manager, title="A", text="B", scheduled_at=timezone.now(), accounts=[account])
    publication = post.publications.get()

    post_publication_moved(Move(publication, community_manager, post.scheduled_at, timezone.now(), False, True))

    assert post.changes.first().summary == "Published now on Sandbox · Musée musee.marceau"
