"""Fault tests of threads with real processes: a worker killed between two parts, an answer lost mid-thread.

Whatever happens between the parts, every part of the thread ends on the network once, in order, each answering
the one before, and the publication ends published with the link of its first part.
"""

import pytest

from publishing.models import Publication
from tests.conftest import wait_for
from tests.factories import SocialAccountFactory
from tests.publishing.pipeline import all_in, beat_factory, due_publication, start_worker  # noqa: F401
from tests.publishing.thread_networks import PART_BY_PART, thread_of

State = Publication.State
pytestmark = pytest.mark.worker
THREAD = "Trois œuvres pour la nuit.\n---\nUne : la Méduse.\n---\nDeux : la Liberté.\n---\nTrois : la Joconde."


@pytest.fixture
def fake(fake_bluesky):
    return fake_bluesky


@pytest.fixture
def account(transactional_db, fake_bluesky):
    return SocialAccountFactory(**fake_bluesky.account_fields())


def assert_one_whole_thread(fake, publication):
    posts = fake.posts()
    assert [p["value"]["text"] for p in posts] == publication.parts  # each part once, in order
    refs = [{"uri": p["uri"], "cid": p["cid"]} for p in posts]
    for number, post in enumerate(posts[1:], start=1):
        assert post["value"]["reply"] == {"root": refs[0], "parent": refs[number - 1]}
    publication.refresh_from_db()
    assert publication.external_id == refs[0]["uri"]
    assert publication.extra["parts"] == refs


def killed_after_two_parts(celery_worker_factory, beat_factory, fake, publication, posts=None) -> None:  # noqa: F811
    """A worker publishes until the second part is written and its answer held, is killed, and an heir finishes."""
    posts = posts or fake.posts
    doomed = start_worker(celery_worker_factory, name="doomed", PUBLISHING_LEASE_SECONDS="3")
    beat_factory()
    wait_for(lambda: len(posts()) == 2, message="the second part to be written")

    doomed.stop(sig=9)
    start_worker(celery_worker_factory, name="heir", PUBLISHING_LEASE_SECONDS="3")

    wait_for(lambda: all_in(State.PUBLISHED, [publication]), timeout=40, message="the thread to be published")


def test_sigkill_between_two_parts_publishes_every_part_once(celery_worker_factory, beat_factory, fake, account):  # noqa: F811
    # The second part is written, then its answer is held: the worker dies waiting for it.
    fake.inject(method="POST", path="putRecord", skip=1, after_handling=True, delay=8)
    publication = due_publication(account, text=THREAD)

    killed_after_two_parts(celery_worker_factory, beat_factory, fake, publication)

    assert_one_whole_thread(fake, publication)


def test_an_answer_lost_mid_thread_ends_in_one_whole_thread(celery_worker_factory, beat_factory, fake, account):  # noqa: F811
    # The third part is written, its answer lost.
    fake.inject(method="POST", path="putRecord", skip=2, after_handling=True, drop=True)
    publication = due_publication(account, text=THREAD)
    start_worker(celery_worker_factory)
    beat_factory()

    wait_for(lambda: all_in(State.PUBLISHED, [publication]), timeout=40, message="the thread to be published")
    assert_one_whole_thread(fake, publication)
    assert len(fake.received("POST", r"putRecord$")) == 4  # the lost part is looked up, not written again


@pytest.mark.parametrize("network", list(PART_BY_PART))
def test_sigkill_between_two_parts_without_idempotency_publishes_every_part_once(
    celery_worker_factory,
    beat_factory,  # noqa: F811
    transactional_db,
    network,
):
    make, path, read = PART_BY_PART[network]
    with make() as fake:
        account = SocialAccountFactory(**fake.account_fields())
        fake.inject(method="POST", path=path, skip=1, after_handling=True, delay=8)  # found again by its text
        publication = due_publication(account, text=THREAD)

        killed_after_two_parts(celery_worker_factory, beat_factory, fake, publication, posts=lambda: read(fake))

        ids, whole = thread_of(read, fake, publication.parts)
        assert [(text, parent) for _id, text, parent in read(fake)] == whole
    publication.refresh_from_db()
    assert publication.external_id == ids[0]
    assert [part["id"] for part in publication.extra["parts"]] == ids
