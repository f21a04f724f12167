"""The inbox as a workspace: saved replies go in at the cursor, the list and the conversation side by side."""

import pytest
from playwright.sync_api import expect

from tests.browser.demo_site import PHONE, WIDE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_saved_reply_goes_in_at_the_cursor_and_keeps_the_typed_text(site):
    page = site.page("admin", WIDE)
    page.goto(f"/inbox/{site.ids['message']}/")
    page.evaluate("window.notReloaded = true")
    box = page.get_by_role("textbox", name="Your reply")
    box.fill("Bonjour ! Bonne journée.")
    box.evaluate("el => el.setSelectionRange(10, 10)")  # after "Bonjour ! "

    page.get_by_label("Saved reply").select_option(label="Merci")
    page.get_by_role("button", name="Use").click()

    expect(box).to_have_value("Bonjour ! Merci beaucoup Inès Moreau ! À bientôt au musée. Bonne journée.")
    assert page.evaluate("window.notReloaded") is True
    expect(box).to_be_focused()


DUPLICATE_IDS = """() => {
  const seen = {}, twice = new Set();
  for (const el of document.querySelectorAll('[id]')) { if (seen[el.id]) twice.add(el.id); seen[el.id] = true; }
  return [...twice];
}"""


def test_on_a_wide_screen_a_conversation_opens_beside_the_list(site):
    page = site.page("admin", WIDE)
    page.goto("/inbox/")
    row = page.locator(".message-row").filter(has_text="Quel est le tarif réduit ?")

    row.get_by_role("link").click()

    pane = page.locator("#conversation-pane")
    expect(pane.get_by_role("heading", name="Conversation with Inès Moreau")).to_be_visible()
    expect(pane.get_by_role("textbox", name="Your reply")).to_be_visible()
    expect(row).to_be_visible()  # the list stays, beside it
    expect(page).to_have_url(f"{site.url}/inbox/")
    list_box, pane_box = page.locator("#inbox-results").bounding_box(), pane.bounding_box()
    assert list_box["x"] + list_box["width"] <= pane_box["x"]  # side by side
    assert page.evaluate(DUPLICATE_IDS) == []


def test_on_a_phone_a_conversation_takes_the_place_of_the_list(site):
    page = site.page("admin", PHONE)
    page.goto("/inbox/")
    page.locator(".message-row").filter(has_text="Quel est le tarif réduit ?").get_by_role("link").click()

    expect(page).to_have_url(f"{site.url}/inbox/{site.ids['message']}/")
    expect(page.get_by_role("textbox", name="Your reply")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
