"""The dispatcher's every-second tick stays out of the INFO logs of real beat and worker processes (issue 12, item 8).

Every other task is still logged, and the tick's lines come back with LOG_LEVEL=DEBUG.
"""

import pytest

from publishing.models import Network, Publication
from publishing.tasks import dispatch_due_publications
from tests.conftest import wait_for
from tests.factories import SocialAccountFactory
from tests.publishing.pipeline import CeleryBeat, all_in, due_publication, start_worker

pytestmark = [pytest.mark.worker]

TICK = "dispatch_due_publications["  # a task line: name[id] (the start-up banner lists the name alone)


def test_the_worker_does_not_log_the_dispatcher_tick_at_info(celery_worker_factory):
    publication = due_publication(SocialAccountFactory(network=Network.SANDBOX))
    worker = start_worker(celery_worker_factory)

    dispatch_due_publications.delay()

    wait_for(lambda: all_in(Publication.State.PUBLISHED, [publication]), message="the dispatched publication")
    wait_for(lambda: "publish_publication" in worker.output() and "succeeded" in worker.output())
    assert TICK not in worker.output()


def test_beat_does_not_log_the_dispatcher_tick_at_info(celery_worker_factory, tmp_path):
    beat = CeleryBeat(tmp_path, "quiet-beat", loglevel="INFO", INBOX_SYNC_INTERVAL="1")
    try:
        wait_for(lambda: beat.log_path.read_text().count("sync-inbox-accounts") >= 2, message="two sync ticks")
    finally:
        beat.stop()
    assert "dispatch-due-publications" not in beat.log_path.read_text()
