"""Fault tests with real workers against a Mastodon-API server that ignores Idempotency-Key and rewrites what it
shows (as Takahē does): after every ambiguous failure the status is found, never sent twice, and the publication
links the one status there is; the same for the inbox's replies."""

import pytest

from inbox.models import Message, Reply
from inbox.sending import reply_queue
from inbox.sync import account_sync
from publishing.models import Publication, PublishAttempt, SocialAccount
from tests.conftest import wait_for
from tests.factories import MediaFactory, SocialAccountFactory, UserFactory
from tests.fakes.mastodon import FakeMastodon
from tests.publishing.pipeline import (  # noqa: F401
    all_in,
    beat_factory,
    due_publication,
    reconnect_mastodon,
    start_worker,
)

State = Publication.State
Outcome = PublishAttempt.Outcome
pytestmark = pytest.mark.worker
STATUSES = r"^/api/v1/statuses$"
TEXT = "Nocturne avec @conservatrice@mastodon.example jusqu'à 22 h. #NuitDesMusées"
LINK = "https://www.louvre.fr/en-ce-moment/evenements-activites/nocturne-du-vendredi"


@pytest.fixture
def account(transactional_db, fake_takahe):
    return SocialAccountFactory(**fake_takahe.account_fields())


def published_once(fake_takahe: FakeMastodon, publication: Publication) -> list[str]:
    """Wait until published; check there is one status and the publication links it. Returns the attempts' outcomes."""
    wait_for(lambda: all_in(State.PUBLISHED, [publication]), timeout=40, message="the publication to be published")
    (status,) = fake_takahe.posts()
    publication.refresh_from_db()
    assert (publication.external_id, publication.external_url) == (status["id"], status["url"])
    return list(publication.attempts.values_list("outcome", flat=True))


def test_sigkill_after_the_server_committed_posts_once(celery_worker_factory, beat_factory, fake_takahe, account):  # noqa: F811
    fake_takahe.inject(method="POST", path=STATUSES, after_handling=True, delay=8)
    publication = due_publication(account, text=TEXT, link=LINK)
    first = start_worker(celery_worker_factory, name="doomed", PUBLISHING_LEASE_SECONDS="3")
    beat_factory()
    wait_for(lambda: fake_takahe.posts(), message="the server to accept the post")

    first.stop(sig=9)
    start_worker(celery_worker_factory, name="heir", PUBLISHING_LEASE_SECONDS="3")

    assert published_once(fake_takahe, publication) == [Outcome.UNKNOWN, Outcome.PUBLISHED]


AMBIGUOUS = pytest.mark.parametrize(
    "fault",
    [{"drop": True}, {"status": 502, "body": "<html><h1>502 Bad Gateway</h1></html>"}],
    ids=["answer-lost", "502-after-commit"],
)


@AMBIGUOUS
def test_an_ambiguous_answer_is_looked_up_never_resent(
    celery_worker_factory,
    beat_factory,  # noqa: F811
    fake_takahe,
    account,
    fault,
):
    fake_takahe.inject(method="POST", path=STATUSES, after_handling=True, **fault)
    publication = due_publication(account, text=TEXT, link=LINK)
    MediaFactory(post=publication.post, alt_text="La cour Carrée illuminée, vue depuis la pyramide.")
    start_worker(celery_worker_factory)
    beat_factory()

    assert published_once(fake_takahe, publication) == [Outcome.UNKNOWN, Outcome.PUBLISHED]
    assert len(fake_takahe.received("POST", STATUSES)) == 1  # found by the look-up, not sent again


def test_a_400_for_the_token_holds_the_posts_until_reconnected(
    celery_worker_factory,
    beat_factory,  # noqa: F811
    fake_takahe,
    account,
):
    fake_takahe.revoke_token()  # Takahē answers 400 "Invalid Bearer token"
    publication = due_publication(account, text=TEXT, link=LINK)
    start_worker(celery_worker_factory)
    beat_factory()
    reconnect = SocialAccount.Status.NEEDS_RECONNECT
    wait_for(lambda: SocialAccount.objects.filter(pk=account.pk, status=reconnect).exists(), message="reconnecting")
    assert Publication.objects.filter(pk=publication.pk, state=State.DUE, held=True).exists()

    reconnect_mastodon(account, fake_takahe)

    assert published_once(fake_takahe, publication) == [Outcome.AUTH_EXPIRED, Outcome.PUBLISHED]


@pytest.fixture
def question(fake_takahe, account) -> Message:
    mention = fake_takahe.add_mention("@museum Ouvert lundi ?", acct="visiteur@ailleurs.example")
    account_sync(account=account)
    return Message.objects.get(external_id=mention["id"])


@AMBIGUOUS
def test_an_ambiguous_answer_to_a_reply_is_looked_up_never_resent(
    celery_worker_factory,
    beat_factory,  # noqa: F811
    fake_takahe,
    question,
    fault,
):
    fake_takahe.inject(method="POST", path=STATUSES, after_handling=True, **fault)
    start_worker(celery_worker_factory)
    beat_factory()

    reply = reply_queue(message=question, text="Non, fermé le lundi : https://www.louvre.fr/horaires", by=UserFactory())

    sent = Reply.objects.filter(pk=reply.pk, state=Reply.State.SENT)
    wait_for(sent.exists, timeout=40, message="the reply to be found on the server")
    (ours,) = [status for status in fake_takahe.posts() if status["in_reply_to_id"] == question.external_id]
    assert (sent.get().external_id, sent.get().url) == (ours["id"], ours["url"])
    assert len(fake_takahe.received("POST", STATUSES)) == 1
