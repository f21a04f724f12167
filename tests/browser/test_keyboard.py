"""Keyboard and focus in real Chromium (issue 12, item 4).

Single-key shortcuts act only while the inbox list (or the conversation) has focus and can be turned off on the
profile (WCAG 2.1.4); the calendar's side panel takes focus, closes with Escape and gives focus back; after a save,
focus goes to what was saved; the month view's "+" targets are 24 px at least.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbox.models import Message
from tests.conftest import browser_login
from tests.factories import MessageFactory, MuseumEventFactory, PostFactory, PublicationFactory, SocialAccountFactory

pytestmark = [pytest.mark.browser]


@pytest.fixture
def two_messages(db):
    account = SocialAccountFactory()
    now = timezone.now()
    return [
        MessageFactory(account=account, text="Le musée est-il ouvert le lundi ?", created_at=now),
        MessageFactory(account=account, text="Y a-t-il des visites guidées ?", created_at=now - timedelta(minutes=5)),
    ]


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement.closest('[id]') && document.activeElement.closest('[id]').id")


def test_shortcuts_act_only_while_the_list_has_focus(page, community_manager, two_messages):
    first, second = two_messages
    browser_login(page, community_manager)
    page.goto("/inbox/")
    expect(page.locator(f"#message-{first.pk}")).to_be_visible()

    page.locator("h1").click()  # focus is on the page, not the list: "e" is just a letter
    page.keyboard.press("e")
    page.wait_for_load_state("networkidle")
    assert Message.objects.get(pk=first.pk).status == Message.Status.OPEN

    page.locator(f"#message-{first.pk} .message-link").focus()
    page.keyboard.press("j")
    assert _focused_id(page) == f"message-{second.pk}"
    page.keyboard.press("e")
    expect(page.locator("#messages .notice-success")).to_be_visible()
    assert Message.objects.get(pk=second.pk).status == Message.Status.DONE
    assert Message.objects.get(pk=first.pk).status == Message.Status.OPEN


def test_a_user_turns_the_shortcuts_off_on_their_profile(page, community_manager, two_messages):
    first, _second = two_messages
    browser_login(page, community_manager)
    page.goto("/accounts/profile/")
    page.get_by_label("Single-key shortcuts in the inbox").uncheck()
    page.locator("main form").locator("button[type=submit]").first.click()
    expect(page.locator("#messages .notice-success")).to_be_visible()
    community_manager.refresh_from_db()
    assert community_manager.keyboard_shortcuts is False

    page.goto("/inbox/")
    page.locator(f"#message-{first.pk} .message-link").focus()
    page.keyboard.press("j")
    page.keyboard.press("e")
    page.wait_for_load_state("networkidle")
    assert _focused_id(page) == f"message-{first.pk}"
    assert not Message.objects.filter(status=Message.Status.DONE).exists()


def test_the_side_panel_takes_focus_closes_with_escape_and_gives_it_back(page, community_manager):
    post = PostFactory(scheduled_at=timezone.now() + timedelta(days=2), title="La Vénus revient")
    PublicationFactory(post=post)
    browser_login(page, community_manager)
    page.goto(f"/calendar/?month={timezone.localtime(post.scheduled_at):%Y-%m}")
    chip = page.locator(f'.chip[data-post="{post.pk}"] a').first
    chip.focus()
    page.keyboard.press("Enter")

    panel = page.locator("#side-panel")
    expect(panel.get_by_role("heading", name="La Vénus revient")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    expect(page.locator(f'.chip[data-post="{post.pk}"] a').first).to_be_focused()


def test_after_a_save_focus_goes_to_what_was_saved(page, community_manager):
    post = PostFactory(scheduled_at=timezone.now() + timedelta(days=2))
    PublicationFactory(post=post)
    event = MuseumEventFactory()
    browser_login(page, community_manager)

    page.goto(f"/calendar/posts/{post.pk}/edit/")
    page.locator("#post-form button[type=submit]").click()
    expect(page.locator("#messages .notice-success")).to_be_visible()
    expect(page.locator("#post-form")).to_be_focused()

    page.goto(f"/calendar/events/{event.pk}/")
    page.locator("main form.card button[type=submit]").click()
    expect(page.locator(f"#event-{event.pk}")).to_be_focused()


@pytest.mark.parametrize("view", ["/calendar/", "/calendar/week/"])
@pytest.mark.parametrize("width", [1366, 390])
def test_the_calendars_new_post_targets_are_24_px_at_least(page, community_manager, width, view):
    browser_login(page, community_manager)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(view)
    targets = [t for t in page.locator(".slot-new").all() if t.is_visible()]  # phones may show an agenda instead
    assert targets or width < 600
    for target in targets:
        box = target.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
