import pytest

from publishing.models import Heartbeat
from publishing.tasks import record_heartbeat
from tests.conftest import wait_for

pytestmark = pytest.mark.worker


def test_a_real_worker_consumes_from_redis_and_writes_to_postgresql(celery_worker):
    assert Heartbeat.age() is None

    record_heartbeat.delay()

    wait_for(lambda: Heartbeat.age() is not None, message="the worker to record its heartbeat")
    assert "publishing.tasks.record_heartbeat" in celery_worker.output()
