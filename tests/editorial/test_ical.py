"""The iCal feed: secret token, no login, scheduled posts parsed back with icalendar, revoked token 404."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from editorial.models import CalendarFeed
from publishing.models import Network
from tests.factories import PostFactory, PublicationFactory, SocialAccountFactory


@pytest.fixture
def scheduled_post(db):
    at = (timezone.now() + datetime.timedelta(days=30)).replace(second=0, microsecond=0)
    post = PostFactory(title="Nuit des musées <b>!</b>", scheduled_at=at)
    PublicationFactory(post=post, account=SocialAccountFactory(network=Network.INSTAGRAM))
    PublicationFactory(post=post, account=SocialAccountFactory(network=Network.BLUESKY))
    return post


def test_the_feed_lists_scheduled_posts_with_time_networks_and_link(client, manager, scheduled_post, settings):
    client.force_login(manager)
    settings.SITE_URL = "https://cm.musee-marceau.example"
    page = client.get(reverse("calendar_feed"))
    feed = CalendarFeed.objects.get(user=manager)
    client.logout()

    response = client.get(feed.get_absolute_url())

    assert feed.get_absolute_url() in page.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Nuit des musées <b>!</b>"
    assert event.decoded("dtstart") == scheduled_post.scheduled_at
    assert str(event["url"]) == f"https://cm.musee-marceau.example{scheduled_post.get_absolute_url()}"
    assert "Bluesky, Instagram" in str(event["description"])
    assert str(event["uid"]) == f"post-{scheduled_post.pk}@museumcm"


def test_a_revoked_token_is_404_and_the_new_one_works(client, manager, scheduled_post):
    client.force_login(manager)
    client.get(reverse("calendar_feed"))
    old_url = CalendarFeed.objects.get(user=manager).get_absolute_url()

    client.post(reverse("calendar_feed_revoke"))
    new_url = CalendarFeed.objects.get(user=manager).get_absolute_url()
    client.logout()

    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_an_unknown_token_or_a_user_without_the_calendar_gets_404(client, stranger, db):
    feed = CalendarFeed.objects.create(user=stranger)

    assert client.get(reverse("calendar_feed_ics", args=["not-a-token"])).status_code == 404
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_a_deactivated_user_s_feed_stops_working(client, manager, scheduled_post):
    feed = CalendarFeed.objects.create(user=manager)
    manager.is_active = False
    manager.save()

    assert client.get(feed.get_absolute_url()).status_code == 404


def test_posts_without_a_time_are_not_in_the_feed(client, manager, scheduled_post):
    PostFactory(title="Sans date", scheduled_at=None)
    feed = CalendarFeed.objects.create(user=manager)

    calendar = icalendar.Calendar.from_ical(client.get(feed.get_absolute_url()).content)

    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Nuit des musées <b>!</b>"]


@pytest.mark.parametrize("role", ["curator", "community_manager", "manager", "admin", "stranger"])
def test_the_feed_page_needs_the_calendar(client, role_users, role):
    client.force_login(role_users[role])

    assert client.get(reverse("calendar_feed")).status_code == (403 if role == "stranger" else 200)
    assert client.post(reverse("calendar_feed_revoke")).status_code == (403 if role == "stranger" else 302)
