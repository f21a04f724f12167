"""Mastodon-API instances: museumcm's app, registered once per instance and reused; the authorization code with PKCE;
the account behind the token.

Servers of this API differ on scopes. Mastodon accepts the granular ones (`read:accounts` …) and advertises them
(`scopes_supported` at `/.well-known/oauth-authorization-server`, 4.3+); Takahē's `verify_credentials` accepts only the
broad `read` ("out_of_scope_for_token" otherwise) and advertises nothing. museumcm asks for the granular scopes where
the instance advertises them all, else for the broad `read write` that every server of this API accepts. A token that
will not be used (the account behind it could not be read, or a reconnection replaced it) is revoked.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from publishing.models import MastodonApp, Network, SocialAccount
from publishing.oauth.flow import ConnectError, Provider, call

logger = logging.getLogger("museumcm.publishing")

GRANULAR_SCOPES = ("read:accounts", "read:statuses", "read:notifications", "write:statuses", "write:media")
BROAD_SCOPES = ("read", "write")
# Whatever went wrong on an instance someone typed (refused address, no answer, an error page, not JSON), this is all
# that is said: its answers are not shown, and an internal address reads like any server that is not Mastodon.
NOT_MASTODON = gettext_lazy("This server did not answer as a Mastodon server. Check the address of the instance.")


def mastodon_provider(session, instance: str, redirect_uri: str) -> Provider:
    """The instance as an OAuth provider, with museumcm's app on it (registered the first time only)."""
    instance = instance.rstrip("/")
    scopes = instance_scopes(instance)
    app = _registered_app(instance, redirect_uri, scopes)
    return _instance_provider(app, scopes)


def mastodon_from_pending(pending: dict) -> Provider:
    """The instance's provider again, at the callback: the app the connection started with (its secret stays in the
    database, not in the session)."""
    apps = MastodonApp.objects.filter(instance=pending["instance"])
    app = next((a for a in apps if a.credentials.get("client_id") == pending["client_id"]), None)
    if app is None:
        raise ConnectError(_("museumcm's app on this instance is gone: start connecting again."))
    return _instance_provider(app, tuple(app.scopes.split()))


def instance_scopes(instance: str) -> tuple[str, ...]:
    """The granular scopes if the instance advertises every one of them, else the broad ones."""
    try:
        metadata = call("GET", f"{instance}/.well-known/oauth-authorization-server")
    except ConnectError:
        return BROAD_SCOPES
    advertised = metadata.get("scopes_supported") if isinstance(metadata, dict) else None
    return GRANULAR_SCOPES if set(GRANULAR_SCOPES) <= set(advertised or []) else BROAD_SCOPES


def _registered_app(instance: str, redirect_uri: str, scopes: tuple[str, ...]) -> MastodonApp:
    app = MastodonApp.objects.filter(instance=instance, redirect_uri=redirect_uri).first()
    if app is not None and set(app.scopes.split()) == set(scopes):
        return app
    answer = call(
        "POST",
        f"{instance}/api/v1/apps",
        data={
            "client_name": "museumcm",
            "redirect_uris": redirect_uri,
            "scopes": " ".join(scopes),
            "website": settings.SITE_URL,
        },
        failure=NOT_MASTODON,
        refusal=NOT_MASTODON,
    )
    if not isinstance(answer.get("client_id"), str) or not isinstance(answer.get("client_secret"), str):
        raise ConnectError(NOT_MASTODON)
    credentials = {"client_id": answer["client_id"], "client_secret": answer["client_secret"]}
    app, _created = MastodonApp.objects.update_or_create(
        instance=instance,
        redirect_uri=redirect_uri,
        defaults={"scopes": " ".join(scopes), "credentials": credentials},
    )
    return app


def _instance_provider(app: MastodonApp, scopes: tuple[str, ...]) -> Provider:
    return Provider(
        Network.MASTODON,
        f"{app.instance}/oauth/authorize",
        f"{app.instance}/oauth/token",
        app.instance,
        scopes,
        pkce=True,
        client_id=app.credentials["client_id"],
        client_secret=app.credentials["client_secret"],
        failure=NOT_MASTODON,
    )


def mastodon_accounts(prov: Provider, token: dict) -> list[dict]:
    """The account behind the token. The handle is `user@host`, without the port (the instance's address keeps it)."""
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    try:
        me = call("GET", f"{prov.api_url}/api/v1/accounts/verify_credentials", headers=headers, failure=prov.failure)
        if not isinstance(me.get("username"), str) or "id" not in me:
            raise ConnectError(prov.failure)
    except ConnectError:
        mastodon_revoke(prov.api_url, prov.client_id, prov.client_secret, token["access_token"])
        raise
    handle = f"{me['username']}@{urlsplit(prov.api_url).hostname}"
    _revoke_replaced(handle, token["access_token"])
    return [
        {
            "handle": handle,
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


def _revoke_replaced(handle: str, new_token: str) -> None:
    """Reconnecting replaces the account's token: the old one is revoked rather than left alive on the instance."""
    account = SocialAccount.objects.filter(network=Network.MASTODON, handle=handle).first()
    old = account.credentials if account else {}
    if old.get("access_token") and old["access_token"] != new_token and old.get("client_id"):
        mastodon_revoke(account.server_url, old["client_id"], old.get("client_secret", ""), old["access_token"])


def mastodon_revoke(instance: str, client_id: str, client_secret: str, token: str) -> None:
    """Best effort: a token the instance will not revoke now is logged, and the connection goes on."""
    try:
        data = {"client_id": client_id, "client_secret": client_secret, "token": token}
        call("POST", f"{instance.rstrip('/')}/oauth/revoke", data=data)
    except ConnectError as error:
        logger.warning("mastodon: could not revoke an unused token on %s: %s", instance, error)
