"""`make run`'s demo has a live session for the museum's next night opening, approved and ready to tap."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from editorial.demo_live import next_night_opening
from editorial.models import LiveSession, Post
from publishing.models import Network, Publication

pytestmark = pytest.mark.django_db


def test_the_demo_prepares_the_next_night_openings_live_session_on_the_sandbox():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent

    session = LiveSession.objects.get()
    assert session.event.starts_on == next_night_opening(timezone.localdate()) >= timezone.localdate()
    assert session.is_approved and session.tag == "#NocturneMarceau"
    assert {a.network for a in session.accounts.all()} == {Network.SANDBOX}
    posts = session.posts.order_by("live_position")
    assert posts.count() == 4 and {p.status for p in posts} == {Post.Status.APPROVED}
    planned = [timezone.localtime(p.planned_at).strftime("%H:%M") for p in posts]
    assert planned == ["19:00", "19:45", "21:00", "22:30"]
    states = Publication.objects.filter(post__live_session=session).values_list("state", "scheduled_at")
    assert set(states) == {(Publication.State.DUE, None)}


def test_the_next_night_opening_is_the_coming_friday():
    assert next_night_opening(datetime.date(2026, 12, 7)) == datetime.date(2026, 12, 11)
    assert next_night_opening(datetime.date(2026, 12, 11)) == datetime.date(2026, 12, 11)
