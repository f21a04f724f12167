"""Operations baseline: health check, production settings, missing secrets, security headers."""

import os
import secrets
import subprocess
import sys

from cryptography.fernet import Fernet
from django.urls import reverse

from museumcm.celery import app as celery_app
from tests.conftest import ROOT


def _manage(*args, **env_changes) -> subprocess.CompletedProcess:
    env_changes.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for Playwright's sake, never in production
    env = {**os.environ, **{k: v for k, v in env_changes.items() if v is not None}}
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def _on_sqlite(tmp_path, command: str, **env_changes) -> list[str]:
    """`command` run by `manage.py shell` on a fresh embedded SQLite database (`make run`'s default): its lines."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/museumcm.sqlite3", "REDIS_URL": None, "DATA_DIR": str(tmp_path)}
    migrated = _manage("migrate", "--verbosity", "0", **env)
    assert migrated.returncode == 0, migrated.stderr
    done = _manage("shell", "--no-imports", "--command", command, **env, **env_changes)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_healthz_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["broker"] == "ok"


def test_healthz_answers_503_when_the_broker_is_down(client, db):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        celery_app.conf.broker_url = original

    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_production_settings_pass_the_deployment_check_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        HTTPS=None,
        SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_key_in_production_stops_start_up_with_a_clear_message():
    result = _manage("check", DEBUG="false", SECRET_KEY=None, SECRET_KEY_FILE=None)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_junk_boolean_stops_start_up_with_a_clear_message():
    result = _manage("check", DEBUG="yes please")

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_pages_carry_a_content_security_policy_without_unsafe_sources(client, curator):
    client.force_login(curator)

    policy = client.get(reverse("home")).headers["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "unsafe" not in policy


def test_images_may_come_only_from_the_app_and_the_networks_media_hosts(client, curator):
    client.force_login(curator)

    policy = client.get(reverse("home")).headers["Content-Security-Policy"]

    img_src = next(d for d in policy.split(";") if d.strip().startswith("img-src")).split()[1:]
    assert "https:" not in img_src and "*" not in img_src
    assert {"'self'", "https://pbs.twimg.com", "https://*.cdninstagram.com"} <= set(img_src)


PUBLISH_ON_SQLITE = """
from django.contrib.auth import get_user_model
from editorial.models import Post
from publishing.models import Publication, SandboxPost, SocialAccount
from publishing.services import publication_publish

author = get_user_model().objects.create(username="claire")
account = SocialAccount.objects.create(network="sandbox", handle="musee")
post = Post.objects.create(title="Nocturne", text="Nocturne ce soir", author=author, status="approved")
publication = Publication.objects.create(post=post, account=account, text=post.text, state="sending")
print(publication_publish(publication_id=publication.pk))
publication.refresh_from_db()
attempt = publication.attempts.get()
print(publication.attempt_count, attempt.outcome, attempt.finished_at is not None, SandboxPost.objects.count())
"""


def test_the_embedded_sqlite_default_publishes_through_the_workers_statements(tmp_path):
    """`make run` works on SQLite: the worker's hand-written statements (publishing/sql.py) must run there too."""
    assert _on_sqlite(tmp_path, PUBLISH_ON_SQLITE) == ["published", "1 published True 1"]


INSIGHTS_ON_SQLITE = """
from datetime import UTC, date, datetime
from django.conf import settings
from django.contrib.auth import get_user_model
from editorial.models import Post
from insights.models import AccountSnapshot, CadenceTarget, Checkpoint, PublicationSnapshot
from insights.models.latest import refresh
from insights.selectors import InsightFilters, Period, best_moments, headlines, period_figures
from publishing.models import Publication, SocialAccount

author = get_user_model().objects.create(username="claire")
account = SocialAccount.objects.create(network="sandbox", handle="musee")
at = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
for title, likes in (("Nocturne", 4), ("Vernissage", None)):
    post = Post.objects.create(title=title, text=title, author=author, status="approved")
    publication = Publication.objects.create(post=post, account=account, state="published", published_at=at)
    PublicationSnapshot.objects.create(publication=publication, checkpoint=Checkpoint.H1, taken_at=at, likes=likes)
    refresh([publication.pk])
march = InsightFilters(Period(date(2026, 3, 1), date(2026, 3, 31)))
totals = period_figures(march).results.totals
print(totals.published, totals.measured, totals.engagements)
print([(c["weekday"], c["hour"], c["median"], c["n"]) for c in best_moments(march)])
CadenceTarget.objects.create(account=account, posts_per_week=1)
for day, count in ((date(2026, 2, 1), 80), (date(2026, 2, 27), 90), (date(2026, 3, 31), 100)):
    AccountSnapshot.objects.create(account=account, day=day, taken_at=at, followers=count)
shown = ("followers", "followers_gained", "published", "engagements", "cadence_kept")
print([(h.key, h.value, h.previous) for h in headlines(march)[0] if h.key in shown])
settings.TIME_ZONE = "America/New_York"
print([(c["hour"], c["n"]) for c in best_moments(march, per_network=False)])
"""


