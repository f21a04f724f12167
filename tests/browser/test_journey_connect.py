"""Connecting in real Chromium: Facebook Login (a fake Graph host on loopback) finds three Pages, the community manager
ticks one, and only that one is connected."""

import pytest
from playwright.sync_api import expect

from publishing.models import SocialAccount
from tests.conftest import browser_login
from tests.fakes.facebook import FakeFacebook

pytestmark = pytest.mark.browser


def test_a_community_manager_connects_one_of_three_facebook_pages(page, live_server, settings, community_manager):
    with FakeFacebook() as fake:
        fake.add_page("Auditorium Marceau")
        fake.add_page("Amis du musée")
        settings.SOCIAL_APPS = {**settings.SOCIAL_APPS, "facebook": fake.social_app()}
        settings.SITE_URL = live_server.url  # where Facebook sends the browser back

        browser_login(page, community_manager)
        page.goto("/accounts/networks/")
        page.get_by_role("link", name="Connect Facebook").click()

        expect(page.get_by_role("heading", name="Choose the Facebook accounts to connect")).to_be_visible()
        expect(page.get_by_role("checkbox")).to_have_count(3)
        page.get_by_label("Auditorium Marceau").check()
        page.get_by_role("button", name="Connect the ticked accounts").click()

        expect(page.get_by_text("Connected: Facebook · Auditorium Marceau.")).to_be_visible()
        assert list(SocialAccount.objects.values_list("display_name", flat=True)) == ["Auditorium Marceau"]
