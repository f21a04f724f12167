"""The registry: which adapter speaks for which network."""

from publishing.adapters.base import Adapter

ADAPTERS: dict[str, type[Adapter]] = {}


def register(cls: type[Adapter]) -> type[Adapter]:
    ADAPTERS[cls.network] = cls
    return cls


def get_adapter(account) -> Adapter:
    return ADAPTERS[account.network](account)
