"""A fake OAuth 2 authorization server for the connect flows: X's authorization code with PKCE (confidential
client, HTTP Basic) and a Mastodon instance's app registration, authorize and token endpoints.

`authorize` answers like the network after the person clicks "Authorise": a redirect to our callback with `code` and
`state`. The token endpoints check the client, the redirect URI and the PKCE verifier against the challenge.
"""

import base64
import hashlib
import itertools
import secrets
from urllib.parse import urlencode

from tests.fakes.base import FakeNetwork, Request, Response, route


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class FakeAuthServer(FakeNetwork):
    def __init__(self, *, client_id: str = "x-client", client_secret: str = "x-secret"):
        super().__init__()
        self.clients = {client_id: client_secret}
        self.codes: dict[str, dict] = {}  # code → what the authorize request asked for
        self.tokens: set[str] = set()
        self.user = {"id": "1500000000000000001", "username": "museum", "name": "Musée", "profile_image_url": ""}
        self.mastodon_account = {"id": "109000000000000001", "username": "musee", "display_name": "Musée", "avatar": ""}
        self._ids = itertools.count(1)

    # Authorisation ------------------------------------------------------------------------------------------------

    @route("GET", r"/(i/oauth2|oauth)/authorize")
    def authorize(self, request: Request) -> Response:
        query = {k: v[0] for k, v in request.query.items()}
        if query.get("client_id") not in self.clients or query.get("response_type") != "code":
            return Response(400, {"error": "invalid_request"})
        code = secrets.token_urlsafe(12)
        self.codes[code] = query
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return Response(302, b"", {"Location": target})

    def _exchange(self, form: dict, client_id: str, client_secret: str) -> Response:
        if self.clients.get(client_id) != client_secret:
            return Response(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        asked = self.codes.pop(form.get("code", ""), None)
        if asked is None or asked["redirect_uri"] != form.get("redirect_uri"):
            return Response(400, {"error": "invalid_grant", "error_description": "The code is invalid or expired"})
        if asked.get("code_challenge") and _challenge(form.get("code_verifier", "")) != asked["code_challenge"]:
            return Response(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        token = f"token-{next(self._ids)}"
        self.tokens.add(token)
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
        if request.bearer() not in self.tokens:
            return Response(401, {"title": "Unauthorized", "status": 401})
        return Response(200, {"data": self.user})

    # Mastodon -----------------------------------------------------------------------------------------------------

    @route("POST", r"/api/v1/apps")
    def mastodon_app(self, request: Request) -> Response:
        fields = request.fields()
        client_id, secret = f"app-{next(self._ids)}", secrets.token_urlsafe(16)
        self.clients[client_id] = secret
        return Response(200, {"name": fields.get("client_name"), "client_id": client_id, "client_secret": secret})

    @route("POST", r"/oauth/token")
    def mastodon_token(self, request: Request) -> Response:
        form = request.fields()
        return self._exchange(form, form.get("client_id", ""), form.get("client_secret", ""))

    @route("GET", r"/api/v1/accounts/verify_credentials")
    def mastodon_me(self, request: Request) -> Response:
        if request.bearer() not in self.tokens:
            return Response(401, {"error": "The access token is invalid"})
        return Response(200, self.mastodon_account)
