"""Connecting accounts: OAuth 2 authorization code (with `state`, and PKCE where the network requires it), Mastodon's
per-instance app registration, Bluesky's app-password session.

Each network's endpoints are below; `settings.SOCIAL_APPS[network]` gives the client id and secret (from the
environment) and may override any endpoint (tests point them at fake servers).
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from publishing.adapters.base import USER_AGENT
from publishing.models import Network

SESSION_KEY = "publishing_oauth"
TIMEOUT = (5, 20)


class ConnectError(Exception):
    """The connection failed; the message is shown to the person connecting."""


@dataclass(frozen=True)
class Provider:
    network: str
    authorize_url: str
    token_url: str
    api_url: str
    scopes: tuple[str, ...]
    pkce: bool = False
    scope_separator: str = " "
    client_id: str = ""
    client_secret: str = ""
    extra_params: dict[str, str] = field(default_factory=dict)


GRAPH = "https://graph.facebook.com/v21.0"
PROVIDERS = {
    Network.FACEBOOK: Provider(
        Network.FACEBOOK,
        "https://www.facebook.com/v21.0/dialog/oauth",
        f"{GRAPH}/oauth/access_token",
        GRAPH,
        ("pages_show_list", "pages_manage_posts", "pages_manage_engagement", "pages_read_engagement",
         "pages_read_user_engagement", "business_management"),
        scope_separator=",",
    ),
    Network.INSTAGRAM: Provider(
        Network.INSTAGRAM,
        "https://www.facebook.com/v21.0/dialog/oauth",
        f"{GRAPH}/oauth/access_token",
        GRAPH,
        ("instagram_basic", "instagram_content_publish", "instagram_manage_comments", "pages_show_list",
         "pages_read_engagement", "business_management"),
        scope_separator=",",
    ),
    Network.THREADS: Provider(
        Network.THREADS,
        "https://threads.net/oauth/authorize",
        "https://graph.threads.net/oauth/access_token",
        "https://graph.threads.net",
        ("threads_basic", "threads_content_publish", "threads_manage_replies", "threads_read_replies"),
        scope_separator=",",
    ),
    Network.X: Provider(
        Network.X,
        "https://x.com/i/oauth2/authorize",
        "https://api.x.com/2/oauth2/token",
        "https://api.x.com",
        ("tweet.read", "tweet.write", "users.read", "media.write", "offline.access"),
        pkce=True,
    ),
    Network.LINKEDIN: Provider(
        Network.LINKEDIN,
        "https://www.linkedin.com/oauth/v2/authorization",
        "https://www.linkedin.com/oauth/v2/accessToken",
        "https://api.linkedin.com",
        ("openid", "profile", "w_member_social", "w_organization_social", "r_organization_social",
         "rw_organization_admin"),
    ),
}  # fmt: skip


def provider(network: str) -> Provider:
    """The network's endpoints with the configured client (and any endpoint overrides)."""
    overrides = {k: v for k, v in settings.SOCIAL_APPS.get(network, {}).items() if v}
    return replace(PROVIDERS[network], **overrides)


def is_configured(network: str) -> bool:
    return bool(network in PROVIDERS and provider(network).client_id)


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
    session[SESSION_KEY] = {
        "network": prov.network,
        "state": state,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        **pending,
    }
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
    return pending, code


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
    if prov.network == Network.X:  # a confidential client authenticates with HTTP Basic
        auth = (prov.client_id, prov.client_secret)
    else:
        data["client_secret"] = prov.client_secret
    return _call("POST", prov.token_url, data=data, auth=auth)


def expires_at(token: dict) -> datetime | None:
    seconds = token.get("expires_in")
    return timezone.now() + timedelta(seconds=int(seconds)) if seconds else None


def _call(method: str, url: str, **kwargs) -> dict[str, Any]:
    try:
        headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
        response = requests.request(method, url, timeout=TIMEOUT, headers=headers, **kwargs)
    except requests.RequestException as error:
        raise ConnectError(_("The network could not be reached: %(error)s") % {"error": error}) from error
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 400:
        raise ConnectError(_("The network refused: %(reason)s") % {"reason": _reason(body, response)})
    return body


