"""Every network, end to end: a real beat and worker publish a due post with an image and its alt text to each
network's fake server, which records exactly one post with the right content."""

import pytest

from publishing.models import Publication
from tests.conftest import wait_for
from tests.factories import SocialAccountFactory
from tests.fakes.bluesky import FakeBluesky
from tests.fakes.facebook import FakeFacebook
from tests.fakes.graph import jpeg_media
from tests.fakes.instagram import FakeInstagram
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.threads import FakeThreads
from tests.fakes.x import FakeX
from tests.publishing.pipeline import all_in, beat_factory, due_publication, start_worker  # noqa: F401

pytestmark = pytest.mark.worker

FAKES = [FakeMastodon, FakeBluesky, FakeFacebook, FakeInstagram, FakeX, FakeLinkedIn, FakeThreads]
ALT = "La Joconde, portrait d'une femme souriante devant un paysage."


@pytest.fixture
def fakes():
    servers = [fake().start() for fake in FAKES]
    yield servers
    for server in servers:
        server.stop()


def test_a_due_post_with_an_image_reaches_every_network_once(celery_worker_factory, beat_factory, fakes):  # noqa: F811
    publications = {}
    for fake in fakes:
        account = SocialAccountFactory(**fake.account_fields())
        text = f"La Joconde vous attend sur {account.get_network_display()}. #MuseumWeek"
        publication = due_publication(account, text=text)
        jpeg_media(publication.post, alt_text=ALT)
        publications[fake] = publication
    start_worker(celery_worker_factory)
    beat_factory()

    wait_for(
        lambda: all_in(Publication.State.PUBLISHED, publications.values()), timeout=60, message="every network's post"
    )
    for fake, publication in publications.items():
        posts = fake.received_posts()
        assert len(posts) == 1, fake
        assert posts[0]["text"].startswith(publication.text), fake
        assert posts[0]["alt_texts"] == [ALT], fake
        publication.refresh_from_db()
        assert publication.external_id == str(posts[0]["id"]), fake
