"""The live desk's rules: a session approved as a whole, an idempotent tap that jumps the queue, a thread per
account, quick posts with or without a second person's OK, and an edit that sends a post back to review."""

import pytest
from django.utils import timezone

from editorial.models import Post
from editorial.services.live import (
    LiveRefused,
    live_next_post,
    live_post_fire,
    live_quick_post,
    live_quick_post_ok,
    live_session_approve,
)
from editorial.services.posts import post_update
from publishing.models import Publication, SandboxPost
from publishing.services import publication_publish
from tests.editorial.live_helpers import prepared_session
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db
State = Publication.State


def publish_sent(ids):
    """What the worker does with each message of the live queue."""
    for pk in ids:
        publication_publish(publication_id=pk)


def test_approving_the_session_approves_its_posts_and_leaves_them_waiting_for_a_tap(community_manager, manager):
    session = prepared_session(community_manager)
    assert set(session.posts.values_list("status", flat=True)) == {Post.Status.DRAFT}

    assert live_session_approve(session=session, by=manager) == []

    assert session.is_approved and session.approved_by == manager
    assert set(session.posts.values_list("status", flat=True)) == {Post.Status.APPROVED}
    publications = Publication.objects.filter(post__live_session=session)
    assert publications.count() == 6
    assert set(publications.values_list("state", flat=True)) == {State.DUE}
    assert set(publications.values_list("scheduled_at", flat=True)) == {None}  # the clock never sends them


def test_a_post_of_a_session_not_approved_cannot_be_fired(community_manager):
    session = prepared_session(community_manager)
    with pytest.raises(LiveRefused):
        live_post_fire(post=live_next_post(session), by=community_manager)
    assert not Publication.objects.filter(state=State.SENDING).exists()


def test_a_tap_sends_every_target_once_and_a_second_tap_sends_nothing(
    community_manager, manager, django_capture_on_commit_callbacks
):
    session = prepared_session(community_manager)
    live_session_approve(session=session, by=manager)
    post = live_next_post(session)

    with django_capture_on_commit_callbacks() as enqueued:
        sent = live_post_fire(post=post, by=community_manager)
    again = live_post_fire(post=post, by=community_manager)
    publish_sent(sent)

    assert len(sent) == 2 and again == []
    assert len(enqueued) == 1
    assert set(post.publications.values_list("state", flat=True)) == {State.PUBLISHED}
    assert SandboxPost.objects.count() == 2
    assert live_next_post(session) != post


def test_a_tap_goes_to_the_live_queue_that_workers_take_first(
    community_manager, manager, settings, django_capture_on_commit_callbacks
):
    from museumcm.celery import app

    session = prepared_session(community_manager)
    live_session_approve(session=session, by=manager)
    assert [queue.name for queue in app.conf.task_queues] == ["live", "celery"]
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("queue_order_strategy") == "priority"

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        channel.queue_purge("live")
        with django_capture_on_commit_callbacks(execute=True):
            live_post_fire(post=live_next_post(session), by=community_manager)
        waiting = channel.client.llen("live")
        channel.queue_purge("live")
    assert waiting == 2


def test_each_tap_answers_the_sessions_previous_post_on_each_account(community_manager, manager):
    session = prepared_session(community_manager)
    live_session_approve(session=session, by=manager)

    for _number in range(3):
        publish_sent(live_post_fire(post=live_next_post(session), by=community_manager))

    for account in session.accounts.all():
        posts = list(SandboxPost.objects.filter(account=account).order_by("pk"))
        assert [p.in_reply_to for p in posts] == ["", posts[0].external_id, posts[1].external_id]


def test_without_thread_the_posts_stand_alone(community_manager, manager):
    session = prepared_session(community_manager, as_thread=False)
    live_session_approve(session=session, by=manager)
    for _number in range(2):
        publish_sent(live_post_fire(post=live_next_post(session), by=community_manager))
    assert set(SandboxPost.objects.values_list("in_reply_to", flat=True)) == {""}


def test_editing_a_post_of_an_approved_session_sends_it_back_to_review(community_manager, manager):
    session = prepared_session(community_manager)
    live_session_approve(session=session, by=manager)
    post = live_next_post(session)

    post_update(
        post=post,
        by=community_manager,
        version=post.version,
        title=post.title,
        text="Les portes s'ouvrent à 19 h 30 ! #NuitAuMusee",
        link="",
        campaign=None,
        scheduled_at=None,
        accounts=session.accounts.all(),
        texts={},
    )

    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert set(post.publications.values_list("state", flat=True)) == {State.PENDING}
    with pytest.raises(LiveRefused):
        live_post_fire(post=post, by=community_manager)
    live_session_approve(session=session, by=manager)
    assert len(live_post_fire(post=post, by=community_manager)) == 2


def test_a_quick_post_goes_out_at_once_when_the_session_needs_no_ok(community_manager, manager):
    session = prepared_session(community_manager, texts=[])
    session.quick_posts_need_ok = False
    session.save()
    live_session_approve(session=session, by=manager)

    post = live_quick_post(session=session, by=community_manager, text="Surprise : le chœur chante ! #NuitAuMusee")

    post.refresh_from_db()
    assert post.quick and post.live_fired_at is not None
    assert set(post.publications.values_list("state", flat=True)) == {State.SENDING}


def test_a_quick_post_waits_for_a_second_persons_ok_when_the_session_says_so(
    community_manager, manager, django_user_model
):
    session = prepared_session(community_manager, texts=[])
    live_session_approve(session=session, by=manager)

    post = live_quick_post(session=session, by=community_manager, text="Le chœur chante ! #NuitAuMusee")

    assert post.status == Post.Status.IN_REVIEW
    assert set(post.publications.values_list("state", flat=True)) == {State.PENDING}
    with pytest.raises(LiveRefused):
        live_quick_post_ok(post=post, by=community_manager)  # not the author's own OK
    assert len(live_quick_post_ok(post=post, by=manager)) == 2
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED and post.live_fired_at is not None


def test_a_live_publications_retry_is_dispatched_on_the_live_queue_again(
    community_manager, manager, django_capture_on_commit_callbacks
):
    from museumcm.celery import app
    from publishing.services import publications_dispatch

    session = prepared_session(community_manager)
    live_session_approve(session=session, by=manager)
    live_post_fire(post=live_next_post(session), by=community_manager)
    # What the worker leaves after a transient failure: due again, its next try in the past.
    retry_at = timezone.now() - timezone.timedelta(seconds=1)
    Publication.objects.filter(state=State.SENDING).update(state=State.DUE, next_attempt_at=retry_at)
    PublicationFactory(state=State.DUE, scheduled_at=retry_at)  # a scheduled one, due too

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        channel.queue_purge("live")
        channel.queue_purge("celery")
        with django_capture_on_commit_callbacks(execute=True):
            assert publications_dispatch() == 3
        waiting = {"live": channel.client.llen("live"), "celery": channel.client.llen("celery")}
        channel.queue_purge("live")
        channel.queue_purge("celery")
    assert waiting == {"live": 2, "celery": 1}
