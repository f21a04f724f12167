"""Fake OAuth 2 authorization servers for the connect flows.

`CodeGrants` is what every fake network's login shares: the registered client, the codes handed out when the person
clicks "Authorise" (an answer like the network's: a redirect to our callback with `code` and `state`, or with the
network's own error parameters when the person refuses), each code redeemable once by the same client for the same
redirect URI (and PKCE verifier), and the tokens issued. Each network's fake formats refusals in its own documented
error body: the Graph fakes (tests/fakes/graph.py, threads.py) and LinkedIn's (linkedin.py) carry their logins.

`FakeAuthServer` is X's authorization server (authorization code with PKCE, confidential client with HTTP Basic); a
Mastodon instance's app registration and tokens are part of the Mastodon fake (tests/fakes/mastodon.py).
"""

import base64
import hashlib
import itertools
import secrets
from urllib.parse import urlencode, urlsplit

import requests

from tests.fakes.base import FakeNetwork, Request, Response, route


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def authorise(location: str) -> str:
    """What the person's browser does at the network: authorise, and come back with the network's redirect (the
    callback's path and query, for Django's test client)."""
    answer = requests.get(location, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


class CodeGrants:
    def __init__(self, client_id: str, client_secret: str):
        self.clients = {client_id: client_secret}
        self.codes: dict[str, dict] = {}  # code → what the authorize request asked for
        self.used: set[str] = set()
        self.tokens: set[str] = set()
        self.refusal: dict[str, str] | None = None  # set: the person clicks "Cancel", the network says so like this
        self._ids = itertools.count(1)

    def authorize(self, request: Request) -> Response:
        query = {k: v[0] for k, v in request.query.items()}
        if query.get("client_id") not in self.clients or query.get("response_type", "code") != "code":
            return Response(400, {"error": "invalid_request"})
        if self.refusal:
            return self._back(query, self.refusal)
        code = secrets.token_urlsafe(12)
        self.codes[code] = query
        return self._back(query, {"code": code})

    @staticmethod
    def _back(query: dict, answer: dict[str, str]) -> Response:
        target = f"{query['redirect_uri']}?{urlencode({**answer, 'state': query.get('state', '')})}"
        return Response(302, b"", {"Location": target})

    def redeem(self, form: dict, client_id: str, client_secret: str) -> tuple[dict | None, str]:
        """What the code's authorize request asked for, or None and why not: `invalid_client`, `unknown_code`,
        `used_code`, `redirect_mismatch` or `pkce_mismatch`."""
        if self.clients.get(client_id) != client_secret:
            return None, "invalid_client"
        code = form.get("code", "")
        if code in self.used:
            return None, "used_code"
        asked = self.codes.pop(code, None)
        if asked is None:
            return None, "unknown_code"
        self.used.add(code)
        if asked["redirect_uri"] != form.get("redirect_uri"):
            return None, "redirect_mismatch"
        if asked.get("code_challenge") and _challenge(form.get("code_verifier", "")) != asked["code_challenge"]:
            return None, "pkce_mismatch"
        return asked, ""

    def social_app(self, base_url: str, authorize_path: str, token_path: str) -> dict[str, str]:
        """The SOCIAL_APPS entry that points museumcm's app for this network at the fake serving these grants."""
        client_id, client_secret = next(iter(self.clients.items()))
        return {
            "client_id": client_id,
            "client_secret": client_secret,
            "authorize_url": f"{base_url}{authorize_path}",
            "token_url": f"{base_url}{token_path}",
            "api_url": base_url,
        }

    def issue(self, kind: str = "token") -> str:
        token = f"{kind}-{next(self._ids)}-{secrets.token_hex(4)}"
        self.tokens.add(token)
        return token


class FakeAuthServer(FakeNetwork):
    def __init__(self, *, client_id: str = "x-client", client_secret: str = "x-secret"):
        super().__init__()
        self.grants = CodeGrants(client_id, client_secret)
        self.user = {"id": "1500000000000000001", "username": "museum", "name": "Musée", "profile_image_url": ""}

    @route("GET", r"/(i/oauth2|oauth)/authorize")
    def authorize(self, request: Request) -> Response:
        return self.grants.authorize(request)

    def _exchange(self, form: dict, client_id: str, client_secret: str) -> Response:
        _asked, refusal = self.grants.redeem(form, client_id, client_secret)
        if refusal == "invalid_client":
            return Response(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        if refusal == "pkce_mismatch":
            return Response(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        if refusal:
            return Response(400, {"error": "invalid_grant", "error_description": "The code is invalid or expired"})
        token = self.grants.issue()
        return Response(
            200, {"token_type": "bearer", "access_token": token, "refresh_token": f"r{token}", "expires_in": 7200}
        )

    # X ------------------------------------------------------------------------------------------------------------

    @route("POST", r"/2/oauth2/token")
    def x_token(self, request: Request) -> Response:
        form = {k: v[0] for k, v in request.form().items()}
        basic = request.headers.get("authorization", "").removeprefix("Basic ")
        client_id, _sep, secret = base64.b64decode(basic or b"").decode().partition(":")
        if form.get("grant_type") != "authorization_code":
            return Response(400, {"error": "unsupported_grant_type"})
        return self._exchange(form, client_id, secret)

    @route("GET", r"/2/users/me")
    def x_me(self, request: Request) -> Response:
        if request.bearer() not in self.grants.tokens:
            return Response(401, {"title": "Unauthorized", "status": 401})
        return Response(200, {"data": self.user})
