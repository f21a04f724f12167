"""A community manager on a 390 px phone: the navigation behind a menu button, the month as an agenda."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo_site import PHONE, WIDE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_on_a_phone_the_navigation_opens_from_the_menu_button(site):
    page = site.page("admin", PHONE)
    page.goto("/calendar/")
    calendar_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox")
    menu = page.get_by_role("button", name="Menu")
    expect(calendar_link).to_be_hidden()

    menu.click()

    expect(menu).to_have_attribute("aria-expanded", "true")
    calendar_link.click()
    expect(page).to_have_url(f"{site.url}/inbox/")


def test_on_a_desktop_the_navigation_is_shown_without_a_menu_button(site):
    page = site.page("admin", WIDE)
    page.goto("/calendar/")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_on_a_phone_the_month_is_an_agenda_of_days_with_whole_titles(site):
    page = site.page("admin", PHONE)
    page.goto("/calendar/")
    chip = page.locator("td:not(.day-out) .chip").first  # the demo has posts from last week to next month
    expect(chip).to_be_visible()
    box = chip.bounding_box()
    assert box["width"] > PHONE * 0.8  # a day is a full-width line of the agenda, not a seventh of the screen
    title = chip.locator(".chip-title")
    assert title.evaluate("el => el.scrollWidth <= el.clientWidth")  # the title is not cut
    # a past day without posts is left out of the agenda; an upcoming one keeps its "+"
    for cell in page.locator("td.day-past.day-empty").all():
        expect(cell).to_be_hidden()
    upcoming = page.locator("td.day-empty:not(.day-past) .slot-new")
    assert upcoming.count() == 0 or upcoming.first.is_visible()


def test_on_a_phone_the_filters_fold_so_the_calendar_comes_first_and_they_still_filter(site):
    page = site.page("admin", PHONE)
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto("/calendar/")
    filters = page.locator(".cal-filters-box > summary")
    status = page.get_by_label("Status")
    chips = page.locator("td:not(.day-out) .chip")
    expect(status).to_be_hidden()
    expect(filters).to_have_text("Filters")
    # only the layers' line between the folded filters and the calendar, its first post shown without scrolling
    folded = filters.bounding_box()
    assert page.locator(".month-table").bounding_box()["y"] - (folded["y"] + folded["height"]) < 80
    first = chips.first.bounding_box()
    assert first["y"] + first["height"] <= 844
    every = chips.count()

    filters.click()
    status.select_option(label="Draft")
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"status=draft"))
    expect(filters).to_have_text("Filters 1 active")
    expect(status).to_be_hidden()  # folded again: the filtered calendar comes first
    assert 0 < chips.count() < every


def test_on_a_wide_screen_the_filters_are_shown_without_unfolding(site):
    page = site.page("admin", WIDE)
    page.goto("/calendar/?status=draft")
    expect(page.get_by_label("Status")).to_be_visible()
    expect(page.locator(".cal-filters-box > summary")).to_be_hidden()