def test_the_embedded_sqlite_default_computes_insights_figures_and_local_hours(tmp_path):
    """The Insights statements (the period's one pass, best moments from the stored local hours, rewritten when the
    zone setting changes, the report's headlines and the previous period's) run on SQLite too; a post whose network
    gave no likes counts in no median."""
    figures = _on_sqlite(tmp_path, INSIGHTS_ON_SQLITE, TIME_ZONE="Europe/Paris")

    # The report's headlines against February: March's six weeks (23 Feb … 30 Mar) kept once, February's five none.
    headlines = "[('followers', 100, 90), ('followers_gained', 0, 10), ('published', 2, 0), ('engagements', 4, None), "
    headlines += f"('cadence_kept', {1 / 6}, 0.0)]"
    assert figures == ["2 1 4", "[(2, 0, 4.0, 1)]", headlines, "[(18, 1)]"]


ASK_SEARCH_ON_SQLITE = """
from django.utils import timezone
from ask.models import Question
from ask.selectors import answers_page

for text, answer in (("Le feu à la Préhistoire ?", "Dès 400 000 ans."), ("Un mammouth ?", "Trois.")):
    Question.objects.create(text=text, answer=answer, state="published", published_at=timezone.now())
for words in ("feu", "MAMMOUTH", "ans", "grotte"):
    page = answers_page(theme=None, query=f" {words} ", number=1, known={})
    print(words, page.paginator.count, [q.text for q in page])
"""


def test_the_embedded_sqlite_default_searches_the_answers_by_their_words(tmp_path):
    """SQLite has no full-text search: the public search finds the words as typed in a question or its answer."""
    assert _on_sqlite(tmp_path, ASK_SEARCH_ON_SQLITE) == [
        "feu 1 ['Le feu à la Préhistoire ?']",
        "MAMMOUTH 1 ['Un mammouth ?']",
        "ans 1 ['Le feu à la Préhistoire ?']",
        "grotte 0 []",
    ]


def test_a_malformed_field_encryption_key_stops_start_up_with_a_clear_message():
    result = _manage(
        "check", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(64), FIELD_ENCRYPTION_KEY="not-a-fernet-key-at-all"
    )

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY: key 1 is not a Fernet key" in result.stderr
    assert "not-a-fernet-key-at-all" not in result.stderr


def test_production_refuses_the_console_email_backend_unless_asked_explicitly():
    production = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64)}
    console = "django.core.mail.backends.console.EmailBackend"

    refused = _manage("check", EMAIL_BACKEND=console, **production)
    asked = _manage("check", EMAIL_BACKEND=console, EMAIL_CONSOLE_IN_PRODUCTION="true", **production)

    assert refused.returncode != 0
    assert "password-reset and invitation links would be written to the log" in refused.stderr
    assert asked.returncode == 0, asked.stderr


def test_the_generated_keys_are_readable_by_their_owner_only(tmp_path):
    (tmp_path / "secret_key").write_text("kept-from-an-older-version\n")
    (tmp_path / "secret_key").chmod(0o644)

    subprocess.run([ROOT / "bin" / "keys", tmp_path], env={**os.environ, "PYTHON": sys.executable}, check=True)

    assert (tmp_path / "secret_key").read_text() == "kept-from-an-older-version\n"
    assert Fernet((tmp_path / "field_key").read_text().strip())
    assert {(tmp_path / name).stat().st_mode & 0o777 for name in ("secret_key", "field_key")} == {0o600}


def test_docker_compose_publishes_gunicorn_only_where_the_proxy_reaches_it():
    import re

    compose = (ROOT / "docker-compose.yml").read_text()
    published = re.findall(r'^\s+- "([^"]+:8000)"$', compose, flags=re.MULTILINE)

    assert published == ["${WEB_BIND:-127.0.0.1}:8000:8000"]  # host address given: not 0.0.0.0