def _reason(body: Any, response) -> str:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return error.get("message") or str(error)
        return body.get("error_description") or body.get("message") or error or f"HTTP {response.status_code}"
    return f"HTTP {response.status_code}"


# Who is behind the token: one or more accounts to create -----------------------------------------------------------


def identify(prov: Provider, token: dict) -> list[dict[str, Any]]:
    """The accounts this authorisation gives access to, as keyword arguments of `socialaccount_connect`."""
    return IDENTIFY[prov.network](prov, token)


def _x_accounts(prov: Provider, token: dict) -> list[dict]:
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    me = _call("GET", f"{prov.api_url}/2/users/me", params={"user.fields": "profile_image_url"}, headers=headers)
    user = me["data"]
    credentials = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token", "")}
    return [
        {
            "handle": user["username"],
            "display_name": user.get("name", ""),
            "external_id": user["id"],
            "avatar_url": user.get("profile_image_url", ""),
            "server_url": prov.api_url,
            "credentials": credentials,
            "token_expires_at": expires_at(token),
        }
    ]


def _meta_long_lived(prov: Provider, token: dict) -> str:
    params = {
        "grant_type": "fb_exchange_token",
        "client_id": prov.client_id,
        "client_secret": prov.client_secret,
        "fb_exchange_token": token["access_token"],
    }
    return _call("GET", f"{prov.api_url}/oauth/access_token", params=params)["access_token"]


def _facebook_accounts(prov: Provider, token: dict) -> list[dict]:
    user_token = _meta_long_lived(prov, token)
    pages = _call(
        "GET", f"{prov.api_url}/me/accounts", params={"fields": "id,name,access_token", "access_token": user_token}
    )
    return [
        {
            "handle": page["id"],
            "display_name": page.get("name", ""),
            "external_id": page["id"],
            "server_url": prov.api_url,
            "credentials": {"access_token": page["access_token"]},
        }
        for page in pages.get("data", [])
    ]


def _instagram_accounts(prov: Provider, token: dict) -> list[dict]:
    user_token = _meta_long_lived(prov, token)
    fields = "id,name,access_token,instagram_business_account{id,username,name,profile_picture_url}"
    pages = _call("GET", f"{prov.api_url}/me/accounts", params={"fields": fields, "access_token": user_token})
    accounts = []
    for page in pages.get("data", []):
        ig = page.get("instagram_business_account")
        if ig:
            accounts.append(
                {
                    "handle": ig.get("username") or ig["id"],
                    "display_name": ig.get("name") or page.get("name", ""),
                    "external_id": ig["id"],
                    "avatar_url": ig.get("profile_picture_url", ""),
                    "server_url": prov.api_url,
                    "credentials": {"access_token": page["access_token"], "page_id": page["id"]},
                }
            )
    return accounts


def _threads_accounts(prov: Provider, token: dict) -> list[dict]:
    params = {
        "grant_type": "th_exchange_token",
        "client_secret": prov.client_secret,
        "access_token": token["access_token"],
    }
    long_lived = _call("GET", f"{prov.api_url}/access_token", params=params)
    access = long_lived["access_token"]
    fields = "id,username,name,threads_profile_picture_url"
    me = _call("GET", f"{prov.api_url}/v1.0/me", params={"fields": fields, "access_token": access})
    return [
        {
            "handle": me.get("username") or me["id"],
            "display_name": me.get("name", ""),
            "external_id": me["id"],
            "avatar_url": me.get("threads_profile_picture_url", ""),
            "server_url": prov.api_url,
            "credentials": {"access_token": access},
            "token_expires_at": expires_at(long_lived),
        }
    ]


