"""The outbound HTTP policy (publishing/outbound.py): an address someone types (a Mastodon instance, a Bluesky server,
an iCal URL) never makes the server call an internal service, directly, by a name or through a redirect; the answer
of a refused address reads like any server that is not the one asked for; answers are read under a size cap and a
deadline, the networks' too."""

import gzip
import socket

import pytest
from django.urls import reverse

from publishing import outbound
from publishing.adapters import get_adapter
from publishing.adapters.base import Rejected, TransientError
from publishing.models import SocialAccount
from tests.conftest import login_client
from tests.factories import SocialAccountFactory
from tests.fakes.base import FakeNetwork, Response, route

pytestmark = pytest.mark.django_db

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


class Internal(FakeNetwork):
    """A service on the server's own loopback (an admin API, a metadata endpoint): it answers anything it is asked
    as the real thing would, so a test that reaches it sees a success."""

    allowed = False

    @route("POST", r"/api/v1/apps")
    def apps(self, request):
        return Response(200, {"client_id": "internal", "client_secret": "internal"})

    @route("POST", r"/xrpc/com.atproto.server.createSession")
    def session(self, request):
        return Response(200, {"did": "did:plc:x", "handle": "x", "accessJwt": "a", "refreshJwt": "r"})

    @route("GET", r"/.*")
    def anything(self, request):
        return Response(200, ICS, {"Content-Type": "text/calendar"})


class Redirector(FakeNetwork):
    """A public-looking server that sends every request on to `target` (307 keeps the method and the body)."""

    def __init__(self, target: str = ""):
        super().__init__()
        self.target = target or self.url

    @route("GET", r"/(?P<rest>.*)")
    def get(self, request, rest):
        return Response(307, b"", {"Location": f"{self.target}/{rest}"})

    @route("POST", r"/(?P<rest>.*)")
    def post(self, request, rest):
        return Response(307, b"", {"Location": f"{self.target}/{rest}"})


class Answers(FakeNetwork):
    """A server whose answer each test sets."""

    answer = Response(200, b"")

    @route("GET", r"/.*")
    def get(self, request):
        return self.answer

    @route("POST", r"/.*")
    def post(self, request):
        return self.answer


@pytest.fixture
def internal():
    with Internal() as server:
        yield server


@pytest.fixture
def answers():
    with Answers() as server:
        yield server


@pytest.fixture(params=["address", "name", "redirect"])
def internal_url(request, internal):
    """The internal service as someone could give it: its address, a name resolving to it, or a public server's
    redirect to it."""
    port = internal.server.server_address[1]
    if request.param == "address":
        yield internal.url
    elif request.param == "name":
        yield f"http://localhost:{port}"
    else:
        with Redirector(internal.url) as redirector:
            yield redirector.url


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def connect_mastodon(client, instance: str):
    return client.post(reverse("account_connect", args=["mastodon"]), {"instance": instance})


def connect_bluesky(client, server: str):
    data = {"handle": "museum.bsky.social", "app_password": "app-pass-word-1234", "server": server}
    return client.post(reverse("account_connect", args=["bluesky"]), data)


def import_ics(client, url: str):
    return client.post(reverse("event_import_url"), {"name": "Agenda", "url": url, "kind": "exhibition"})


def mastodon_error(response) -> list[str]:
    return response.context["form"].errors["instance"]


def bluesky_error(response) -> list[str]:
    return response.context["form"].non_field_errors()


def ics_error(response) -> list[str]:
    return response.context["source_form"].errors["url"]


# User-given addresses ------------------------------------------------------------------------------------------------


def test_a_mastodon_instance_on_an_internal_address_is_refused(client, community_manager, internal, internal_url):
    login_client(client, community_manager)

    response = connect_mastodon(client, internal_url)

    assert response.status_code == 400
    assert mastodon_error(response) == [
        "This server did not answer as a Mastodon server. Check the address of the instance."
    ]
    assert not internal.received()


def test_a_bluesky_server_on_an_internal_address_is_refused(client, community_manager, internal, internal_url):
    login_client(client, community_manager)

    response = connect_bluesky(client, internal_url)

    assert response.status_code == 400
    assert "did not answer as a Bluesky server" in " ".join(bluesky_error(response))
    assert not internal.received()
    assert not SocialAccount.objects.exists()


def test_an_ical_url_on_an_internal_address_is_refused(client, community_manager, internal, internal_url):
    login_client(client, community_manager)

    response = import_ics(client, f"{internal_url}/agenda.ics")

    assert response.status_code == 400
    assert ics_error(response) == ["The calendar could not be downloaded from this address."]
    assert not internal.received()


