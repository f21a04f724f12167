"""A live session's posts as one thread per account on the networks that have threads, over real HTTP to the fakes:
each tap's post answers the session's previous post on that account, once."""

import pytest

from editorial.services.live import live_next_post, live_post_fire, live_session_approve
from publishing.models import Publication
from publishing.services import publication_publish
from tests.editorial.live_helpers import RUN_SHEET, prepared_session

pytestmark = pytest.mark.django_db


def tap_all(session, community_manager):
    for _post in RUN_SHEET:
        for pk in live_post_fire(post=live_next_post(session), by=community_manager):
            assert publication_publish(publication_id=pk) == Publication.State.PUBLISHED


def test_on_bluesky_each_tap_answers_the_previous_post_within_one_root(
    fake_bluesky, bluesky_account, community_manager, manager
):
    session = prepared_session(community_manager, accounts=[bluesky_account])
    live_session_approve(session=session, by=manager)

    tap_all(session, community_manager)

    posts = fake_bluesky.posts()
    first, second, _third = ({"uri": p["uri"], "cid": p["cid"]} for p in posts)
    assert [p["value"]["text"] for p in posts] == RUN_SHEET
    assert [p["value"].get("reply") for p in posts] == [
        None,
        {"root": first, "parent": first},
        {"root": first, "parent": second},
    ]


def test_on_x_and_mastodon_each_tap_answers_the_previous_post(
    fake_x, x_account, fake_mastodon, mastodon_account, community_manager, manager
):
    session = prepared_session(community_manager, accounts=[x_account, mastodon_account])
    live_session_approve(session=session, by=manager)

    tap_all(session, community_manager)

    tweets = fake_x.posts()
    assert [t["sent"] for t in tweets] == RUN_SHEET
    assert not tweets[0]["referenced_tweets"]
    assert [t["referenced_tweets"][0]["id"] for t in tweets[1:]] == [tweets[0]["id"], tweets[1]["id"]]
    statuses = fake_mastodon.posts()
    assert [s["sent"] for s in statuses] == RUN_SHEET
    assert [s["in_reply_to_id"] for s in statuses] == [None, statuses[0]["id"], statuses[1]["id"]]
