"""The public pages: archive, themes, search, answer, feed, sitemap; constant query counts; cache invalidation."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ask.models import Question
from ask.publication import question_publish, question_withdraw

pytestmark = pytest.mark.django_db


def _published(count: int, theme=None, text="Pourquoi le ciel est-il bleu ?", answer="À cause de la diffusion."):
    rows = []
    for n in range(count):
        question = Question.objects.create(text=f"{text} {n}", language="fr", theme=theme)
        rows.append(question_publish(question=question, answer=answer))
    return rows


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("name", ["ask_home", "ask_archive", "ask_feed", "ask_sitemap", "ask_embed"])
def test_public_page_query_count_does_not_grow_with_the_answers(client, themes, name, django_assert_max_num_queries):
    _published(2, theme=themes[0])
    with django_assert_max_num_queries(6) as few:
        _get(client, reverse(name))
    _published(25, theme=themes[1])
    client.cookies.clear()
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        _get(client, reverse(name))


def test_answer_page_query_count_is_constant_and_it_carries_its_previews(client, themes, django_assert_max_num_queries):
    question = _published(1, theme=themes[0])[0]
    with django_assert_max_num_queries(4):
        page = _get(client, question.get_absolute_url()).content.decode()

    assert '"@type": "QAPage"' in page
    assert f'<meta property="og:title" content="{question.text}">' in page
    assert f'<link rel="canonical" href="{question.public_url()}">' in page
    assert f'<meta property="og:url" content="{question.public_url()}">' in page
    assert '<meta property="og:description" content="À cause de la diffusion.">' in page


def test_a_cached_page_is_served_without_the_database_until_an_answer_is_published(
    client, themes, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _published(1)
    first = _get(client, reverse("ask_archive"))
    assert first["X-Ask-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert _get(client, reverse("ask_archive"))["X-Ask-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        question = Question.objects.create(text="Une nouvelle question ?", language="fr")
        question_publish(question=question, answer="Une nouvelle réponse.")
    fresh = _get(client, reverse("ask_archive"))
    assert fresh["X-Ask-Cache"] == "miss"
    assert "Une nouvelle question ?" in fresh.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        question_withdraw(question=question)
    assert "Une nouvelle question ?" not in _get(client, reverse("ask_archive")).content.decode()
    assert client.get(question.get_absolute_url()).status_code == 404


def test_the_theme_counts_follow_a_publication_even_after_the_cache_was_emptied(
    client, themes, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True):
        _published(1, theme=themes[0])
    assert '<span class="ask-count">(1)</span>' in _get(client, reverse("ask_archive")).content.decode()
    cache.clear()  # Redis restarted: the generation starts again
    with django_capture_on_commit_callbacks(execute=True):
        _published(1, theme=themes[0])
    assert '<span class="ask-count">(2)</span>' in _get(client, reverse("ask_archive")).content.decode()


def test_search_ignores_accents_in_french_and_english(client):
    _published(1, text="Les Néandertaliens parlaient-ils ?", answer="Probablement, disent les préhistoriens.")
    _published(1, text="Who built the pyramids?", answer="Skilled workers, not slaves.")

    found = _get(client, reverse("ask_archive") + "?q=neandertaliens").content.decode()
    assert "Néandertaliens" in found and "pyramids" not in found
    found = _get(client, reverse("ask_archive") + "?q=prehistorien").content.decode()
    assert "Néandertaliens" in found
    assert "pyramids" in _get(client, reverse("ask_archive") + "?q=worker").content.decode()


def test_search_pages_count_and_order_its_answers_as_the_archive_does(client, django_assert_max_num_queries):
    _published(25)
    _published(3, text="Who built the pyramids?", answer="Skilled workers.")
    search = reverse("ask_archive") + "?q=ciel"

    with django_assert_max_num_queries(3):  # the figures (2), then the planner's settings with the rows and count
        first = _get(client, search).content.decode()
    assert "25 answers for" in first and "Page 1 of 2" in first and "pyramids" not in first
    assert [n for n in range(25) if f"bleu ? {n}</a>" in first] == list(range(5, 25))  # the newest twenty
    assert '<a rel="next" href="?q=ciel&amp;page=2">Older answers</a>' in first and 'rel="prev"' not in first
    second = _get(client, search + "&page=2").content.decode()
    assert "Page 2 of 2" in second and second.index("bleu ? 4</a>") < second.index("bleu ? 0</a>")
    assert '<a rel="prev" href="?q=ciel&amp;page=1">Newer answers</a>' in second and 'rel="next"' not in second
    quoted = _get(client, reverse("ask_archive") + '?q=ciel "bleu"').content.decode()
    assert 'href="?q=ciel%20%22bleu%22&amp;page=2"' in quoted
    for past_the_end in ["&page=9", "&page=0", "&page=99999999999999999999"]:  # the last, as Django's paginator
        assert "Page 2 of 2" in _get(client, search + past_the_end).content.decode()
    assert "Page 1 of 2" in _get(client, search + "&page=x").content.decode()
    assert "0 answers for" in _get(client, reverse("ask_archive") + "?q=mammouth").content.decode()


def test_long_answers_are_stored_beside_the_rows_a_search_reads():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'ask_question'")
        assert "toast_tuple_target=128" in cursor.fetchone()[0]


def test_the_lists_link_each_answer_with_its_text_escaped_its_theme_and_day(client, themes):
    question = _published(1, theme=themes[0], text="<b>Qui a peint \u202eeuqirfa\u202c ?</b>")[0]
    day = timezone.localtime(question.published_at).date().isoformat()
    item = (
        f'<a href="{question.get_absolute_url()}">&lt;b&gt;Qui a peint [U+202E]euqirfa[U+202C] ?&lt;/b&gt; 0</a> '
        f'<span class="ask-meta">Origins · <time datetime="{day}">{day}</time></span>'
    )

    for name in ["ask_home", "ask_archive"]:
        assert item in _get(client, reverse(name)).content.decode()
    embedded = _get(client, reverse("ask_embed")).content.decode()
    assert f'<a href="{question.get_absolute_url()}" target="_top">' in embedded
    assert "No answer here yet." in _get(client, reverse("ask_archive") + "?q=mammouth").content.decode()


def test_every_page_has_its_own_way_back_from_the_language_switch_and_the_site_name(client, settings):
    question = _published(1)[0]
    settings.ASK_SITE_NAME = "Musée des Confluences"
    switch = reverse("ask_language", args=["fr"])

    for url in [reverse("ask_archive"), question.get_absolute_url(), reverse("ask_archive")]:
        page = _get(client, url).content.decode()
        assert f'href="{switch}?next={url}"' in page and "Musée des Confluences" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = _get(client, question.get_absolute_url()).content.decode()
    assert "Toutes les réponses" in french and "All answers" not in french
    assert f'href="{reverse("ask_language", args=["en"])}?next={question.get_absolute_url()}"' in french


def test_the_archive_pages_and_filters_by_theme(client, themes):
    _published(25, theme=themes[0])
    _published(1, theme=themes[1], text="Et demain ?")

    first = _get(client, reverse("ask_archive")).content.decode()
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = _get(client, reverse("ask_archive") + "?page=2").content.decode()
    assert "Page 2 of 2" in second
    assert [n for n in range(25) if f"bleu ? {n}</a>" in second] == [0, 1, 2, 3, 4, 5]  # the oldest
    assert second.index("bleu ? 5</a>") < second.index("bleu ? 0</a>")  # still newest first
    assert "Page 2 of 2" in _get(client, reverse("ask_archive") + "?page=99999999999999999999").content.decode()
    theme_page = _get(client, reverse("ask_theme", args=["future"])).content.decode()
    assert "Et demain ?" in theme_page and "Pourquoi le ciel" not in theme_page


def test_the_themes_section_counts_each_theme_and_marks_the_one_shown(client, themes, settings):
    themes[1].name_en = "Future & <past>"
    themes[1].save()
    _published(2, theme=themes[0])
    _published(1, theme=themes[1])
    origins, future = reverse("ask_theme", args=["origins"]), reverse("ask_theme", args=["future"])

    page = _get(client, future).content.decode()
    assert (
        f'<h2 id="themes-title">Themes</h2>\n  <ul class="ask-themes">\n    <li><a href="{origins}">Origins '
        f'<span class="ask-count">(2)</span></a></li><li><a href="{future}" aria-current="page">Future &amp; '
        '&lt;past&gt; <span class="ask-count">(1)</span></a></li>\n  </ul>\n</section>'
    ) in page
    assert 'aria-current="page"' not in _get(client, reverse("ask_archive")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert f'<h2 id="themes-title">Thèmes</h2>\n  <ul class="ask-themes">\n    <li><a href="{origins}">Origines ' in (
        _get(client, reverse("ask_home")).content.decode()
    )


def test_the_answer_page_shows_the_answer_rendered_when_it_was_published(client):
    answer = (
        "Voyez https://example.org/lucy.\n\n![Le squelette de Lucy](https://example.org/lucy.jpg)\n\n<script>x</script>"
    )
    question = _published(1, answer=answer)[0]

    assert question.answer_html.startswith('<p>Voyez <a href="https://example.org/lucy"')
    page = _get(client, question.get_absolute_url()).content.decode()
    assert question.answer_html in page
    assert '<img src="https://example.org/lucy.jpg" alt="Le squelette de Lucy" loading="lazy">' in page
    assert "<script>x" not in page and "&lt;script&gt;x" in page


def test_an_answer_address_is_stable_and_an_old_text_part_redirects(client):
    question = _published(1)[0]
    Question.objects.filter(pk=question.pk).update(text="Un autre texte")

    assert _get(client, question.get_absolute_url())
    moved = client.get(reverse("ask_answer", args=[f"{question.pk}-ancien-titre"]))
    assert moved.status_code == 301 and moved["Location"] == question.get_absolute_url()
    for unknown in [f"{question.pk + 1}-rien", "99999999999999999999-trop-grand", "x-pas-un-nombre"]:
        assert client.get(reverse("ask_answer", args=[unknown])).status_code == 404


def test_the_feed_and_sitemap_list_published_answers_only(client):
    published = _published(1)[0]
    waiting = Question.objects.create(text="Pas encore ?", language="fr", created_at=timezone.now())

    feed = _get(client, reverse("ask_feed")).content.decode()
    assert published.text in feed and waiting.text not in feed and "<feed" in feed
    sitemap = _get(client, reverse("ask_sitemap")).content.decode()
    assert published.get_absolute_url() in sitemap


def test_the_site_answers_at_the_root_of_its_own_host_name(client, settings):
    settings.ASK_HOST = "questions.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "questions.example.org"]
    question = _published(1)[0]

    home = client.get("/", HTTP_HOST="questions.example.org")
    assert home.status_code == 200 and 'action="/ask/"' in home.content.decode()
    assert client.get(f"/answers/{question.slug}/", HTTP_HOST="questions.example.org").status_code == 200


def test_the_cached_home_page_gives_each_visitor_a_fresh_start_time(client, django_assert_num_queries):
    first = _get(client, reverse("ask_home"))
    with django_assert_num_queries(0):
        second = _get(client, reverse("ask_home"))

    assert second["X-Ask-Cache"] == "hit"
    tokens = [r.content.decode().split('name="started" value="')[1].split('"')[0] for r in (first, second)]
    assert tokens[0] != tokens[1] and "marker" not in tokens[1]


def test_the_home_page_latest_answers_and_themes_are_in_each_visitor_language(client, themes, settings):
    _published(1, theme=themes[0])

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Origines · " in _get(client, reverse("ask_home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _get(client, reverse("ask_home")).content.decode()
    assert "Origins · " in english and "Origines" not in english
