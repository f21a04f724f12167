"""Every main page, on a desktop (1366 px) and a phone (390 px), in real Chromium over the seeded demo museum:
it loads, nothing is wider than the viewport, no id is used twice, and axe-core finds no serious or critical violation.

With SCREENSHOTS_DIR set (`make screenshots`), each page is also saved as a PNG there.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.demo_site import PHONE, WIDE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]  # the database is set up; pages read the seeded data

SCREENSHOTS_DIR = os.environ.get("SCREENSHOTS_DIR")

# (name, role that opens it, path; {ids} are filled from the seeded data)
PAGES = [
    ("login", None, "/accounts/login/"),
    ("home", "admin", "/"),
    ("calendar-month", "admin", "/calendar/"),
    ("calendar-week", "admin", "/calendar/week/"),
    ("calendar-list", "admin", "/calendar/list/"),
    ("post-new", "admin", "/calendar/posts/new/"),
    ("post-detail", "admin", "/calendar/posts/{post}/"),
    ("post-edit", "admin", "/calendar/posts/{post}/edit/"),
    ("post-move", "admin", "/calendar/posts/{post}/move/"),
    ("week-review", "admin", "/calendar/weeks/{week}/"),
    ("ideas", "admin", "/ideas/"),
    ("idea-new", "admin", "/ideas/new/"),
    ("idea-detail", "admin", "/ideas/{idea}/"),
    ("campaigns", "admin", "/campaigns/"),
    ("campaign-detail", "admin", "/campaigns/{campaign}/"),
    ("campaign-edit", "admin", "/campaigns/{campaign}/edit/"),
    ("events", "admin", "/calendar/events/"),
    ("event-edit", "admin", "/calendar/events/{event}/"),
    ("slots", "admin", "/calendar/slots/"),
    ("calendar-feed", "admin", "/calendar/feed/"),
    ("notifications", "admin", "/notifications/"),
    ("inbox", "admin", "/inbox/"),
    ("conversation", "admin", "/inbox/{message}/"),
    ("saved-replies", "admin", "/inbox/saved/"),
    ("questions", "curator", "/inbox/questions/"),
    ("question", "curator", "/inbox/questions/{routed}/"),
    ("accounts", "admin", "/accounts/networks/"),
    ("connect-sandbox", "admin", "/accounts/networks/connect/sandbox/"),
    ("team", "admin", "/accounts/team/"),
    ("profile", "admin", "/accounts/profile/"),
    ("pause", "admin", "/publishing/pause/"),
    ("sandbox", "admin", "/sandbox/"),
]

DUPLICATE_IDS = """() => {
  const seen = {}, twice = new Set();
  for (const el of document.querySelectorAll('[id]')) { if (seen[el.id]) twice.add(el.id); seen[el.id] = true; }
  return [...twice];
}"""
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > width + 1
    && getComputedStyle(el).position !== 'fixed' && !el.closest('.visually-hidden, .skip-link'));
  return wide.slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
}"""


@pytest.mark.parametrize("width", [WIDE, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(("name", "role", "path"), PAGES, ids=[name for name, _, _ in PAGES])
def test_main_page_fits_and_passes_axe(site, name, role, path, width):
    page = site.page(role, width)
    try:
        response = page.goto(path.format(**site.ids))
        assert response.ok, f"{name}: HTTP {response.status}"
        page.wait_for_load_state("networkidle")
        if SCREENSHOTS_DIR:
            _screenshot(page, Path(SCREENSHOTS_DIR) / f"{name}-{'phone' if width == PHONE else 'desktop'}.png")

        assert page.evaluate(DUPLICATE_IDS) == []
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width} px wide: {page.evaluate(OVERFLOWING)}"
        results = Axe().run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == []
    finally:
        page.close()


def _screenshot(page, path: Path) -> None:
    """The whole page, in 256 colours (a third of the size, for the repository)."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
