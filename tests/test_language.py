"""One date format per language, elapsed time in words, the inbox in French (issue 12, item 8)."""

from datetime import datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

AFTERNOON = datetime(2026, 12, 3, 15, 30, tzinfo=timezone.get_fixed_timezone(0))


def test_english_dates_read_day_month_with_a_24_hour_clock():
    with translation.override("en"):
        assert date_format(AFTERNOON.date(), "DATE_FORMAT") == "3 December 2026"
        assert date_format(AFTERNOON, "DATETIME_FORMAT") == "3 December 2026, 15:30"
        assert date_format(AFTERNOON.date(), "SHORT_DATE_FORMAT") == "03/12/2026"
    with translation.override("fr"):
        assert date_format(AFTERNOON, "DATETIME_FORMAT") == "3 décembre 2026 15:30"


def _render(source: str, value) -> str:
    return Template("{% load when %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "à l\N{RIGHT SINGLE QUOTATION MARK}instant"), ("en", "just now")]
)
def test_under_a_minute_is_just_now_not_zero_minutes(language, expected):
    with translation.override(language):
        assert _render("{{ value|ago }}", timezone.now() - timedelta(seconds=20)) == expected
        assert "0" not in _render("{{ value|elapsed }}", timezone.now() - timedelta(seconds=20))


def test_later_it_counts_the_minutes_in_the_readers_language():
    with translation.override("fr"):
        assert _render("{{ value|ago }}", timezone.now() - timedelta(minutes=3, seconds=5)) == "il y a 3\xa0minutes"
    with translation.override("en"):
        assert _render("{{ value|ago }}", timezone.now() - timedelta(minutes=3, seconds=5)) == "3\xa0minutes ago"


def test_the_inbox_checkboxes_are_labelled_in_french(client, community_manager):
    MessageFactory(author_handle="lea.martin")
    community_manager.language = "fr"
    community_manager.save(update_fields=["language"])
    client.force_login(community_manager)

    page = client.get("/inbox/").content.decode()

    assert 'aria-label="Sélectionner le message de lea.martin"' in page
