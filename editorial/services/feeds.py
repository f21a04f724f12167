"""The iCal feed of scheduled posts, for Outlook or Google Calendar; behind a secret, revocable token."""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from editorial.models import CalendarFeed, Post

FEED_PAST = timedelta(days=60)
FEED_FUTURE = timedelta(days=400)
EVENT_LENGTH = timedelta(minutes=15)


def feed_for(*, user) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(user=user)[0]


def feed_revoke(*, user) -> CalendarFeed:
    """A new token: the old URL stops working at once (subscribers must copy the new one)."""
    feed = feed_for(user=user)
    feed.rotate()
    return feed


def feed_owner(*, token: str):
    """The active user behind a token who may see the calendar, or None."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed and feed.user.is_active and feed.user.has_perm("editorial.view_post"):
        return feed.user
    return None


def feed_calendar(*, now=None) -> bytes:
    """Every scheduled post from two months ago to a year ahead, one 15-minute event each."""
    now = now or timezone.now()
    posts = (
        Post.objects.filter(scheduled_at__gte=now - FEED_PAST, scheduled_at__lte=now + FEED_FUTURE)
        .select_related("campaign")
        .prefetch_related("publications__account")
        .order_by("scheduled_at", "pk")
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//museumcm//editorial calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "museumcm")
    for post in posts:
        calendar.add_component(_event(post, now))
    return calendar.to_ical()


def _event(post: Post, now) -> icalendar.Event:
    networks = sorted({publication.account.get_network_display() for publication in post.publications.all()})
    url = f"{settings.SITE_URL}{post.get_absolute_url()}"
    event = icalendar.Event()
    event.add("uid", f"post-{post.pk}@museumcm")
    event.add("dtstamp", now)
    event.add("dtstart", post.scheduled_at)
    event.add("dtend", post.scheduled_at + EVENT_LENGTH)
    event.add("summary", post.title)
    event.add("description", "\n".join(filter(None, [", ".join(networks), post.get_status_display(), url])))
    event.add("url", url)
    if networks:
        event.add("categories", networks)
    return event
