"""Mastodon: register museumcm on the person's instance, then the usual authorization code with PKCE."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from publishing.models import Network
from publishing.oauth.flow import ConnectError, Provider, call

MASTODON_SCOPES = ("read:accounts", "read:statuses", "read:notifications", "write:statuses", "write:media")
# Whatever went wrong on an instance someone typed (refused address, no answer, an error page, not JSON), this is all
# that is said: its answers are not shown, and an internal address reads like any server that is not Mastodon.
NOT_MASTODON = _("This server did not answer as a Mastodon server. Check the address of the instance.")


def mastodon_provider(session, instance: str, redirect_uri: str) -> Provider:
    """Register museumcm on the instance (once per connection) and return it as an OAuth provider."""
    instance = instance.rstrip("/")
    app = call(
        "POST",
        f"{instance}/api/v1/apps",
        data={
            "client_name": "museumcm",
            "redirect_uris": redirect_uri,
            "scopes": " ".join(MASTODON_SCOPES),
            "website": settings.SITE_URL,
        },
        failure=NOT_MASTODON,
    )
    if not isinstance(app.get("client_id"), str) or not isinstance(app.get("client_secret"), str):
        raise ConnectError(NOT_MASTODON)
    return _instance_provider(instance, app["client_id"], app["client_secret"])


def mastodon_from_pending(pending: dict) -> Provider:
    """The instance's provider again, at the callback, from what the session kept."""
    return _instance_provider(pending["instance"], pending["client_id"], pending["client_secret"])


def _instance_provider(instance: str, client_id: str, client_secret: str) -> Provider:
    return Provider(
        Network.MASTODON,
        f"{instance}/oauth/authorize",
        f"{instance}/oauth/token",
        instance,
        MASTODON_SCOPES,
        pkce=True,
        client_id=client_id,
        client_secret=client_secret,
        failure=NOT_MASTODON,
    )


def mastodon_accounts(prov: Provider, token: dict) -> list[dict]:
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    me = call("GET", f"{prov.api_url}/api/v1/accounts/verify_credentials", headers=headers, failure=prov.failure)
    if not isinstance(me.get("username"), str) or "id" not in me:
        raise ConnectError(prov.failure)
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
