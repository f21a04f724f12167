"""The registry: which adapter speaks for which network. Each network module registers itself on import."""

from publishing.adapters.base import Adapter

ADAPTERS: dict[str, type[Adapter]] = {}


def register(cls: type[Adapter]) -> type[Adapter]:
    ADAPTERS[cls.network] = cls
    return cls


def get_adapter(account) -> Adapter:
    return ADAPTERS[account.network](account)


# Imported last: the modules use `register` above.
from publishing.adapters import (  # noqa: E402, F401
    bluesky,
    facebook,
    instagram,
    linkedin,
    mastodon,
    sandbox,
    threads,
    x,
)
