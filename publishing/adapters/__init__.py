"""The registry: which adapter speaks for which network.

Each network module of this package registers its adapter (`@register`) and declares, on it, what the rest of the app
needs of its network: how to connect an account (`oauth`, `identify`). Every module here is imported once, below, so
adding a network adds no line in this file: one adapter module, one fake server (tests/fakes), one `Network` entry.
A built-in channel of another app (the "Ask the museum" site) registers its adapter from its own `ready()`.
"""

import importlib
import pkgutil

from publishing.adapters.base import Adapter

ADAPTERS: dict[str, type[Adapter]] = {}


def register(cls: type[Adapter]) -> type[Adapter]:
    ADAPTERS[cls.network] = cls
    return cls


def get_adapter(account) -> Adapter:
    return ADAPTERS[account.network](account)


def adapter_class(network: str) -> type[Adapter]:
    return ADAPTERS[network]


def _discover() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_discover()