def _linkedin_accounts(prov: Provider, token: dict) -> list[dict]:
    """Museums post as organisations: one account per organisation the person administers, else the member."""
    headers = {
        "Authorization": f"Bearer {token['access_token']}",
        "LinkedIn-Version": "202410",
        "X-Restli-Protocol-Version": "2.0.0",
    }
    credentials = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token", "")}
    common = {"server_url": prov.api_url, "credentials": credentials, "token_expires_at": expires_at(token)}
    acls = _call(
        "GET",
        f"{prov.api_url}/rest/organizationAcls",
        params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
        headers=headers,
    )
    accounts = []
    for element in acls.get("elements", []):
        urn = element["organization"]
        organisation = _call("GET", f"{prov.api_url}/rest/organizations/{urn.rsplit(':', 1)[-1]}", headers=headers)
        name = organisation.get("localizedName", urn)
        accounts.append({"handle": organisation.get("vanityName") or name, "display_name": name, "external_id": urn})
    if not accounts:
        me = _call("GET", f"{prov.api_url}/v2/userinfo", headers=headers)
        accounts.append(
            {"handle": me["sub"], "display_name": me.get("name", ""), "external_id": f"urn:li:person:{me['sub']}"}
        )
    return [{**account, **common} for account in accounts]


IDENTIFY = {
    Network.MASTODON: lambda prov, token: mastodon_accounts(prov, token),
    Network.X: _x_accounts,
    Network.FACEBOOK: _facebook_accounts,
    Network.INSTAGRAM: _instagram_accounts,
    Network.THREADS: _threads_accounts,
    Network.LINKEDIN: _linkedin_accounts,
}


# Mastodon: register an app on the person's instance, then the same authorization code -------------------------------

MASTODON_SCOPES = ("read:accounts", "read:statuses", "read:notifications", "write:statuses", "write:media")


def mastodon_provider(session, instance: str, redirect_uri: str) -> Provider:
    """Register museumcm on the instance (once per connection) and return it as an OAuth provider."""
    instance = instance.rstrip("/")
    app = _call(
        "POST",
        f"{instance}/api/v1/apps",
        data={
            "client_name": "museumcm",
            "redirect_uris": redirect_uri,
            "scopes": " ".join(MASTODON_SCOPES),
            "website": settings.SITE_URL,
        },
    )
    return Provider(
        Network.MASTODON,
        f"{instance}/oauth/authorize",
        f"{instance}/oauth/token",
        instance,
        MASTODON_SCOPES,
        pkce=True,
        client_id=app["client_id"],
        client_secret=app["client_secret"],
    )


def mastodon_from_pending(pending: dict) -> Provider:
    """The instance's provider again, at the callback, from what the session kept."""
    instance = pending["instance"]
    return Provider(
        Network.MASTODON,
        f"{instance}/oauth/authorize",
        f"{instance}/oauth/token",
        instance,
        MASTODON_SCOPES,
        pkce=True,
        client_id=pending["client_id"],
        client_secret=pending["client_secret"],
    )


def mastodon_accounts(prov: Provider, token: dict) -> list[dict]:
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    me = _call("GET", f"{prov.api_url}/api/v1/accounts/verify_credentials", headers=headers)
    host = prov.api_url.split("://", 1)[-1]
    return [
        {
            "handle": f"{me['username']}@{host}",
            "display_name": me.get("display_name") or me["username"],
            "external_id": me["id"],
            "avatar_url": me.get("avatar", ""),
            "server_url": prov.api_url,
            "credentials": {
                "access_token": token["access_token"],
                "client_id": prov.client_id,
                "client_secret": prov.client_secret,
            },
        }
    ]


# Bluesky: handle and app password → a session whose tokens the adapter refreshes ------------------------------------

BLUESKY_ACCESS_LIFETIME = timedelta(hours=2)


def bluesky_session(server: str, handle: str, app_password: str) -> dict[str, Any]:
    server = server.rstrip("/")
    session = _call(
        "POST",
        f"{server}/xrpc/com.atproto.server.createSession",
        json={"identifier": handle, "password": app_password},
    )
    return {
        "handle": session["handle"],
        "display_name": session["handle"],
        "external_id": session["did"],
        "server_url": server,
        "credentials": {
            "access_token": session["accessJwt"],
            "refresh_token": session["refreshJwt"],
            "did": session["did"],
        },
        "token_expires_at": timezone.now() + BLUESKY_ACCESS_LIFETIME,
    }
