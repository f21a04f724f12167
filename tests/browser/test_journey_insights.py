"""Journey: a manager reads Insights for a campaign, sorts its posts, opens the report and downloads its PDF; a
curator sees only the results of their own ideas. No console error, no CSP violation, in real Chromium."""

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.insights import history

pytestmark = pytest.mark.browser


def watch_errors(page) -> list:
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def assert_charts_drawn(page, count: int) -> None:
    """Every chart's <img> (at its own URL, drawn on demand, loaded lazily: each is scrolled to) has loaded as an
    image. Checked in the page in one go, so that an htmx swap of the body in between cannot detach them."""
    page.wait_for_function(
        """count => {
            const charts = [...document.querySelectorAll("figure.chart img")];
            const pending = charts.filter(img => !(img.complete && img.naturalWidth > 0));
            if (pending.length) pending[0].scrollIntoView();
            return charts.length === count && !pending.length
                && charts.every(img => img.getAttribute("src").startsWith("/insights/charts/"));
        }""",
        arg=count,
    )


@pytest.fixture
def journey_rows(curator, settings):
    settings.TIME_ZONE = "Europe/Paris"
    settings.MUSEUM_NAME = "Musée Marceau"
    return history.build(curator)


def test_a_manager_filters_sorts_opens_the_report_and_downloads_the_pdf(page, manager, journey_rows):
    rows = journey_rows
    errors = watch_errors(page)
    browser_login(page, manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    page.get_by_label("From", exact=True).fill("2026-11-01")
    page.get_by_label("To", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#posts").get_by_role("link", name=rows["p4"].post.title)).to_be_visible()
    expect(page.get_by_role("img", name="Followers per account over the period.", exact=False)).to_be_visible()
    assert_charts_drawn(page, 5)

    page.get_by_label("Campaign", exact=True).select_option(label="MuseumWeek")
    posts = page.locator("#posts tbody tr")
    expect(posts).to_have_count(2)
    expect(page.locator("#posts").get_by_role("link", name=rows["p4"].post.title)).to_have_count(0)
    assert "campaign=" in page.url  # the filter is in the address: back, reload and sharing keep it

    page.locator("#posts").get_by_role("link", name="Engagements").click()  # sorted by it already: now ascending
    expect(page.locator("#posts th[aria-sort='ascending']")).to_have_text("Engagements")
    expect(posts.first).to_contain_text(rows["p2"].post.title)  # 30 engagements before 50
    expect(posts.last).to_contain_text(rows["p1"].post.title)

    page.get_by_role("link", name="Manager's report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Social media report")
    expect(page.locator(".report-museum")).to_have_text("Musée Marceau")
    assert_charts_drawn(page, 3)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "report-2026-11-01-2026-11-30.pdf"
    assert download.path().read_bytes().startswith(b"%PDF-")
    assert errors == []


def test_a_curator_sees_only_the_results_of_their_own_ideas(page, curator, journey_rows):
    rows = journey_rows
    errors = watch_errors(page)
    browser_login(page, curator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    page.get_by_label("From", exact=True).fill("2026-11-01")
    page.get_by_label("To", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The results of the posts made from your ideas.")).to_be_visible()
    table = page.locator("#posts")
    expect(table.get_by_role("link", name=rows["p1"].post.title)).to_be_visible()
    expect(table.get_by_role("link", name=rows["p3"].post.title)).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="Manager's report")).to_have_count(0)
    assert errors == []
