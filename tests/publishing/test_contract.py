"""What every adapter must do, whatever its network: the same scenarios against each network's fake server, over
real HTTP (the sandbox, which has no HTTP, where a scenario applies to it). How each network is driven and hurt is
in tests/networks.py; what only one network does stays in its own test_adapter_<network>.py."""

import uuid

import pytest

from publishing.adapters import ADAPTERS, get_adapter
from publishing.adapters.base import AuthExpired, OutcomeUnknown, RateLimited, ReplyTarget
from tests.factories import PostFactory, PublicationFactory
from tests.fakes.graph import jpeg_media
from tests.networks import FAULTS, on_fake

pytestmark = pytest.mark.django_db

ON_HTTP = list(FAULTS)
EVERY_NETWORK = [*ON_HTTP, "sandbox"]
WITH_INBOX = [name for name in EVERY_NETWORK if ADAPTERS[name].has_inbox]  # Pinterest has no comment API
WITH_REPLIES = [name for name in WITH_INBOX if ADAPTERS[name].can_reply]  # Tumblr has no reply API
ALT = "La Joconde, portrait d'une femme souriante devant un paysage."


@pytest.fixture
def network(request, settings):
    with on_fake(request.param, settings) as network:
        yield network


def parametrize(names: list[str]):
    return pytest.mark.parametrize("network", names, indirect=True)


def a_publication(network, text: str = "La Joconde vous attend, salle 711. #MuseumWeek"):
    post = PostFactory(text=text)
    jpeg_media(post, alt_text=ALT)
    return PublicationFactory(post=post, account=network.account, text=text, state="sending")


@parametrize(EVERY_NETWORK)
def test_a_post_goes_out_once_with_its_text_and_alt_text(network):
    publication = a_publication(network)

    result = get_adapter(network.account).publish(publication)

    posts = network.posts()
    assert len(posts) == 1
    assert posts[0]["id"] == result.external_id
    assert posts[0]["text"].startswith(publication.text)
    assert posts[0]["alt_texts"] == [ALT]


@parametrize(EVERY_NETWORK)
def test_a_post_already_published_is_found_again_instead_of_sent_twice(network):
    """What the pipeline does after any doubt: look first (LinkedIn's look is sending again, refused as a copy)."""
    publication = a_publication(network)
    adapter = get_adapter(network.account)
    first = adapter.publish(publication)
    publication.refresh_from_db()

    again = adapter.find_existing(publication) or adapter.publish(publication)

    assert again.external_id == first.external_id
    assert len(network.posts()) == 1


@parametrize(ON_HTTP)
def test_a_revoked_authorisation_is_auth_expired_at_the_first_call_and_nothing_goes_out(network):
    publication = a_publication(network)
    network.revoke()

    with pytest.raises(AuthExpired):
        get_adapter(network.account).publish(publication)

    calls, renewals = network.calls()
    assert len(calls) == 1
    assert len(renewals) <= 1  # a network that can renew a token tries once
    assert network.posts() == []


@parametrize(ON_HTTP)
def test_a_rate_limit_is_rate_limited_for_as_long_as_the_network_says(network):
    publication = a_publication(network)
    network.rate_limit(seconds=180)

    with pytest.raises(RateLimited) as raised:
        get_adapter(network.account).publish(publication)

    assert raised.value.retry_after == pytest.approx(180, abs=1)
    assert network.posts() == []


@parametrize(ON_HTTP)
def test_an_answer_lost_after_sending_is_an_unknown_outcome_then_found_never_sent_twice(network):
    publication = a_publication(network)
    adapter = get_adapter(network.account)
    network.lose_answer()

    with pytest.raises(OutcomeUnknown):
        adapter.publish(publication)
    publication.refresh_from_db()
    found = adapter.find_existing(publication) or adapter.publish(publication)

    posts = network.posts()
    assert len(posts) == 1
    assert found.external_id == posts[0]["id"]


@parametrize(WITH_INBOX)
def test_fetching_messages_brings_a_visitors_comment_on_a_publication(network):
    publication = network.publish()
    comment = network.comment(publication, "Est-ce visible en salle ?")

    messages = fetch_all(network)

    found = [m for m in messages if m.external_id == network.external_id(comment)]
    assert len(found) == 1
    assert "visible en salle" in found[0].text
    assert found[0].root_external_id in ("", publication.external_id)


@parametrize(WITH_REPLIES)
def test_a_reply_answers_the_message_it_targets_once(network):
    publication = network.publish()
    comment = network.comment(publication, "Ouvert le lundi ?")
    message = next(m for m in fetch_all(network) if m.external_id == network.external_id(comment))
    target = ReplyTarget(message.external_id, message.root_external_id, message.extra)

    result = get_adapter(network.account).reply(target, "Oui, de 10 h à 18 h.", idempotency_key=str(uuid.uuid4()))

    assert result.external_id
    assert network.replies_sent() == [message.external_id]


def fetch_all(network) -> list:
    adapter, cursor, messages = get_adapter(network.account), {}, []
    for _page in range(20):
        page = adapter.fetch_messages(cursor)
        messages += page.messages
        cursor = page.cursor
        if not page.more:
            return messages
    raise AssertionError("fetch_messages never said it was done")
