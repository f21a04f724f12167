"""Bluesky: a handle and an app password make a session whose tokens the adapter refreshes."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.oauth.flow import ConnectError, call

BLUESKY_ACCESS_LIFETIME = timedelta(hours=2)
NOT_BLUESKY = _("This server did not answer as a Bluesky server. Check its address (https://bsky.social for most).")
REFUSED = _("The server did not accept this handle and app password. Check both, and create a new app password.")
SESSION_FIELDS = ("handle", "did", "accessJwt", "refreshJwt")


def bluesky_session(server: str, handle: str, app_password: str) -> dict[str, Any]:
    server = server.rstrip("/")
    session = call(
        "POST",
        f"{server}/xrpc/com.atproto.server.createSession",
        json={"identifier": handle, "password": app_password},
        failure=NOT_BLUESKY,
        refusal=REFUSED,
    )
    if not all(isinstance(session.get(name), str) for name in SESSION_FIELDS):
        raise ConnectError(NOT_BLUESKY)
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
