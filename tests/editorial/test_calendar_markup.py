"""The calendar's chips and list rows: written by template tags, pinned against the template partials they mirror,
with each network's icon and the post's first image, in a fixed number of queries."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from editorial.selectors import CalendarFilters, Entry, Target, calendar_posts
from editorial.templatetags.calendar_tags import calendar_chips, calendar_rows
from publishing.models import Network
from tests.factories import MediaFactory, PostFactory, PublicationFactory, SocialAccountFactory


def _entry(**overrides) -> Entry:
    fields = {
        "pk": 7,
        "title": 'Nuit <des> musées & "Lumières"',
        "scheduled_at": timezone.localtime() + timedelta(days=2),
        "status": "approved",
        "author": "Camille <CM>",
        "campaign": "MuseumWeek",
        "campaign_id": 3,
        "targets": [
            Target(Network.MASTODON, "@musee <marceau>", "scheduled", "Scheduled"),
            Target(Network.INSTAGRAM, "musee.marceau", "failed", "Failed"),
        ],
        "state": ("approved", "Approved, scheduled"),
        "detail_url": "/calendar/posts/7/",
        "move_url": "/calendar/posts/7/move/",
        "thumbnail_url": "/calendar/media/12/thumbnail/",
    }
    return Entry(**(fields | overrides))


def _flat(html: str) -> str:
    """Whitespace a template needs for legibility (line breaks and indentation between tags) does not count."""
    html = re.sub(r"\{#.*?#\}", "", html)
    return re.sub(r">\s*\n\s*<", "><", html.strip())


ENTRIES = {
    "movable with an image": (_entry(), True),
    "past, no image, no target": (_entry(thumbnail_url="", targets=[], scheduled_at=timezone.localtime()), True),
    "read-only": (_entry(), False),
}


@pytest.mark.parametrize(("entry", "can_move"), ENTRIES.values(), ids=ENTRIES.keys())
def test_a_chip_from_the_tag_is_the_chip_of_the_partial(entry, can_move):
    movable = can_move and entry.scheduled_at > timezone.now()
    partial = render_to_string(
        "editorial/calendar/_chip.html", {"entry": entry, "can_move": movable, "move_label": gettext("Move")}
    )

    assert _flat(calendar_chips([entry], can_move=can_move)) == _flat(partial)


@pytest.mark.parametrize("entry", [_entry(), _entry(thumbnail_url="", targets=[])], ids=["image", "bare"])
def test_a_list_row_from_the_tag_is_the_row_of_the_partial(entry):
    assert _flat(calendar_rows([entry])) == _flat(render_to_string("editorial/calendar/_row.html", {"entry": entry}))


def test_a_chip_escapes_what_the_team_wrote_and_names_each_network_by_its_icon():
    html = calendar_chips([_entry()], can_move=True)

    assert "Nuit &lt;des&gt; musées &amp; &quot;Lumières&quot;" in html
    assert "<des>" not in html and "<marceau>" not in html
    assert f'src="{static("img/networks/mastodon.svg")}" alt="@musee &lt;marceau&gt; (Scheduled)"' in html
    assert f'src="{static("img/networks/instagram.svg")}" alt="musee.marceau (Failed)"' in html
    assert '<img class="post-thumb" src="/calendar/media/12/thumbnail/" alt=""' in html


def test_entries_carry_the_first_image_of_each_post_without_a_query_per_post(
    community_manager, django_assert_max_num_queries
):
    account = SocialAccountFactory(network=Network.BLUESKY)
    start = timezone.localtime() + timedelta(days=1)
    posts = [PostFactory(author=community_manager, scheduled_at=start + timedelta(hours=n)) for n in range(6)]
    for post in posts:
        PublicationFactory(post=post, account=account)
    MediaFactory(post=posts[0], position=2)
    first = MediaFactory(post=posts[0], position=1)
    MediaFactory(post=posts[0], position=0, kind="video", content_type="video/mp4")
    MediaFactory(post=posts[1], thumbnail="thumbs/ready.jpg")
    day = start.date()

    with django_assert_max_num_queries(3):
        entries = {e.pk: e for e in calendar_posts(day, day + timedelta(days=1), CalendarFilters())}

    assert entries[posts[0].pk].thumbnail_url == reverse("media_file", args=[first.pk])  # the first image, no video
    assert entries[posts[1].pk].thumbnail_url.endswith("/thumbnail/")
    assert entries[posts[2].pk].thumbnail_url == ""


def test_the_month_view_shows_thumbnails_in_the_same_queries_for_3_and_30_posts_with_images(
    client, curator, community_manager
):
    account = SocialAccountFactory(network=Network.INSTAGRAM)
    first = (timezone.localdate().replace(day=1) + timedelta(days=40)).replace(day=1)
    url = reverse("calendar") + f"?month={first:%Y-%m}"

    def add_posts(n: int, offset: int) -> None:
        for index in range(offset, offset + n):
            when = timezone.make_aware(datetime.combine(first + timedelta(days=index % 27), time(9)))
            post = PostFactory(author=community_manager, scheduled_at=when + timedelta(minutes=index))
            PublicationFactory(post=post, account=account)
            MediaFactory(post=post)

    client.force_login(curator)
    add_posts(3, 0)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert page.count('class="post-thumb"') == 3
    add_posts(27, 3)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count('class="post-thumb"') >= 27  # up to four a day
    assert len(many) == len(few)