@pytest.mark.parametrize(
    ("connect", "error"),
    [(connect_mastodon, mastodon_error), (connect_bluesky, bluesky_error), (import_ics, ics_error)],
)
def test_an_open_internal_port_reads_like_a_closed_one(client, community_manager, internal, connect, error):
    login_client(client, community_manager)

    open_port = connect(client, internal.url)
    closed_port = connect(client, closed_port_url())

    assert (open_port.status_code, error(open_port)) == (closed_port.status_code, error(closed_port))


def test_an_instance_answering_a_page_instead_of_json_gets_the_form_message(client, community_manager, answers):
    answers.answer = Response(200, "<html>Welcome to nginx</html>", {"Content-Type": "text/html"})
    login_client(client, community_manager)

    response = connect_mastodon(client, answers.url)

    assert response.status_code == 400
    assert "did not answer as a Mastodon server" in mastodon_error(response)[0]
    assert "nginx" not in response.content.decode()


def test_plain_http_is_refused_unless_allowed(client, community_manager, answers, settings):
    settings.OUTBOUND_ALLOW_HTTP = False
    login_client(client, community_manager)

    response = import_ics(client, f"{answers.url}/agenda.ics")

    assert response.status_code == 400
    assert not answers.received()


def test_redirects_stop_after_five(answers):
    answers.answer = Response(302, b"", {"Location": "/again"})

    with pytest.raises(outbound.OutboundRefused):
        outbound.get(f"{answers.url}/start")

    assert len(answers.received()) == 6


# Accounts already saved -------------------------------------------------------------------------------------------


def test_an_account_saved_with_an_internal_server_is_never_called_with_its_token(internal):
    account = SocialAccountFactory(
        network="bluesky",
        server_url=internal.url,
        credentials={"access_token": "secret-token", "refresh_token": "r", "did": "did:plc:museum"},
    )

    with pytest.raises(Rejected):
        get_adapter(account).fetch_messages({})

    assert not internal.received()


# Size and time -----------------------------------------------------------------------------------------------------


def test_an_answer_over_the_cap_is_refused(answers):
    answers.answer = Response(200, b"x" * 3000)

    with pytest.raises(outbound.ResponseTooLarge):
        outbound.get(answers.url, max_bytes=2000)


def test_a_compressed_answer_is_capped_as_it_is_decompressed(answers):
    answers.answer = Response(200, gzip.compress(b"\0" * 5_000_000), {"Content-Encoding": "gzip"})

    with pytest.raises(outbound.ResponseTooLarge):
        outbound.get(answers.url, max_bytes=1_000_000)


def test_an_answer_that_trickles_past_the_deadline_is_cut_off(answers):
    answers.answer = Response(200, b"x" * 64 * 1024, trickle=0.05)  # every piece in time, the whole far too late

    with pytest.raises(outbound.TooSlow):
        outbound.get(answers.url, seconds=0.5, timeout=(2, 2))


def test_a_networks_answer_is_read_under_the_cap(mastodon_account, fake_mastodon):
    bomb = gzip.compress(b"[" + b" " * 40_000_000 + b"]")
    fake_mastodon.inject(method="GET", path="/api/v1/notifications", status=200, body=bomb,
                         headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})  # fmt: skip

    with pytest.raises(TransientError, match="too large or too slow"):
        get_adapter(mastodon_account).fetch_messages({})


def test_a_network_redirect_to_another_host_does_not_carry_the_token(mastodon_account, fake_mastodon, answers):
    answers.answer = Response(200, [])
    fake_mastodon.inject(method="GET", path="/api/v1/notifications", status=302,
                         headers={"Location": f"{answers.url}/elsewhere"})  # fmt: skip

    get_adapter(mastodon_account).fetch_messages({})

    assert fake_mastodon.received("GET", "/api/v1/notifications")[0].bearer()
    assert [request.bearer() for request in answers.received()] == [""]


def test_an_adapter_logs_no_url_query(mastodon_account, fake_mastodon, caplog):
    caplog.set_level("INFO", logger="museumcm.adapters")

    get_adapter(mastodon_account).request("GET", f"{fake_mastodon.url}/api/v2/instance?signature=s3cr3t-upload")

    assert "/api/v2/instance" in caplog.text
    assert "s3cr3t-upload" not in caplog.text


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:85e5", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # a cloud's metadata service
        ("100.64.0.1", False),  # shared address space (carrier NAT)
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
    ],
)
def test_only_public_addresses_are_public(address, public):
    assert outbound.address_public(address) is public
