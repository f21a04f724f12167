"""Bluesky: a handle and an app password make a session whose tokens the adapter refreshes."""

import logging
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from publishing.adapters.bluesky import APP_PASSWORDS_URL, main_password_refusal, opened_with_main_password
from publishing.oauth.flow import ConnectError, call

logger = logging.getLogger("museumcm.oauth")

BLUESKY_ACCESS_LIFETIME = timedelta(hours=2)
NOT_BLUESKY = _("This server did not answer as a Bluesky server. Check its address (https://bsky.social for most).")
REFUSED = _("The server did not accept this handle and app password. Check both, and create a new app password.")
SESSION_FIELDS = ("handle", "did", "accessJwt", "refreshJwt")


def bluesky_session(server: str, handle: str, app_password: str) -> dict[str, Any]:
    """The account's fields from a session opened with an app password; the main password is refused (its session,
    full access, is ended at once) with an explanation that links to where app passwords are made."""
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
    if opened_with_main_password(session):
        _end(server, session)
        link = format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', APP_PASSWORDS_URL, APP_PASSWORDS_URL)
        raise ConnectError(mark_safe(conditional_escape(main_password_refusal("%(link)s")) % {"link": link}))
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


def _end(server: str, session: dict[str, Any]) -> None:
    """Revoke the refused session (best effort: it expires anyway)."""
    headers = {"Authorization": f"Bearer {session.get('refreshJwt', '')}"}
    try:
        call("POST", f"{server}/xrpc/com.atproto.server.deleteSession", headers=headers)
    except ConnectError as error:
        logger.warning("bluesky: could not end a refused session: %s", error)
