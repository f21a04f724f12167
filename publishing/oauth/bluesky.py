"""Bluesky: a handle and an app password make a session whose tokens the adapter refreshes."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from publishing.oauth.flow import call

BLUESKY_ACCESS_LIFETIME = timedelta(hours=2)


def bluesky_session(server: str, handle: str, app_password: str) -> dict[str, Any]:
    server = server.rstrip("/")
    session = call(
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
