"""The inbox as a workspace: saved replies go in at the cursor, the list and the conversation side by side."""

import pytest
from playwright.sync_api import expect

from tests.browser.demo_site import WIDE

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
