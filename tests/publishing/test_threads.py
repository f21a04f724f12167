"""Threads: a post in several parts (separated by a line holding only ---), each validated, published in order,
each part idempotent. Bluesky, X, Mastodon and Threads publish them; the other networks refuse them with a reason."""

import pytest

from publishing.adapters import get_adapter
from publishing.adapters.base import OutcomeUnknown, Rejected, TransientError
from publishing.parts import split_parts
from tests.factories import MediaFactory, PublicationFactory, SocialAccountFactory
from tests.publishing.thread_networks import PART_BY_PART, thread_of

pytestmark = pytest.mark.django_db

THREAD = "La nuit des musées, en trois temps.\n---\n19 h : ouverture des salles.\n---\n23 h : concert au jardin."


def test_a_text_splits_into_parts_at_lines_holding_only_three_dashes():
    assert split_parts(THREAD) == [
        "La nuit des musées, en trois temps.",
        "19 h : ouverture des salles.",
        "23 h : concert au jardin.",
    ]
    assert split_parts("Un seul texte --- avec des tirets\n----") == ["Un seul texte --- avec des tirets\n----"]
    assert split_parts("Un\n---\n\n---\nDeux") == ["Un", "Deux"]
    assert split_parts("Un\r\n---\r\nDeux") == ["Un", "Deux"]  # as a browser submits a form


def bluesky_thread(fake):
    """The museum's records in the order they were written, and each one's reply refs."""
    posts = fake.posts()
    return [(p["value"]["text"], p["value"].get("reply")) for p in posts], posts


def test_bluesky_publishes_the_parts_in_order_each_answering_the_one_before(fake_bluesky, bluesky_account):
    publication = PublicationFactory(account=bluesky_account, text=THREAD)
    MediaFactory(post=publication.post, alt_text="La cour illuminée.")

    result = get_adapter(bluesky_account).publish(publication)

    shown, posts = bluesky_thread(fake_bluesky)
    first, second, third = ({"uri": p["uri"], "cid": p["cid"]} for p in posts)
    assert shown == [
        ("La nuit des musées, en trois temps.", None),
        ("19 h : ouverture des salles.", {"root": first, "parent": first}),
        ("23 h : concert au jardin.", {"root": first, "parent": second}),
    ]
    assert posts[0]["value"]["embed"]["images"][0]["alt"] == "La cour illuminée."
    assert "embed" not in posts[1]["value"] and "embed" not in posts[2]["value"]
    assert result.external_id == first["uri"] and result.extra["parts"] == [first, second, third]
    created = [p["value"]["createdAt"] for p in posts]
    assert created == sorted(created)


def test_bluesky_a_thread_cut_short_by_a_refusal_is_finished_by_the_retry_without_doubles(
    fake_bluesky, bluesky_account
):
    publication = PublicationFactory(account=bluesky_account, text=THREAD)
    adapter = get_adapter(bluesky_account)
    body = {"error": "InternalServerError", "message": "down"}
    fake_bluesky.inject(method="POST", path="putRecord", skip=1, status=503, body=body)  # the second part
    with pytest.raises(TransientError):
        adapter.publish(publication)
    publication.refresh_from_db()
    assert len(fake_bluesky.posts()) == 1
    assert adapter.find_existing(publication) is None  # the thread is not all there: publish must finish it
    first = dict(fake_bluesky.posts()[0])

    result = adapter.publish(publication)

    shown, posts = bluesky_thread(fake_bluesky)
    assert [text for text, _reply in shown] == split_parts(THREAD)
    assert posts[0] == first  # the part already written is left exactly as it was
    assert adapter.find_existing(publication) == result


def test_bluesky_a_lost_answer_mid_thread_is_found_again_and_nothing_is_doubled(
    fake_bluesky, bluesky_account, short_timeouts
):
    publication = PublicationFactory(account=bluesky_account, text=THREAD)
    adapter = get_adapter(bluesky_account)
    fake_bluesky.inject(method="POST", path="putRecord", skip=1, after_handling=True, drop=True)
    with pytest.raises((OutcomeUnknown, TransientError)):
        adapter.publish(publication)
    publication.refresh_from_db()
    assert len(fake_bluesky.posts()) == 2  # the second part was written; its answer never came

    adapter.publish(publication)

    assert [text for text, _reply in bluesky_thread(fake_bluesky)[0]] == split_parts(THREAD)
    assert len(fake_bluesky.received("POST", "putRecord")) == 3  # two, then only the third on the retry


def test_each_part_is_validated_on_its_own(bluesky_account):
    adapter = get_adapter(bluesky_account)
    problems = adapter.validate("Court.\n---\n" + "a" * 301 + "\n---\nCourt aussi.", [])
    assert [p.message for p in problems] == ["Part 2: Bluesky allows 300 characters; this text has 301."]
    assert adapter.validate("a" * 290 + "\n---\n" + "b" * 290, []) == []  # 580 in all: each part fits


@pytest.mark.parametrize("network", ["facebook", "linkedin", "instagram"])
def test_networks_without_threads_refuse_a_text_of_several_parts_with_a_reason(network):
    account = SocialAccountFactory(network=network)
    adapter = get_adapter(account)
    (problem,) = [p for p in adapter.validate(THREAD, []) if p.level == "error" and p.code == "no_threads"]
    assert "has no threads" in problem.message and "---" in problem.message
    publication = PublicationFactory(account=account, text=THREAD)
    with pytest.raises(Rejected, match="has no threads"):
        adapter.ensure_publishable(publication.text, [], "")


# X, Mastodon and Threads: part by part ----------------------------------------------------------------------------


@pytest.fixture(params=list(PART_BY_PART))
def network(request, short_timeouts, settings):
    """(fake, account, the path posts are sent to, how the fake's posts read) for each network."""
    settings.META_CONTAINER_POLL_INTERVAL = 0.01
    make, path, read = PART_BY_PART[request.param]
    with make() as fake:
        yield fake, SocialAccountFactory(**fake.account_fields()), path, read


def test_the_parts_go_out_in_order_each_answering_the_one_before(network):
    fake, account, _path, read = network
    publication = PublicationFactory(account=account, text=THREAD)

    result = get_adapter(account).publish(publication)

    ids, whole = thread_of(read, fake, split_parts(THREAD))
    assert [(text, parent) for _id, text, parent in read(fake)] == whole
    assert result.external_id == ids[0] and [part["id"] for part in result.extra["parts"]] == ids
    assert result.url and result.url == result.extra["parts"][0]["url"]


def test_a_lost_answer_mid_thread_is_found_on_the_account_and_not_sent_again(network):
    fake, account, path, read = network
    publication = PublicationFactory(account=account, text=THREAD)
    adapter = get_adapter(account)
    fake.inject(method="POST", path=path, skip=1, after_handling=True, drop=True)
    with pytest.raises(OutcomeUnknown):
        adapter.publish(publication)
    publication.refresh_from_db()
    assert len(publication.extra["parts"]) == 1 and len(read(fake)) == 2
    assert adapter.find_existing(publication) is None  # a part may be missing: publish finishes the thread

    result = adapter.publish(publication)

    _ids, whole = thread_of(read, fake, split_parts(THREAD))
    assert [(text, parent) for _id, text, parent in read(fake)] == whole
    assert len(fake.received("POST", path)) == 3  # the second part was found, not sent again
    publication.refresh_from_db()
    assert adapter.find_existing(publication) == result
