"""Who is behind a token: the account (or accounts: a person's Pages, their Instagram accounts, their LinkedIn
organisations) that one authorisation gives access to. Each network's adapter says how (`Adapter.identify`)."""

from typing import Any

from publishing.adapters import ADAPTERS
from publishing.adapters.values import Provider


def identify(prov: Provider, token: dict) -> list[dict[str, Any]]:
    """The accounts this authorisation gives access to, as keyword arguments of `socialaccount_connect`."""
    return ADAPTERS[prov.network].identify(prov, token)
