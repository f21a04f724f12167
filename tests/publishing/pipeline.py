"""Helpers of the pipeline and fault tests: real `celery beat` processes, and publications made due."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from publishing.models import Publication
from tests.conftest import ROOT, worker_env
from tests.factories import PostFactory, PublicationFactory

# Fast enough for tests: beat wakes the dispatcher twice a second; a lost message is re-sent after 2 s.
PIPELINE_ENV = {
    "PUBLISHING_DISPATCH_INTERVAL": "0.5",
    "PUBLISHING_REDISPATCH_SECONDS": "2",
    "PUBLISHING_RETRY_BASE_SECONDS": "1",
}


class CeleryBeat:
    """A real `celery beat` process with its own schedule file, on the test broker and database."""

    def __init__(self, tmp_path: Path, name: str = "beat", **env: str):
        schedule = tmp_path / f"{name}-schedule"
        self.log_path = tmp_path / f"{name}.log"
        self.log = self.log_path.open("w")
        # DEBUG: the dispatcher's tick is logged below INFO (museumcm/logs.py), and wait_dispatching() looks for it.
        level = env.pop("loglevel", "DEBUG")
        command = [sys.executable, "-m", "celery", "-A", "museumcm", "beat", f"--loglevel={level}", "-s", str(schedule)]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=worker_env(**PIPELINE_ENV, **env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_dispatching(self, timeout: float = 30) -> None:
        """Until beat has sent its first dispatch: from then on, a due row goes out within a second."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "dispatch_due_publications" in self.log_path.read_text():
                return
            time.sleep(0.1)
        raise RuntimeError(f"celery beat did not dispatch:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.log.close()


@pytest.fixture
def beat_factory(celery_worker_factory, tmp_path):
    beats: list[CeleryBeat] = []

    def start(name: str = "beat", **env: str) -> CeleryBeat:
        beat = CeleryBeat(tmp_path, name, **env)
        beats.append(beat)
        return beat

    yield start
    for beat in beats:
        beat.stop()


def start_worker(factory, *args: str, name: str = "worker", **env: str):
    env.setdefault("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the test's own media folder (tests/conftest.py)
    return factory("--pool=threads", "--concurrency=8", *args, name=name, env=worker_env(**PIPELINE_ENV, **env))


def due_publication(account, *, at=None, **post_fields) -> Publication:
    """An approved post's publication, due at `at` (now by default)."""
    at = at or timezone.now()
    post = PostFactory(scheduled_at=at, author=_author(), **post_fields)
    return PublicationFactory(post=post, account=account, state=Publication.State.DUE, scheduled_at=at)


def _author():
    """One author for all: a factory user per post would hash a password each time (slow by design)."""
    return User.objects.get_or_create(username="pipeline-author")[0]


def states(*publications) -> set[str]:
    return set(Publication.objects.filter(pk__in=[p.pk for p in publications]).values_list("state", flat=True))


def all_in(state: str, publications) -> bool:
    return states(*publications) == {state}


def elapsed_since(start: float) -> float:
    return time.monotonic() - start


def reconnect_mastodon(account, fake, token: str = "fresh-token") -> None:
    """What connecting the account again does, with a fresh token the fake accepts."""
    from publishing.connections import socialaccount_connect

    fake.tokens.add(token)
    socialaccount_connect(
        network=account.network,
        handle=account.handle,
        by=None,
        credentials={"access_token": token},
        server_url=fake.url,
        external_id=account.external_id,
    )
