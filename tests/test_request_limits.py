"""Requests bigger than the app has any use for are refused before they cost memory: by gunicorn (the head) and by
Django (form fields over 1 MB; files in editorial.uploads, see tests/editorial/test_uploads.py)."""

import socket
import subprocess
import sys
import time

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from editorial.models import Idea
from museumcm.fields import BoundedTextField
from tests.conftest import ROOT, worker_env
from tests.factories import IdeaFactory

# Written by the app or a network, never typed into a form: errors, notifications, messages received, secrets.
MACHINE_WRITTEN = {
    "publishing.SocialAccount.credentials",
    "publishing.SocialAccount.status_reason",
    "publishing.MastodonApp.credentials",
    "publishing.Publication.error",
    "publishing.PublishAttempt.error",
    "editorial.EventSource.last_error",
    "editorial.Notification.message",
    "inbox.Message.text",
    "inbox.Reply.error",
    "inbox.ReplyAttempt.error",
    "inbox.SyncCursor.last_error",
}


def test_every_text_field_people_write_has_a_limit():
    unbounded = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "editorial", "publishing", "inbox"}
        for field in model._meta.fields
        if isinstance(field, models.TextField) and field.max_length is None
    }
    assert unbounded == MACHINE_WRITTEN


def test_a_bounded_text_field_is_checked_by_model_validation(db):
    idea = IdeaFactory.build(proposer=IdeaFactory().proposer, pitch="x" * 10_001)
    assert isinstance(Idea._meta.get_field("pitch"), BoundedTextField)

    with pytest.raises(ValidationError) as refused:
        idea.full_clean()

    assert "pitch" in refused.value.message_dict


def test_a_pitch_over_its_limit_comes_back_with_a_form_error(client, curator):
    client.force_login(curator)
    data = {"title": "Une idée", "pitch": "x" * 10_001, "kind": "artwork", "images-TOTAL_FORMS": "3"}
    data["images-INITIAL_FORMS"] = "0"

    response = client.post(reverse("idea_create"), data)

    assert response.status_code == 200
    assert "at most 10000 characters" in " ".join(response.context["form"].errors["pitch"])
    assert not Idea.objects.exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(db):
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "museumcm.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env=worker_env(), stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=20)


def _status(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        return connection.recv(200).split(b"\r\n", 1)[0]


def test_gunicorn_refuses_an_overlong_request_line_or_too_many_headers(gunicorn):
    long_line = b"GET /healthz?" + b"a" * 5000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    many_headers = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + b"".join(
        b"X-Filler-%d: 1\r\n" % n for n in range(60)
    )
    assert _status(gunicorn, long_line).startswith(b"HTTP/1.1 400")
    assert _status(gunicorn, many_headers + b"\r\n").startswith(b"HTTP/1.1 431")  # gunicorn's default allows 100
    ordinary = b"GET /healthz?" + b"a" * 3000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    assert not _status(gunicorn, ordinary).startswith((b"HTTP/1.1 400", b"HTTP/1.1 431"))
