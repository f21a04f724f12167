"""The calendar journeys in real Chromium: from an idea to an approved week, and back to review after an edit.

(2) a community manager accepts an idea into a draft, targets Bluesky, Mastodon and X, sees the live length error on
Bluesky at 301 graphemes (an emoji ZWJ sequence counts as one), fixes it, drags the post from Tuesday to Thursday in
the month view and submits the week; (3) a manager approves the week and the post shows as approved on the
calendar; (4) the community manager edits the approved post and it shows back in review.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from editorial.models import Idea, Post, WeekApproval
from publishing.models import Network, Publication
from tests.conftest import browser_login
from tests.factories import SocialAccountFactory

pytestmark = [pytest.mark.browser]

FAMILY = "👨‍👩‍👧"  # one grapheme, five code points
CLOSED_PORT = "http://127.0.0.1:9"  # validation only: the Mastodon adapter falls back to its default limits


def tuesday_and_thursday() -> tuple[date, date]:
    """A Tuesday still to come whose Thursday is in the same month (so one month view shows both)."""
    monday = date.today() - timedelta(days=date.today().weekday()) + timedelta(days=7)
    while (monday + timedelta(days=1)).month != (monday + timedelta(days=3)).month:
        monday += timedelta(days=7)
    return monday + timedelta(days=1), monday + timedelta(days=3)


@pytest.fixture
def three_networks(db):
    return {
        "bluesky": SocialAccountFactory(network=Network.BLUESKY, handle="marceau.bsky.social"),
        "mastodon": SocialAccountFactory(network=Network.MASTODON, handle="marceau", server_url=CLOSED_PORT),
        "x": SocialAccountFactory(network=Network.X, handle="MuseeMarceau"),
    }


def chip(page, post: Post, day: date):
    return page.locator(f'td[data-day="{day.isoformat()}"] .chip[data-post="{post.pk}"]')


def test_idea_to_approved_week_and_back_to_review(
    browser, live_server, page, curator, community_manager, manager, three_networks
):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    # Leaving a page while a poll (the publishing status block) is in flight makes htmx log an abort: not a fault.
    aborted = ("htmx:sendAbort", "htmx:afterRequest")
    tuesday, thursday = tuesday_and_thursday()
    idea = Idea.objects.create(
        title="Le retour de la Vénus",
        pitch="La Vénus restaurée revient en salle 3.",
        kind=Idea.Kind.ARTWORK,
        proposer=curator,
        suggested_networks=[Network.BLUESKY, Network.MASTODON, Network.X],
    )

    # (2) The community manager accepts the idea into a draft on the three networks, on Tuesday at 10:00.
    browser_login(page, community_manager)
    page.goto(idea.get_absolute_url())
    for account in three_networks.values():
        page.get_by_label(str(account)).check()
    page.get_by_label("Scheduled at").fill(f"{tuesday.isoformat()}T10:00")
    page.get_by_role("button", name="Accept the idea").click()
    expect(page.get_by_text("Idea accepted")).to_be_visible()
    post = Idea.objects.get(pk=idea.pk).post
    assert post.status == Post.Status.DRAFT
    assert post.publications.count() == 3

    # …writes 301 graphemes (the last one a ZWJ family): Bluesky says it is one too many, as she types.
    page.goto(f"/calendar/posts/{post.pk}/edit/")
    page.get_by_label("Master text").fill("a" * 300 + FAMILY)
    bluesky_card = page.locator("#validation .preview-bluesky")
    expect(bluesky_card.locator(".problem-error")).to_be_visible()
    expect(bluesky_card.locator(".counter")).to_have_attribute("data-remaining", "-1")
    expect(page.locator("#validation .preview-mastodon .problem-error")).to_have_count(0)

    # …fixes it with a Bluesky text of exactly 300, writes a short one for X (280 weighted), and saves.
    page.get_by_text("Adapt the text for Bluesky").click()
    page.get_by_label(f"Text on {three_networks['bluesky']}").fill("a" * 299 + FAMILY)
    expect(bluesky_card.locator(".counter")).to_have_attribute("data-remaining", "0")
    expect(bluesky_card.locator(".problem-error")).to_have_count(0)
    page.get_by_text("Adapt the text for X").click()
    page.get_by_label(f"Text on {three_networks['x']}").fill(f"La Vénus revient en salle 3 {FAMILY}")
    expect(page.locator("#validation .preview-x .counter")).to_be_visible()
    expect(page.locator("#validation .problem-error")).to_have_count(0)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The post is saved.")).to_be_visible()
    bluesky = post.publications.get(account=three_networks["bluesky"])
    assert bluesky.text == "a" * 299 + FAMILY

    # …drags the post from Tuesday to Thursday in the month view.
    page.goto(f"/calendar/?month={tuesday:%Y-%m}")
    expect(chip(page, post, tuesday)).to_be_visible()
    chip(page, post, tuesday).drag_to(page.locator(f'td[data-day="{thursday.isoformat()}"]'))
    expect(chip(page, post, thursday)).to_be_visible()
    expect(page.locator("#calendar-status")).to_contain_text("moved to")
    post.refresh_from_db()
    assert post.scheduled_at.date() in {thursday, thursday - timedelta(days=1)}
    assert set(post.publications.values_list("scheduled_at", flat=True)) == {post.scheduled_at}

    # …and submits the week.
    iso = thursday.isocalendar()
    page.goto(f"/calendar/weeks/{iso.year}/{iso.week}/")
    page.get_by_role("button", name="Submit the week for approval").click()
    expect(page.get_by_text("submitted for approval").first).to_be_visible()
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW

    # (3) The manager approves the week; the post shows as approved on the calendar.
    manager_context = browser.new_context(locale="en-GB", base_url=live_server.url)
    manager_page = manager_context.new_page()
    browser_login(manager_page, manager)
    manager_page.goto(f"/calendar/weeks/{iso.year}/{iso.week}/")
    expect(manager_page.locator(".preview-bluesky").get_by_text("a" * 299 + FAMILY, exact=True)).to_be_visible()
    manager_page.get_by_role("button", name="Approve the week").click()
    expect(manager_page.get_by_text("is approved").first).to_be_visible()
    manager_page.goto(f"/calendar/?month={thursday:%Y-%m}")
    expect(chip(manager_page, post, thursday)).to_have_class(re.compile(r"\bchip-scheduled\b"))
    expect(chip(manager_page, post, thursday)).to_contain_text("Approved")
    chip(manager_page, post, thursday).locator(".chip-link").click()  # opens the side panel
    expect(manager_page.locator("#side-panel").get_by_role("heading", name="Le retour de la Vénus")).to_be_visible()
    assert "/calendar/?month=" in manager_page.url  # opened in place, the calendar still there
    manager_context.close()
    approval = WeekApproval.objects.get(year=iso.year, week=iso.week)
    assert approval.approved_by == manager
    assert set(post.publications.values_list("state", flat=True)) == {Publication.State.DUE}

    # (4) The community manager edits the approved post: it is back in review, its publications withdrawn.
    page.goto(f"/calendar/posts/{post.pk}/edit/")
    page.get_by_label("Master text").fill("La Vénus restaurée revient en salle 3, dès jeudi.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The post is saved.")).to_be_visible()
    page.goto(f"/calendar/?month={thursday:%Y-%m}")
    expect(chip(page, post, thursday)).to_have_class(re.compile(r"\bchip-in_review\b"))
    expect(chip(page, post, thursday)).to_contain_text("In review")
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert set(post.publications.values_list("state", flat=True)) == {Publication.State.PENDING}
    assert not [error for error in errors if not error.startswith(aborted)], errors
