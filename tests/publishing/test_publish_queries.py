"""What one publication costs the database: the worker's hot path, pinned so that it does not creep back.

The publish service runs in-process (the statements do not depend on Celery); outbound HTTP goes to the fake.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publishing.models import Publication
from publishing.services import publication_publish
from tests.factories import MediaFactory, PostFactory, PublicationFactory

State = Publication.State
pytestmark = pytest.mark.django_db


def statements(queries) -> list[str]:
    """What the worker sends, less the savepoints that stand for its transactions inside a test's transaction and
    the statements a connection prepares once."""
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "PREPARE"))]


def media_reads(queries) -> list[str]:
    return [sql for sql in statements(queries) if sql.replace('"', "").startswith("SELECT * FROM editorial_media")]


def test_a_text_only_post_is_published_in_two_statements_without_asking_for_media(fake_mastodon, mastodon_account):
    publication = PublicationFactory(account=mastodon_account, text="Bonjour", state=State.SENDING)

    with CaptureQueriesContext(connection) as queries:
        publication_publish(publication_id=publication.pk)

    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert media_reads(queries) == []
    # before the call: claim, attempt insert, load (account, post, interrupted, has_media); after: attempt, move
    assert len(statements(queries)) == 2, [sql[:80] for sql in statements(queries)]


def test_a_post_with_an_image_reads_its_media_and_sends_it(fake_mastodon, mastodon_account):
    post = PostFactory(text="La Joconde")
    MediaFactory(post=post, alt_text="Portrait de Lisa Gherardini")
    publication = PublicationFactory(post=post, account=mastodon_account, text=post.text, state=State.SENDING)

    with CaptureQueriesContext(connection) as queries:
        publication_publish(publication_id=publication.pk)

    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert len(media_reads(queries)) == 1
    assert fake_mastodon.received("POST", r"^/api/v2/media$")
