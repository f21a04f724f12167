"""Accounts one authorisation found, waiting for the person to choose which to connect.

They wait in the session, which lives in the database, encrypted like stored credentials: their tokens never reach the
browser and never sit readable in the sessions table. One choice at a time, for CHOICE_LIFETIME; taking it removes it,
so a second submission of the same choice finds nothing.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from publishing.crypto import decrypt, encrypt

CHOICE_KEY = "publishing_oauth_choice"
CHOICE_LIFETIME = timedelta(minutes=15)


@dataclass(frozen=True)
class Choice:
    id: str
    network: str
    accounts: list[dict]  # keyword arguments of `socialaccount_connect`, as `identify` found them
    preselected: list[str] = field(default_factory=list)  # handles: the account being reconnected


def choice_store(session, *, network: str, accounts: list[dict], preselect: str = "") -> None:
    dumped = [{**account, "token_expires_at": _iso(account.get("token_expires_at"))} for account in accounts]
    session[CHOICE_KEY] = {
        "id": secrets.token_urlsafe(16),
        "network": network,
        "expires": (timezone.now() + CHOICE_LIFETIME).timestamp(),
        "accounts": encrypt({"accounts": dumped}),
        "preselected": [preselect] if preselect else [],
    }


def choice_get(session) -> Choice | None:
    """The waiting choice, or None when there is none or it expired."""
    stored = session.get(CHOICE_KEY)
    if not stored or stored["expires"] < timezone.now().timestamp():
        return None
    accounts = [
        {**account, "token_expires_at": _datetime(account.get("token_expires_at"))}
        for account in decrypt(stored["accounts"])["accounts"]
    ]
    return Choice(stored["id"], stored["network"], accounts, stored["preselected"])


def choice_take(session, choice_id: str) -> Choice | None:
    """Remove and return the waiting choice if it is still the one the form was made for."""
    choice = choice_get(session)
    session.pop(CHOICE_KEY, None)
    if choice is None or not secrets.compare_digest(choice.id, choice_id):
        return None
    return choice


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _datetime(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
