"""The archive's pages rendered ahead after a publication (`ask.list_cache`), and a withdrawn answer's pages
forgotten even when the cache was away at the time."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ask import answer_cache
from ask.caching import page_key, pages_forget, pages_generation
from ask.list_cache import list_pages_store
from ask.models import Question, Theme
from ask.pages import made_with
from ask.publication import question_publish, question_withdraw
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db
UNREACHABLE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """The after-commit callbacks run, and the tasks they enqueue run in this process (countdown or not)."""
    from museumcm.celery import app

    @contextmanager
    def run():
        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield
        finally:
            app.conf.task_always_eager = eager

    return run


def _answers(count: int) -> None:
    now = timezone.now()
    Question.objects.bulk_create(
        Question(text=f"Question {n} ?", answer="Réponse.", slug=f"q-{n}", state="published", published_at=now)
        for n in range(count)
    )


def _get(client, query="", language="fr", host="testserver"):
    return client.get(reverse("ask_archive") + query, HTTP_ACCEPT_LANGUAGE=language, HTTP_HOST=host)


def _stored_generations() -> set[int]:
    return {value["generation"] for key, value in _stored_pages().items()}


def _stored_pages() -> dict:
    keys = cache._cache.get_client().keys("*ask:page:*")  # the archive's pages only: no other page was requested
    return {key: cache.get(key.decode().split(":", 1)[1].split(":", 1)[1]) for key in keys}


def test_after_a_publication_readers_find_the_archives_pages_of_the_new_generation(client, after_commit):
    _answers(25)
    with after_commit():
        question = question_publish(question=Question.objects.create(text="Toute nouvelle ?"), answer="Oui.")

    for query in ["", "?page=1", "?page=2"]:
        for language in ["fr", "en"]:
            page = _get(client, query, language)
            assert page.status_code == 200 and page["X-Ask-Cache"] == "hit"
    assert "Toute nouvelle ?" in _get(client).content.decode()
    assert _stored_generations() == {pages_generation()}

    with after_commit():
        question_withdraw(question=question)
    page = _get(client)
    assert page["X-Ask-Cache"] == "hit" and "Toute nouvelle ?" not in page.content.decode()


def test_the_home_page_and_each_themes_first_page_are_rendered_ahead_too(client, themes, after_commit):
    with after_commit():
        question_publish(question=Question.objects.create(text="Un thème ?", theme=themes[1]), answer="Oui.")

    home = client.get(reverse("ask_home"), HTTP_ACCEPT_LANGUAGE="en")
    assert (
        home["X-Ask-Cache"] == "hit" and "Un thème ?" in home.content.decode() and "marker" not in home.content.decode()
    )
    for theme in themes:
        assert client.get(reverse("ask_theme", args=[theme.slug]))["X-Ask-Cache"] == "hit"


def test_pages_rendered_ahead_are_kept_until_the_next_publication_not_as_briefly_as_a_readers(client, settings):
    _answers(3)
    list_pages_store(generation=pages_generation())
    assert _get(client, "?page=1")["X-Ask-Cache"] == "hit"
    search = reverse("ask_archive") + "?q=question"
    assert client.get(search)["X-Ask-Cache"] == "miss"

    redis = cache._cache.get_client()
    ttl = {key: redis.ttl(key) for key in redis.keys("*ask:page:*")}
    assert len(ttl) == 3 * 2 + 1  # home, archive, ?page=1 in French and English; the search
    ahead = [seconds for seconds in ttl.values() if seconds > settings.ASK_CACHE_SECONDS]
    assert len(ahead) == 6


def test_a_page_rendered_ahead_shows_a_renamed_theme_or_new_settings_once_the_figures_are_read_again(
    client, themes, settings, after_commit
):
    settings.ASK_CACHE_SECONDS = 0  # the themes' figures kept no time, as once they expire
    with after_commit():
        question_publish(question=Question.objects.create(text="Un thème ?", theme=themes[0]), answer="Oui.")
    page = _get(client)
    assert page["X-Ask-Cache"] == "hit" and "Origines" in page.content.decode()

    Theme.objects.filter(pk=themes[0].pk).update(name_fr="Commencements")
    page = _get(client)
    assert page["X-Ask-Cache"] == "miss" and "Commencements" in page.content.decode()

    list_pages_store(generation=pages_generation())
    settings.ASK_SITE_NAME = "Muséum des Confluences"
    made_with.cache_clear()  # a web process started after a deployment
    page = _get(client)
    assert page["X-Ask-Cache"] == "miss" and "Muséum des Confluences" in page.content.decode()
    made_with.cache_clear()


def test_the_pages_rendered_ahead_are_what_a_readers_request_renders(client):
    _answers(3)
    list_pages_store(generation=pages_generation())
    stored = _get(client, "?page=1", "en").content

    cache.clear()
    rendered = _get(client, "?page=1", "en")
    assert rendered["X-Ask-Cache"] == "miss" and rendered.content == stored


def test_the_public_sites_own_host_gets_its_pages_rendered_ahead_too(client, settings):
    settings.ASK_HOST = "questions.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, settings.ASK_HOST]
    _answers(3)
    assert list_pages_store(generation=pages_generation()) == 3 * 2 * 2  # home, archive, ?page=1 x languages x sites

    page = client.get("/answers/", HTTP_HOST="questions.example.org")
    assert page["X-Ask-Cache"] == "hit" and 'href="/answers/' in page.content.decode()


def test_a_render_for_a_generation_a_newer_publication_ended_stops_and_stores_nothing_under_it(client):
    _answers(45)
    old = pages_generation()
    current = pages_forget()

    assert list_pages_store(generation=old) == 0
    assert _stored_generations() <= {current}  # the one page requested before it saw the newer generation
    assert len(_stored_pages()) <= 1


def test_the_archive_rendered_ahead_gives_up_quietly_when_the_cache_is_away(settings, caplog):
    _answers(3)
    settings.CACHES = UNREACHABLE
    assert list_pages_store(generation=1) == 0
    assert "the cache is away" in caplog.text


def test_the_page_key_of_a_list_is_the_sites_not_the_host_names(rf):
    one, other = rf.get("/ask/answers/?page=2", HTTP_HOST="testserver"), rf.get("/ask/answers/?page=2")
    other.META["HTTP_HOST"] = "localhost"
    assert page_key(one) == page_key(other) and page_key(one, by_host=True) != page_key(other, by_host=True)


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_while_the_cache_is_away_forgets_the_answers_page_once_it_is_back(
    client, settings, celery_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = question_publish(question=Question.objects.create(text="Bientôt retirée ?"), answer="Oui.")
    key = answer_cache.answer_page_key(question.pk, "fr", None)
    assert cache.get(key) is not None

    real = settings.CACHES
    settings.CACHES = UNREACHABLE  # this process's cache is away; the worker's is there (it is back)
    with django_capture_on_commit_callbacks(execute=True):
        assert question_withdraw(question=question)
    settings.CACHES = real

    wait_for(lambda: cache.get(key) is None, message="the worker to forget the withdrawn answer's pages")
    assert client.get(question.get_absolute_url()).status_code == 404


def test_a_withdrawn_answers_page_left_in_the_cache_is_swept_and_the_lists_renewed(client, after_commit):
    """The state a withdrawal leaves when the whole of Redis (cache and broker) was away: the row withdrawn, its
    pages and the lists still stored. Beat's sweep forgets them; a second sweep finds nothing."""
    from ask.tasks import sweep_withdrawn_pages

    with after_commit():
        kept = question_publish(question=Question.objects.create(text="Gardée ?"), answer="Oui.")
        gone = question_publish(question=Question.objects.create(text="Retirée ?"), answer="Non.")
    assert client.get(gone.get_absolute_url()).status_code == 200
    Question.objects.filter(pk=gone.pk).update(state=Question.State.WITHDRAWN)
    assert client.get(gone.get_absolute_url())["X-Ask-Cache"] == "hit"  # what the sweep is for
    generation = pages_generation()

    with after_commit():
        assert sweep_withdrawn_pages() == 2  # French and English
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert pages_generation() != generation
    assert client.get(kept.get_absolute_url())["X-Ask-Cache"] == "hit"
    assert sweep_withdrawn_pages() == 0


def test_beat_sweeps_withdrawn_answers_pages_every_ten_minutes(settings):
    from museumcm.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-withdrawn-answer-pages"]
    assert entry["schedule"] == 600.0 and entry["task"] in app.tasks
