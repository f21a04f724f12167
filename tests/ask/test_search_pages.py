"""A search's stored page: shared by the same words in another order or case, each reader's words put in."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ask.models import Question
from ask.publication import question_publish
from ask.search import search_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers():
    for n in range(23):
        question = Question.objects.create(text=f"Pourquoi le ciel est-il bleu ? {n}", language="fr")
        question_publish(question=question, answer="À cause de la diffusion.")


def _search(client, query: str, extra: str = ""):
    response = client.get(reverse("ask_archive"), {"q": query, **({"page": extra} if extra else {})})
    assert response.status_code == 200
    return response


def test_the_same_words_in_another_order_or_case_share_a_page_that_echoes_each_readers_words(client, answers):
    first = _search(client, "Ciel bleu")
    second = _search(client, "bleu  CIEL")

    assert (first["X-Ask-Cache"], second["X-Ask-Cache"]) == ("miss", "hit")
    page = second.content.decode()
    assert "23 answers for “bleu  CIEL”." in page and 'value="bleu  CIEL"' in page
    assert '<a rel="next" href="?q=bleu%20%20CIEL&amp;page=2">' in page
    assert "marker" not in page and "marker" not in first.content.decode()
    assert 'value="Ciel bleu"' in first.content.decode()
    assert _search(client, "bleu ciel", "2")["X-Ask-Cache"] == "miss"  # another page of it is its own


def test_words_as_typed_are_escaped_in_every_copy_served(client, answers):
    query = 'ciel "<b>bleu</b>" & ask-query-link-marker'
    pages = [_search(client, query) for _ in range(2)]

    assert [page["X-Ask-Cache"] for page in pages] == ["miss", "hit"]
    assert pages[0].content == pages[1].content
    page = pages[0].content.decode()
    assert "<b>bleu" not in page
    assert 'value="ciel &quot;&lt;b&gt;bleu&lt;/b&gt;&quot; &amp; ask-query-link-marker"' in page


@pytest.mark.parametrize(
    ("query", "address"),
    [
        ("Feu  grotte", "/ask/answers/?q=feu grotte&page="),
        ("grotte feu FEU", "/ask/answers/?q=feu grotte&page="),
        ("préhistoire Œuvre", "/ask/answers/?q=préhistoire œuvre&page="),
        ("feu or grotte", ""),  # "or" joins its words with OR
        ('"feu grotte"', ""),  # a phrase: its order counts
        ("feu -grotte", ""),  # a word left out
        ("l'homme", ""),
        ("", ""),
    ],
)
def test_only_plain_words_share_a_searchs_page_whatever_their_order_and_case(query, address):
    assert search_address(RequestFactory().get("/ask/answers/", {"q": query})) == address


def test_a_search_with_other_parameters_is_stored_under_its_own_address():
    assert search_address(RequestFactory().get("/ask/answers/?q=feu&page=2")) == "/ask/answers/?q=feu&page=2"
    assert search_address(RequestFactory().get("/ask/answers/?q=feu&utm_source=x")) == ""
    assert search_address(RequestFactory().get("/ask/answers/?q=feu&q=grotte")) == ""
