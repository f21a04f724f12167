"""The question-of-the-day layer in real Chromium: a community manager drags a queued answer to another day of the
month view, and the queue follows (it takes that day's slot, the ones in between shift)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from ask.services import queue_dates
from tests.ask.conftest import queued, released_on
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser]


def _entry(page, day: date, text: str):
    return page.locator(f'td[data-day="{day.isoformat()}"] .layer-entry', has_text=text)


def test_dragging_a_question_of_the_day_to_another_day_reorders_the_queue(page, community_manager):
    released_on(date(2027, 3, 9))  # the queue goes out on the 10th, 11th and 12th of March 2027
    first, second, third = queued(3)
    browser_login(page, community_manager)
    page.goto("/calendar/?month=2027-03")
    expect(_entry(page, date(2027, 3, 12), "Question numéro 3 ?")).to_be_visible()

    _entry(page, date(2027, 3, 12), "Question numéro 3 ?").drag_to(page.locator('td[data-day="2027-03-10"]'))

    expect(page.locator("#calendar-status")).to_contain_text("the others shift")
    expect(_entry(page, date(2027, 3, 10), "Question numéro 3 ?")).to_be_visible()
    expect(_entry(page, date(2027, 3, 11), "Question numéro 1 ?")).to_be_visible()
    expect(_entry(page, date(2027, 3, 12), "Question numéro 2 ?")).to_be_visible()
    assert [q.pk for q, _at in queue_dates()] == [third.pk, first.pk, second.pk]


def test_in_the_week_view_an_entry_dropped_on_another_day_takes_its_slot(page, community_manager):
    released_on(date(2027, 3, 9))  # Tuesday: the queue goes out from Wednesday the 10th
    first, second, third = queued(3)
    browser_login(page, community_manager)
    page.goto("/calendar/week/?week=2027-W10")
    heading = page.locator('th[data-day="2027-03-12"] .layer-entry', has_text="Question numéro 3 ?")
    expect(heading).to_be_visible()

    heading.drag_to(page.locator('td[data-day="2027-03-11"][data-hour="14"]'))

    expect(page.locator("#calendar-status")).to_contain_text("the others shift")
    expect(page.locator('th[data-day="2027-03-11"] .layer-entry', has_text="Question numéro 3 ?")).to_be_visible()
    assert [q.pk for q, _at in queue_dates()] == [first.pk, third.pk, second.pk]
