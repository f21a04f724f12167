"""English dates read day first unless a user chooses month first on their profile (issue 12, item 8)."""

import re
from datetime import date

import pytest
from django.utils import translation
from django.utils.formats import date_format

from accounts.models import DateOrder
from editorial.services.weeks import IsoWeek

pytestmark = pytest.mark.django_db


def _review_page(client, user, language: str, order: str) -> tuple[str, date]:
    user.language, user.date_order = language, order
    user.save(update_fields=["language", "date_order"])
    client.force_login(user)
    week = IsoWeek.of(date.today())
    return client.get(week.url).content.decode(), week.monday


def _month(day: date, language: str) -> str:
    with translation.override(language):
        return date_format(day, "F")


def test_english_dates_are_day_first_by_default(client, manager):
    page, monday = _review_page(client, manager, "en", DateOrder.DAY_MONTH)
    assert f"From Monday {monday.day} {_month(monday, 'en')} {monday.year}." in page


def test_a_user_who_chooses_month_first_reads_english_dates_month_first(client, manager):
    page, monday = _review_page(client, manager, "en", DateOrder.MONTH_DAY)

    assert f"From Monday {_month(monday, 'en')} {monday.day}, {monday.year}." in page
    assert re.search(r'<button[^>]*value="en"[^>]*aria-pressed="true"', page)  # still English in the switcher


def test_french_dates_stay_day_first_whatever_the_english_choice(client, manager):
    page, monday = _review_page(client, manager, "fr", DateOrder.MONTH_DAY)
    assert f"{monday.day} {_month(monday, 'fr')} {monday.year}" in page
    assert '<html lang="fr">' in page
