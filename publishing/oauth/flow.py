"""The OAuth 2 authorization code flow (with `state`, and PKCE where the network requires it) and the one HTTP helper
every connect flow shares.

Each network's endpoints are below; `settings.SOCIAL_APPS[network]` gives the client id and secret (from the
environment) and may override any endpoint (tests point them at fake servers).
"""

import base64
import hashlib
import logging
import secrets
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from publishing import outbound
from publishing.adapters.base import USER_AGENT
from publishing.adapters.values import Provider
from publishing.crypto import decrypt, encrypt

logger = logging.getLogger("museumcm.connect")

SESSION_KEY = "publishing_oauth"
TIMEOUT = (5, 20)
MAX_ANSWER_BYTES = 1024 * 1024  # a token, an app, a profile, a page of Pages: far less


class ConnectError(Exception):
    """The connection failed; the message is shown to the person connecting."""


def providers() -> dict[str, Provider]:
    """Every network connected through OAuth 2, as its adapter declares it (`Adapter.oauth`)."""
    from publishing.adapters import ADAPTERS

    return {network: cls.oauth for network, cls in ADAPTERS.items() if cls.oauth is not None}


def provider(network: str) -> Provider:
    """The network's endpoints with the configured client (and any endpoint overrides)."""
    overrides = {k: v for k, v in settings.SOCIAL_APPS.get(network, {}).items() if v}
    return replace(providers()[network], **overrides)


def is_configured(network: str) -> bool:
    return bool(network in providers() and provider(network).client_id)


def callback_url(network: str) -> str:
    return settings.SITE_URL + reverse("oauth_callback", args=[network])


# The authorization-code dance ---------------------------------------------------------------------------------------


def authorization_url(session, prov: Provider, redirect_uri: str, **pending: Any) -> str:
    """Remember a fresh `state` (and PKCE verifier) in the session and return where to send the browser."""
    state = secrets.token_urlsafe(32)
    params = {
        "response_type": "code",
        "client_id": prov.client_id,
        "redirect_uri": redirect_uri,
        "scope": prov.scope_separator.join(prov.scopes),
        "state": state,
        **prov.extra_params,
    }
    verifier = ""
    if prov.pkce:
        verifier = secrets.token_urlsafe(64)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        params.update(code_challenge=challenge, code_challenge_method="S256")
    # The verifier is what makes a stolen code useless: like the account choice, it is kept encrypted.
    sealed = encrypt({"verifier": verifier, "redirect_uri": redirect_uri, **pending})
    session[SESSION_KEY] = {"network": prov.network, "state": state, "sealed": sealed}
    return f"{prov.authorize_url}?{urlencode(params)}"


def take_pending(session, network: str, params) -> tuple[dict, str]:
    """Check the callback against what the session expects; returns (pending, code) or raises ConnectError."""
    pending = session.pop(SESSION_KEY, None)
    if params.get("error"):
        description = params.get("error_description") or params["error"]
        raise ConnectError(_("The network did not authorise the connection: %(reason)s") % {"reason": description})
    state = params.get("state", "")
    if not pending or pending.get("network") != network or not secrets.compare_digest(pending["state"], state):
        raise ConnectError(
            _(
                "This authorisation answer does not match a connection started here (wrong or expired state). "
                "Start again."
            )
        )
    code = params.get("code")
    if not code:
        raise ConnectError(_("The network sent no authorisation code. Start again."))
    try:
        return {**pending, **decrypt(pending.get("sealed", ""))}, code
    except ValueError:  # the encryption key changed since "Connect" was pressed
        raise ConnectError(_("This connection was started before a change of key. Start again.")) from None


def exchange_code(prov: Provider, code: str, pending: dict) -> dict[str, Any]:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": pending["redirect_uri"],
        "client_id": prov.client_id,
    }
    if pending.get("verifier"):
        data["code_verifier"] = pending["verifier"]
    auth = None
    if prov.basic_auth:  # a confidential client authenticates with HTTP Basic
        auth = (prov.client_id, prov.client_secret)
    else:
        data["client_secret"] = prov.client_secret
    if prov.token_method == "GET":
        return call("GET", prov.token_url, params=data, failure=prov.failure)
    return call("POST", prov.token_url, data=data, auth=auth, failure=prov.failure)


def expires_at(token: dict) -> datetime | None:
    seconds = token.get("expires_in")
    return timezone.now() + timedelta(seconds=int(seconds)) if seconds else None


def call(method: str, url: str, *, failure: str = "", refusal: str = "", **kwargs) -> dict[str, Any]:
    """One request under the outbound policy; any failure becomes a ConnectError.

    No exception text (it carries the URL, with a Meta code exchange's client_secret) and nothing the server sent but
    its documented error reason reaches the person or the log. `failure` replaces the message when the server cannot
    be reached, answers 5xx or cannot be read; `refusal` when it refuses (4xx): for a server someone typed, whose
    answers are not shown until it has proved to be what it should.
    """
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    try:
        response = outbound.request(method, url, headers=headers, timeout=TIMEOUT, max_bytes=MAX_ANSWER_BYTES, **kwargs)
    except (outbound.OutboundRefused, requests.RequestException) as error:
        logger.warning("%s %s failed: %s", method, _without_query(url), type(error).__name__)
        raise ConnectError(failure or _("The network could not be reached. Try again in a moment.")) from error
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code >= 400:
        logger.warning("%s %s answered HTTP %s", method, _without_query(url), response.status_code)
        if refusal and response.status_code < 500:
            raise ConnectError(refusal)
        if failure and (response.status_code >= 500 or not isinstance(body, dict)):
            raise ConnectError(failure)
        raise ConnectError(_("The network refused: %(reason)s") % {"reason": _reason(body, response)})
    if not isinstance(body, dict):
        raise ConnectError(failure or _("The network sent an answer museumcm cannot read."))
    return body


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _reason(body: Any, response) -> str:
    """The network's documented words, cut short: a reason, not a page."""
    reason = f"HTTP {response.status_code}"
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            reason = error.get("message") or reason
        else:
            reason = body.get("error_description") or body.get("message") or error or reason
    return str(reason)[:300]
