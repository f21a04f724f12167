"""The pipeline end to end: a real beat and worker on Redis and PostgreSQL publish due posts at their minute, once."""

import time

import pytest
from django.utils import timezone

from publishing.models import Network, Publication, PublishAttempt, SandboxPost
from publishing.services import publishing_pause, publishing_resume
from tests.conftest import wait_for
from tests.factories import MediaFactory, SocialAccountFactory
from tests.publishing.pipeline import all_in, beat_factory, due_publication, start_worker  # noqa: F401

State = Publication.State
pytestmark = pytest.mark.worker


def test_a_due_post_with_an_image_goes_out_once_on_the_sandbox(celery_worker_factory, beat_factory):  # noqa: F811
    account = SocialAccountFactory(network=Network.SANDBOX)
    publication = due_publication(account, text="La Joconde vous attend. #MuseumWeek")
    MediaFactory(post=publication.post, alt_text="La Joconde, portrait d'une femme souriante.")
    start_worker(celery_worker_factory)
    beat_factory()

    wait_for(lambda: all_in(State.PUBLISHED, [publication]), message="the publication to be published")

    publication.refresh_from_db()
    post = SandboxPost.objects.get()
    assert post.text == "La Joconde vous attend. #MuseumWeek"
    assert post.alt_texts == ["La Joconde, portrait d'une femme souriante."]
    assert publication.external_id == post.external_id
    attempt = publication.attempts.get()
    assert attempt.outcome == PublishAttempt.Outcome.PUBLISHED
    assert attempt.finished_at >= attempt.started_at


def test_a_future_post_waits_for_its_minute_then_goes_out_on_time(celery_worker_factory, beat_factory):  # noqa: F811
    account = SocialAccountFactory(network=Network.SANDBOX)
    start_worker(celery_worker_factory)
    beat_factory().wait_dispatching()
    due_at = timezone.now() + timezone.timedelta(seconds=4)
    publication = due_publication(account, at=due_at)
    assert not SandboxPost.objects.exists()

    wait_for(lambda: all_in(State.PUBLISHED, [publication]), timeout=30, message="the publication to be published")

    post = SandboxPost.objects.get()
    lateness = (post.created_at - due_at).total_seconds()
    assert 0 <= lateness < 3


def test_a_paused_publication_waits_and_goes_out_on_resume(celery_worker_factory, beat_factory):  # noqa: F811
    account = SocialAccountFactory(network=Network.SANDBOX)
    publishing_pause(reason="Deuil", by=None)  # role groups do not survive transactional tests
    paused = due_publication(account)
    start_worker(celery_worker_factory)
    beat_factory().wait_dispatching()
    time.sleep(2)
    assert all_in(State.DUE, [paused])

    publishing_resume(by=None, overdue="publish")

    wait_for(lambda: all_in(State.PUBLISHED, [paused]), message="the publication to go out after resuming")
    assert SandboxPost.objects.count() == 1
