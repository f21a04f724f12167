"""Bad input at publish time: what the networks refuse becomes a readable reason on the post, for that network only.

The publish service runs in-process here (the behaviour does not depend on Celery); outbound HTTP goes to the fakes.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from publishing.models import Publication, PublishAttempt
from publishing.services import publication_publish
from tests.conftest import login_client
from tests.factories import MediaFactory, PostFactory, PublicationFactory, SocialAccountFactory
from tests.fakes.bluesky import FakeBluesky, _error
from tests.fakes.facebook import FakeFacebook
from tests.fakes.graph import graph_error
from tests.fakes.linkedin import FakeLinkedIn
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.x import FakeX, problem

State = Publication.State
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.ADAPTER_TIMEOUT = (2, 2)
    settings.SITE_URL = "https://musee.example"


def sending(account, text="La Joconde vous attend. #MuseumWeek", post=None) -> Publication:
    post = post or PostFactory(text=text)
    return PublicationFactory(post=post, account=account, text=text, state=State.SENDING)


def publish(publication) -> Publication:
    publication_publish(publication_id=publication.pk)
    publication.refresh_from_db()
    return publication


def test_text_over_the_limit_fails_with_the_count_and_sends_nothing(fake_mastodon, mastodon_account):
    publication = publish(sending(mastodon_account, text="é" * 612))

    assert publication.state == State.FAILED
    assert "500" in publication.error
    assert not fake_mastodon.received("POST", r"^/api/v1/statuses$")
    assert publication.attempts.get().outcome == PublishAttempt.Outcome.REJECTED


def test_an_unsupported_media_type_fails_with_a_readable_reason(fake_mastodon, mastodon_account):
    post = PostFactory()
    MediaFactory(post=post, file=ContentFile(b"BM" + b"\0" * 64, name="scan.bmp"), content_type="image/bmp")

    publication = publish(sending(mastodon_account, post=post, text=post.text))

    assert publication.state == State.FAILED
    assert "bmp" in publication.error.lower()


ERRORS = [
    (FakeMastodon, "POST", r"^/api/v1/statuses$", lambda: (422, {"error": "Validation failed: Text can't be blank"})),
    (
        FakeBluesky,
        "POST",
        r"(createRecord|putRecord)$",
        lambda: (400, _error(400, "InvalidRequest", "Record/text must not be longer than 300 graphemes").body),
    ),
    (
        FakeX,
        "POST",
        r"^/2/tweets$",
        lambda: (403, problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.").body),
    ),
    (
        FakeFacebook,
        "POST",
        r"/feed$",
        lambda: (400, graph_error(100, "Invalid parameter", user_msg="The link you entered is not valid.").body),
    ),
    (
        FakeLinkedIn,
        "POST",
        r"^/rest/posts$",
        lambda: (422, {"message": "Commentary is too long", "status": 422, "serviceErrorCode": 100}),
    ),
]


@pytest.mark.parametrize(("fake_class", "method", "path", "answer"), ERRORS, ids=lambda v: getattr(v, "__name__", ""))
def test_each_networks_error_body_becomes_a_readable_reason_on_the_post(
    fake_class, method, path, answer, client, community_manager
):
    with fake_class() as fake:
        account = SocialAccountFactory(**fake.account_fields())
        status, body = answer()
        fake.inject(method=method, path=path, status=status, body=body)

        publication = publish(sending(account, text="Le Radeau de la Méduse"))

    assert publication.state == State.FAILED, publication.error
    assert publication.error
    assert f"HTTP {status}" not in publication.error  # the network's words, not a bare status
    login_client(client, community_manager)
    html = client.get(reverse("publication_status", args=[publication.post.pk])).content.decode()
    assert "Failed" in html
    assert "Retry" in html


def test_one_network_failing_leaves_the_others_published(fake_mastodon, mastodon_account):
    post = PostFactory(text="Nocturne ce soir")
    sandbox = sending(SocialAccountFactory(), post=post, text=post.text)
    fake_mastodon.inject(method="POST", path=r"^/api/v1/statuses$", status=422, body={"error": "Validation failed"})
    mastodon = sending(mastodon_account, post=post, text=post.text)

    assert publish(sandbox).state == State.PUBLISHED
    assert publish(mastodon).state == State.FAILED
    assert set(post.publications.values_list("state", flat=True)) == {State.PUBLISHED, State.FAILED}


def test_a_timeout_after_sending_looks_for_the_post_before_sending_again(fake_mastodon, mastodon_account):
    publication = sending(mastodon_account, text="Visite guidée à 15 h")
    fake_mastodon.inject(method="POST", path=r"^/api/v1/statuses$", after_handling=True, delay=3)

    assert publish(publication).state == State.DUE  # outcome unknown: it will look before sending again
    publication.refresh_from_db()
    assert publication.must_check
    Publication.objects.filter(pk=publication.pk).update(state=State.SENDING)
    fake_mastodon.inject(method="GET", path=r"/statuses$", status=503, body={"error": "Service Unavailable"}, times=1)

    again = publish(publication)

    assert again.state == State.DUE  # could not check yet: it tries again later, never sends blindly
    assert len(fake_mastodon.received("POST", r"^/api/v1/statuses$")) == 1
    Publication.objects.filter(pk=publication.pk).update(state=State.SENDING)
    assert publish(publication).state == State.PUBLISHED  # found on the account: not sent twice
    assert len(fake_mastodon.posts()) == 1
