"""The calendar looks like the posts: each network's icon, the post's first image, banners once per week."""

import pytest
from playwright.sync_api import expect

from tests.browser.demo_site import WIDE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LOADED = "img => img.complete && img.naturalWidth > 0"


def test_chips_show_each_networks_icon_and_the_posts_image(site):
    page = site.page("admin", WIDE)
    page.goto(f"/calendar/?month={site.ids['post_month']}")
    chip = page.locator(f".chip[data-post='{site.ids['post']}']")

    for network in ("mastodon", "bluesky", "instagram", "sandbox"):
        icon = chip.locator(f".network-{network} img.network-icon").first
        expect(icon).to_be_visible()
        assert icon.evaluate(LOADED), f"the {network} icon did not load"
    expect(chip.get_by_role("img", name="Musée Marceau", exact=False).first).to_be_visible()
    thumbnail = chip.locator("img.post-thumb")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate(LOADED)


def test_list_rows_show_the_posts_image(site):
    page = site.page("admin", WIDE)
    page.goto(f"/calendar/list/?month={site.ids['post_month']}")
    thumbnail = page.locator(f"tr[data-post='{site.ids['post']}'] img.post-thumb")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate(LOADED)


def test_an_exhibition_is_a_banner_once_per_week_row_not_in_every_day(site):
    page = site.page("admin", WIDE)
    page.goto("/calendar/")
    banner_rows = page.locator("tr.week-banner-row").filter(has_text="Lumières du Nord")
    assert banner_rows.count() == page.locator("th.week-col a").count()  # the exhibition runs all month
    assert page.locator("td.day .event").filter(has_text="Lumières du Nord").count() == 0


def _shown_in(scroller, row) -> bool:
    box, frame = row.bounding_box(), scroller.bounding_box()
    return box["y"] >= frame["y"] - 1 and box["y"] + box["height"] <= frame["y"] + frame["height"] + 1


def test_the_week_opens_at_the_working_day_and_scrolls_to_midnight(site):
    page = site.page("admin", WIDE)
    page.goto(f"/calendar/week/?week={site.ids['post_week']}")
    scroller = page.locator(".week-scroll")
    page.wait_for_function("document.querySelector('.week-scroll').scrollTop > 0")  # midnight to 7:00 are above
    assert _shown_in(scroller, page.locator("tr[data-hour='8']"))
    assert not _shown_in(scroller, page.locator("tr[data-hour='0']"))

    scroller.evaluate("el => { el.scrollTop = 0; }")
    assert _shown_in(scroller, page.locator("tr[data-hour='0']"))
    scroller.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    assert _shown_in(scroller, page.locator("tr[data-hour='23']"))
