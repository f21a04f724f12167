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


def test_a_community_manager_adds_the_pinterest_demo_account_and_its_posts_follow_pinterest_s_rules(
    page, live_server, community_manager
):
    browser_login(page, community_manager)
    page.goto("/accounts/networks/")
    page.get_by_role("link", name="Connect Sandbox").click()
    menu = page.locator(".sandbox-menu-entry")
    expect(menu).to_have_count(9)  # one per real network

    page.get_by_role("button", name="Add the Pinterest demo account").click()

    expect(page.get_by_text("Connected: Sandbox · Pinterest demo.")).to_be_visible()
    expect(page.get_by_text("behaves like Pinterest")).to_be_visible()
    account = SocialAccount.objects.get(imitates="pinterest")
    page.goto("/calendar/posts/new/")
    page.get_by_role("checkbox", name=str(account)).check()
    page.get_by_label("Master text").fill("Le vernissage commence à 19 h.")
    card = page.locator("#validation .preview-pinterest")
    expect(card.get_by_text("Pinterest needs an image or a video: a Pin is a picture.")).to_be_visible()
    expect(page.get_by_label(f"Board on {account}")).to_contain_text("Exhibitions")
    page.goto("/accounts/networks/connect/sandbox/")
    expect(menu.filter(has_text="Pinterest")).to_contain_text("Connected")
