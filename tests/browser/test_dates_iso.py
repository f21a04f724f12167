"""Every date and time input sends and receives ISO values, whatever the language (issue 12, item 1).

French pages used to render `value="03/12/2026"`, which `<input type="date">` shows as empty: saving a form without
touching it erased its dates. Each form is saved untouched in real Chromium, in French and in English, and nothing
may change.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from editorial.models import Post
from tests.conftest import browser_login
from tests.factories import CampaignFactory, MuseumEventFactory, PostFactory, PublicationFactory, SocialAccountFactory

pytestmark = [pytest.mark.browser]

LANGUAGES = ["fr", "en"]


def _signed_in(page, user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    browser_login(page, user)


def _save(page, form_selector: str = "main form.card"):
    page.locator(form_selector).locator("button[type=submit].button-primary").click()
    expect(page.locator("#messages .notice-success")).to_be_visible()


def _date_inputs_have_iso_values(page):
    for field in page.locator("input[type=date], input[type=datetime-local], input[type=time]").all():
        assert field.input_value(), f"{field.get_attribute('name')} renders empty"


@pytest.fixture
def schedule_day() -> date:
    return timezone.localdate() + timedelta(days=9)


DATED = {
    "campaign": (CampaignFactory, "/campaigns/{pk}/edit/"),
    "event": (MuseumEventFactory, "/calendar/events/{pk}/"),
}


@pytest.mark.parametrize("kind", DATED)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_campaign_or_event_saved_untouched_keeps_its_dates(page, community_manager, language, kind, schedule_day):
    factory, url = DATED[kind]
    dated = factory(starts_on=schedule_day, ends_on=schedule_day + timedelta(days=20))
    _signed_in(page, community_manager, language)
    page.goto(url.format(pk=dated.pk))
    _date_inputs_have_iso_values(page)
    _save(page)
    saved = type(dated).objects.get(pk=dated.pk)
    assert (saved.starts_on, saved.ends_on) == (dated.starts_on, dated.ends_on)


def _scheduled_post(day: date) -> Post:
    at = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time().replace(hour=10, minute=30)))
    post = PostFactory(scheduled_at=at)
    PublicationFactory(post=post, account=SocialAccountFactory(), scheduled_at=at)
    return post


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_post_saved_untouched_keeps_its_time(page, community_manager, language, schedule_day):
    post = _scheduled_post(schedule_day)
    _signed_in(page, community_manager, language)
    page.goto(f"/calendar/posts/{post.pk}/edit/")
    _date_inputs_have_iso_values(page)
    _save(page, "#post-form")
    post_after = Post.objects.get(pk=post.pk)
    assert post_after.scheduled_at == post.scheduled_at
    assert post_after.title == post.title


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_post_moved_untouched_keeps_its_time(page, community_manager, language, schedule_day):
    post = _scheduled_post(schedule_day)
    _signed_in(page, community_manager, language)
    page.goto(f"/calendar/posts/{post.pk}/move/")
    _date_inputs_have_iso_values(page)
    _save(page)
    assert Post.objects.get(pk=post.pk).scheduled_at == post.scheduled_at
