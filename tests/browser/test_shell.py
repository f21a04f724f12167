import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_a_user_signs_in_switches_to_french_and_sees_the_navigation_in_french(page, community_manager):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    browser_login(page, community_manager)
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Calendar")).to_be_visible()

    page.get_by_role("button", name="FR").click()

    navigation = page.get_by_role("navigation", name="Menu principal")
    expect(navigation.get_by_role("link", name="Calendrier")).to_be_visible()
    expect(navigation.get_by_role("link", name="Idées")).to_be_visible()
    expect(navigation.get_by_role("link", name="Messagerie")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert errors == []  # no Content-Security-Policy violation or script error on the way


def test_a_notice_can_be_dismissed_with_the_keyboard(page, community_manager):
    browser_login(page, community_manager)
    page.goto("/accounts/profile/")
    page.get_by_label("Display name").fill("Camille M.")
    page.get_by_role("button", name="Save").click()
    notice = page.get_by_role("status").filter(has_text="Your profile is saved.")
    expect(notice).to_be_visible()

    page.get_by_role("button", name="Dismiss").focus()
    page.keyboard.press("Enter")

    expect(notice).to_have_count(0)
