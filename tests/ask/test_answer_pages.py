"""An answer's page stored under its own key: rendered into the cache when published, in each language and on each
host, kept when other answers are published, never served once the answer, its theme or what rendered it changed."""

import pytest
from django.core.cache import cache

from ask import answer_cache
from ask.models import Question, Theme
from ask.publication import question_publish, question_withdraw

pytestmark = pytest.mark.django_db
ASK_HOST = "questions.example.org"


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def publish(text="Pourquoi le ciel est-il bleu ?", theme=None):
        with django_capture_on_commit_callbacks(execute=True):
            question = Question.objects.create(text=text, language="fr", theme=theme)
            return question_publish(question=question, answer="À cause de la **diffusion** de la lumière.")

    return publish


@pytest.fixture
def withdraw(django_capture_on_commit_callbacks):
    def withdraw(question):
        with django_capture_on_commit_callbacks(execute=True):
            assert question_withdraw(question=question)

    return withdraw


@pytest.fixture(autouse=True)
def _made_with_these_settings():
    answer_cache.made_with.cache_clear()
    yield
    answer_cache.made_with.cache_clear()


def _get(client, question, language="fr", host="testserver", path=""):
    return client.get(path or question.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language, HTTP_HOST=host)


def _rendered_now(client, question, language="fr", host="testserver", urlconf=None, path=""):
    """What a reader is rendered with nothing stored (and is then stored)."""
    cache.delete(answer_cache.answer_page_key(question.pk, language, urlconf))
    response = _get(client, question, language, host, path)
    assert response["X-Ask-Cache"] == "miss"
    return response.content


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_published_answers_page_is_stored_as_a_reader_would_be_rendered_it(client, themes, publish, language):
    question = publish(theme=themes[0])

    stored = _get(client, question, language)
    assert stored.status_code == 200 and stored["X-Ask-Cache"] == "hit"
    assert stored.content == _rendered_now(client, question, language)
    assert ("Origins" if language == "en" else "Origines") in stored.content.decode()


def test_an_answers_page_is_stored_on_the_public_sites_own_host_too(client, settings, publish):
    settings.ASK_HOST, settings.ALLOWED_HOSTS = ASK_HOST, [*settings.ALLOWED_HOSTS, ASK_HOST]
    question = publish()
    path = f"/answers/{question.slug}/"

    stored = _get(client, question, host=ASK_HOST, path=path)
    assert stored["X-Ask-Cache"] == "hit" and 'href="/answers/"' in stored.content.decode()
    assert stored.content == _rendered_now(client, question, host=ASK_HOST, urlconf="ask.host_urls", path=path)
    assert _get(client, question)["X-Ask-Cache"] == "hit"  # and under /ask/ on the app's host


def test_a_stored_answers_page_is_served_without_the_database(client, publish, django_assert_num_queries):
    question = publish()
    _get(client, question)  # the themes' figures of this generation, read once per process

    with django_assert_num_queries(0):
        assert _get(client, question)["X-Ask-Cache"] == "hit"


def test_publishing_another_answer_leaves_an_answers_page_stored(client, publish):
    first = publish()
    publish(text="Qui a taillé les premiers outils ?")

    assert _get(client, first)["X-Ask-Cache"] == "hit"


def test_a_page_a_reader_was_rendered_is_stored_for_the_next(client, publish):
    question = publish()
    cache.clear()  # Redis emptied: the answer's version starts again

    assert _get(client, question)["X-Ask-Cache"] == "miss"
    assert _get(client, question)["X-Ask-Cache"] == "hit"


def test_another_text_in_the_address_is_redirected_even_when_the_page_is_stored(client, publish):
    question = publish()

    response = client.get(f"/ask/answers/{question.pk}-autre-chose/")
    assert response.status_code == 301 and response["Location"] == question.get_absolute_url()


def test_a_withdrawn_answers_page_is_gone_at_once_in_every_language(client, publish, withdraw):
    question = publish()
    assert _get(client, question).status_code == 200

    withdraw(question)
    assert _get(client, question).status_code == 404
    assert _get(client, question, "en").status_code == 404


def test_a_page_stored_from_before_a_withdrawal_is_never_served(client, publish, withdraw):
    question = publish()
    key = answer_cache.answer_page_key(question.pk, "fr", None)
    before = cache.get(key)  # a reader's request rendered the page from the rows before the withdrawal…

    withdraw(question)
    cache.set(key, before, timeout=None)  # … and stored it after
    assert _get(client, question).status_code == 404


def test_an_answers_page_shows_its_themes_new_name_as_the_lists_do(client, themes, publish, settings):
    settings.ASK_CACHE_SECONDS = 0  # the themes' figures kept no time, as once they expire
    question = publish(theme=themes[0])
    assert "Origines" in _get(client, question).content.decode()

    Theme.objects.filter(pk=themes[0].pk).update(name_fr="Commencements")
    page = _get(client, question)
    assert page["X-Ask-Cache"] == "miss" and "Commencements" in page.content.decode()
    Theme.objects.filter(pk=themes[0].pk).delete()
    page = _get(client, question)
    assert page["X-Ask-Cache"] == "miss" and "Commencements" not in page.content.decode()


def test_an_answers_page_rendered_with_other_settings_or_code_is_rendered_again(client, publish, settings):
    question = publish()
    settings.ASK_SITE_NAME = "Muséum des Confluences"
    answer_cache.made_with.cache_clear()  # a web process started after a deployment

    page = _get(client, question)
    assert page["X-Ask-Cache"] == "miss" and "Muséum des Confluences" in page.content.decode()
    assert _get(client, question)["X-Ask-Cache"] == "hit"


def test_an_answer_published_while_the_cache_is_away_still_tells_the_asker(sent_mail, settings):
    """Storing the pages is a saving, not a step of publishing: its failure is logged and the next callbacks run."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    question = Question.objects.create(text="Le cache est-il là ?", language="fr", email="lea@example.org")
    with sent_mail() as outbox:
        question_publish(question=question, answer="Non.")

    assert [sent.to for sent in outbox] == [["lea@example.org"]]
