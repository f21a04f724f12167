"""Live validation per network (htmx as the user types) and the server-side gate before review."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from editorial.models import Media
from editorial.services.posts import post_checks, post_create, post_has_errors
from publishing.models import Network
from tests.editorial.test_posts import png
from tests.factories import SocialAccountFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
FAMILY = "👨‍👩‍👧"  # one grapheme made of five code points (a ZWJ sequence)


def soon() -> datetime:
    day = timezone.localdate() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, 10, tzinfo=PARIS)


@pytest.fixture
def sandbox(db):
    return SocialAccountFactory(network=Network.SANDBOX, handle="musee.marceau")


@pytest.fixture
def instagram(db):
    return SocialAccountFactory(network=Network.INSTAGRAM, handle="museemarceau")


def validate(client, accounts, text: str, **extra):
    data = {"text": text, "accounts": [a.pk for a in accounts], **extra}
    return client.post(reverse("post_validate"), data, headers={"HX-Request": "true"})


def test_validation_needs_the_right_to_write_posts(client, curator, sandbox):
    client.force_login(curator)
    assert validate(client, [sandbox], "Bonjour").status_code == 403


def test_the_remaining_length_is_counted_in_graphemes_where_the_network_does(client, community_manager, sandbox):
    """The sandbox counts graphemes up to 2000: a family emoji (a ZWJ sequence) is one character."""
    client.force_login(community_manager)
    fits = validate(client, [sandbox], "a" * 1999 + FAMILY).content.decode()
    assert 'data-remaining="0"' in fits
    assert "problem-error" not in fits
    over = validate(client, [sandbox], "a" * 2000 + FAMILY).content.decode()
    assert 'data-remaining="-1"' in over
    assert "problem-error" in over and "2000" in over


def test_the_counter_counts_the_posts_link_and_shows_its_cost(client, community_manager, mastodon_account):
    client.force_login(community_manager)
    link = "https://www.louvre.fr/en-ce-moment/expositions/" + "a" * 76
    page = validate(client, [mastodon_account], "a" * 400, link=link).content.decode()
    assert 'data-remaining="75"' in page  # 500 - 400 - 2 (the blank line before the link) - 23
    assert 'data-link-cost="25"' in page and "the link counts 25 characters" in page


def test_each_target_is_checked_with_its_own_text(client, community_manager, sandbox, instagram):
    client.force_login(community_manager)
    page = validate(client, [sandbox, instagram], "a" * 2100, **{f"text_{sandbox.pk}": "Court"}).content.decode()
    cards = {card.split('"')[0]: card for card in page.split('<article class="preview preview-')[1:]}
    sandbox_card, instagram_card = cards["sandbox"], cards["instagram"]
    assert "Court" in sandbox_card and "problem-error" not in sandbox_card
    assert "Instagram needs an image" in instagram_card


def test_a_hashtag_of_several_words_in_lowercase_gets_a_camelcase_warning(client, community_manager, sandbox):
    client.force_login(community_manager)
    page = validate(client, [sandbox], "Fermé ce mardi #jourdefermeture").content.decode()
    assert "problem-warning" in page
    assert "JourDeFermeture" in page


def test_the_preview_shows_the_text_escaped(client, community_manager, sandbox):
    client.force_login(community_manager)
    page = validate(client, [sandbox], "<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_an_image_without_alt_text_is_an_error_for_every_target(community_manager, sandbox, instagram):
    post = post_create(
        author=community_manager, title="t", text="Bonjour", scheduled_at=soon(), accounts=[sandbox, instagram]
    )
    Media.objects.create(
        post=post,
        file=ContentFile(png(), name="a.png"),
        content_type="image/png",
        size=10,
        width=800,
        height=600,
        alt_text="",
    )
    checks = post_checks(post=post)
    assert all(any(p.code in {"missing_alt", "alt_text"} for p in check.errors) for check in checks)
    assert post_has_errors(post=post)
    Media.objects.update(alt_text="Une salle du musée")
    assert not any(p.code in {"missing_alt", "alt_text"} for check in post_checks(post=post) for p in check.errors)
    post.publications.filter(account=instagram).delete()
    assert not post_has_errors(post=post)


def test_the_editor_form_asks_for_live_validation_as_the_user_types(client, community_manager, sandbox):
    client.force_login(community_manager)
    page = client.get(reverse("post_new")).content.decode()
    assert f'hx-post="{reverse("post_validate")}"' in page
    assert "input changed delay:300ms" in page


LONG_HASHTAG = "#" + "de" * 1200  # 2,400 letters made of a known word: the recursive splitter went 1,200 deep


def test_a_2400_letter_hashtag_gets_a_warning_from_live_validation(client, community_manager, sandbox):
    client.force_login(community_manager)

    response = validate(client, [sandbox], f"Bonjour {LONG_HASHTAG}")

    assert response.status_code == 200
    assert "is 2400 characters long: shorten it" in response.content.decode()


def test_a_2400_letter_hashtag_leaves_the_post_page_the_week_review_and_submit_working(
    client, community_manager, sandbox
):
    from editorial.services.weeks import IsoWeek

    post = post_create(
        author=community_manager, title="Long", text=f"Bonjour {LONG_HASHTAG}", scheduled_at=soon(), accounts=[sandbox]
    )
    week = IsoWeek.of(timezone.localtime(post.scheduled_at).date())
    client.force_login(community_manager)

    detail = client.get(reverse("post_detail", args=[post.pk]))
    review = client.get(week.url)
    submit = client.post(reverse("week_submit", args=[week.year, week.week]), follow=True)

    assert (detail.status_code, review.status_code, submit.status_code) == (200, 200, 200)
    assert "is 2400 characters long" in detail.content.decode() and "is 2400 characters long" in review.content.decode()
    assert "Still in draft because a network refuses them: “Long”" in submit.content.decode()  # over 2,000 characters
