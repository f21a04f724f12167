"""Counting text the way each network does, and the shared hashtag check."""

from publishing.adapters.text import (
    camel_case_suggestion,
    grapheme_length,
    hashtag_problems,
    mastodon_length,
    threads_length,
    utf8_length,
    x_length,
)

FAMILY = "👨‍👩‍👧‍👦"  # one grapheme made of seven code points joined by ZWJ


def test_a_zwj_emoji_sequence_is_one_grapheme():
    assert len(FAMILY) == 7
    assert grapheme_length(FAMILY) == 1
    assert grapheme_length("e\u0301") == 1  # e + combining acute accent


def test_utf8_length_counts_bytes():
    assert utf8_length("é") == 2
    assert utf8_length(FAMILY) == 25


def test_mastodon_counts_every_url_as_23_characters():
    url = "https://www.musee-marceau.fr/collections/works/12345-la-joconde?utm_source=mastodon"
    assert mastodon_length(f"Voir {url}") == 5 + 23
    assert mastodon_length("Voir https://a.fr") == 5 + 23


def test_mastodon_counts_a_remote_mention_as_the_local_part():
    assert mastodon_length("Merci @claire@mastodon.social !") == len("Merci @claire !")


def test_mastodon_counts_graphemes():
    assert mastodon_length(FAMILY * 3) == 3


def test_x_weighs_emoji_cjk_and_urls():
    assert x_length("a" * 280) == 280
    assert x_length(FAMILY) == 2
    assert x_length("日本") == 4
    assert x_length("https://www.musee-marceau.fr/a/very/long/path/that/goes/on") == 23


def test_threads_counts_an_emoji_as_its_utf8_bytes():
    assert threads_length("Bonjour") == 7
    assert threads_length("ok ❤️") == 3 + len("❤️".encode())
    assert threads_length(FAMILY) == 25


def test_a_lowercase_hashtag_of_several_words_gets_a_camel_case_suggestion():
    problems = hashtag_problems("Fermé demain #jourdefermeture, rendez-vous mercredi.")
    assert len(problems) == 1
    assert problems[0].level == "warning"
    assert "#JourDeFermeture" in problems[0].message


def test_camel_case_suggestion_keeps_accents_and_digits():
    assert camel_case_suggestion("journéeseuropéennesdupatrimoine") == "JournéesEuropéennesDuPatrimoine"
    assert camel_case_suggestion("MUSEUMWEEK2025") == "MuseumWeek2025"


def test_well_written_or_single_word_hashtags_pass():
    assert hashtag_problems("#JourDeFermeture #MuseumWeek #louvre #renaissance #art2025") == []


def test_an_unsure_split_gives_no_suggestion():
    assert camel_case_suggestion("expositionmonet") is None  # "mon" + "et" would be a guess


def test_a_very_long_run_of_words_is_split_without_recursion():
    from publishing.adapters.text import split_words

    assert split_words("de" * 1200) == ["de"] * 1200
    assert split_words("jour" * 300 + "2025" * 200)[-1] == "2025" * 200  # fewest words: one number


def test_a_hashtag_too_long_to_read_gets_a_warning_and_no_suggestion():
    problems = hashtag_problems("#" + "de" * 1200)

    assert [p.code for p in problems] == ["hashtag_too_long"]
