"""Publishing in real Chromium: pause everything with a reason, see the banner on every page, resume; retry a failed
publication from the dashboard. No console errors (the Content-Security-Policy forbids inline code)."""

import pytest
from playwright.sync_api import expect

from publishing.models import Publication, PublishingPause
from tests.conftest import browser_login
from tests.factories import PublicationFactory

pytestmark = [pytest.mark.browser]


def test_pause_banner_and_resume_in_the_browser(page, manager):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    browser_login(page, manager)

    page.goto("/publishing/pause/")
    page.get_by_label("Reason").fill("Deuil national : aucune publication aujourd'hui.")
    page.get_by_role("button", name="Pause all publishing").click()

    expect(page.get_by_role("heading", name="Publishing is paused")).to_be_visible()
    page.goto("/accounts/networks/")
    expect(page.locator(".banner")).to_contain_text("Deuil national")
    page.get_by_role("link", name="Resume…").click()
    page.get_by_label("Cancel it").check()
    page.get_by_role("button", name="Resume publishing").click()

    expect(page.get_by_role("heading", name="Pause all publishing")).to_be_visible()
    expect(page.locator(".banner")).to_have_count(0)
    assert PublishingPause.objects.get().resolution == "cancel"
    assert errors == []


def test_retry_a_failed_publication_from_the_dashboard(page, community_manager):
    publication = PublicationFactory(state=Publication.State.FAILED, error="The network answered with HTTP 503.")
    browser_login(page, community_manager)

    page.goto("/")
    expect(page.locator(".failed-publication")).to_contain_text("HTTP 503")
    page.locator(".failed-publication").get_by_role("button", name="Retry").click()

    expect(page.locator(".notice")).to_contain_text("It will be tried again.")
    publication.refresh_from_db()
    assert publication.state == Publication.State.DUE
