"""Shared fixtures: one named user per role, a real Celery worker, a real browser.

Everything runs against the PostgreSQL and Redis named by DATABASE_URL and REDIS_URL (`make test` sets them).
"""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection

from accounts.roles import Role
from tests.factories import PASSWORD, user_with_role
from tests.fakes.base import STARTED

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def curator(db):
    return user_with_role(Role.CURATOR, username="claire", display_name="Claire Curatrice")


@pytest.fixture
def community_manager(db):
    return user_with_role(Role.COMMUNITY_MANAGER, username="camille", display_name="Camille CM")


@pytest.fixture
def manager(db):
    return user_with_role(Role.MANAGER, username="marc", display_name="Marc Manager")


@pytest.fixture
def admin_user(db):
    return user_with_role(Role.ADMIN, username="ada", display_name="Ada Admin")


@pytest.fixture
def stranger(db):
    """Signed in, but given no role: may see nothing of the team's work."""
    return user_with_role(None, username="sam", display_name="Sam Stranger")


@pytest.fixture
def role_users(curator, community_manager, manager, admin_user, stranger):
    return {
        "curator": curator,
        "community_manager": community_manager,
        "manager": manager,
        "admin": admin_user,
        "stranger": stranger,
    }


def login_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Uploaded files go to a throwaway folder; pages speak English unless a test asks for French; passwords hash
    fast (the production hasher costs a third of a second per user, and every test makes five). The fake networks
    speak plain HTTP on loopback: the outbound policy lets the app call the ones serving, and only them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OUTBOUND_ALLOW_HTTP = True
    settings.OUTBOUND_ALLOWED_HOSTS = STARTED
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def worker_env(**extra) -> dict:
    """Environment for a subprocess (worker, beat) that must see the test database, not the development one."""
    name = connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": _database_url(name), "PYTHONUNBUFFERED": "1"}
    env.update(OUTBOUND_ALLOW_HTTP="true", OUTBOUND_ALLOWED_HOSTS="127.0.0.1")  # the fakes, whichever port
    env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # no SMTP server in tests
    env.update(extra)
    return env


def _database_url(name: str) -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


class CeleryWorker:
    """A real `celery worker` process on the test Redis broker and the test database."""

    def __init__(self, *args: str, name: str = "worker", env: dict | None = None):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "museumcm",
            "worker",
            "--loglevel=INFO",
            f"--hostname={name}-{os.getpid()}@%h",
            "--without-mingle",
            "--without-gossip",
            *args,
        ]
        self.log_path = Path(f"/tmp/museumcm-{name}-{os.getpid()}-{time.monotonic_ns()}.log")
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or worker_env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log_path.read_text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"Celery worker did not start:\n{self.log_path.read_text()[-3000:]}")

    def output(self) -> str:
        return self.log_path.read_text()

    def stop(self, sig: int = 15) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.log.close()


@pytest.fixture
def celery_worker_factory(transactional_db):
    """Start real worker processes; all are stopped when the test ends. Purges the queue first."""
    from museumcm.celery import app

    app.control.purge()
    workers: list[CeleryWorker] = []

    def start(*args: str, **kwargs) -> CeleryWorker:
        worker = CeleryWorker(*args, **kwargs)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker(celery_worker_factory):
    return celery_worker_factory("--pool=threads", "--concurrency=4")


@pytest.fixture
def sent_mail(django_capture_on_commit_callbacks):
    """E-mails leave after commit, by a task (accounts/mail.py): `with sent_mail() as outbox:` around the action runs
    its after-commit callbacks and the task in this process (sending does not depend on Celery)."""
    from museumcm.celery import app

    @contextmanager
    def run():
        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield mail.outbox
        finally:
            app.conf.task_always_eager = eager

    return run


def wait_for(predicate, timeout: float = 20, interval: float = 0.1, message: str = "condition"):
    """Poll until `predicate()` is truthy; for results produced by other processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


# Browser ----------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    # The live server finds static files by their plain names; hashed manifest names are for collected files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, user, password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


pytest_plugins = ["tests.fakes.fixtures"]
