"""Connecting accounts: OAuth 2 authorization code (`flow`), who is behind a token (`identify`), Mastodon's
per-instance app registration (`mastodon`), Bluesky's app-password session (`bluesky`), and the accounts one
authorisation found waiting for the person's choice (`choice`).
Views use what this re-exports."""

from publishing.oauth.bluesky import bluesky_session
from publishing.oauth.choice import Choice, choice_get, choice_store, choice_take
from publishing.oauth.flow import (
    ConnectError,
    Provider,
    authorization_url,
    callback_url,
    exchange_code,
    is_configured,
    provider,
    take_pending,
)
from publishing.oauth.identify import identify
from publishing.oauth.mastodon import mastodon_from_pending, mastodon_provider

__all__ = [
    "Choice",
    "ConnectError",
    "Provider",
    "authorization_url",
    "bluesky_session",
    "callback_url",
    "choice_get",
    "choice_store",
    "choice_take",
    "exchange_code",
    "identify",
    "is_configured",
    "mastodon_from_pending",
    "mastodon_provider",
    "provider",
    "take_pending",
]
