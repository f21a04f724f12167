"""How an upper app's own channel is answered from a conversation (STYLE: inbox never imports those apps).

A built-in channel whose answers need more than a reply (an "Ask the museum" answer is approved, then published now
or queued as a question of the day) registers a `ReplyPanel` from its `AppConfig.ready()`. The conversation shows
the panel's template in place of the reply form, to those who may answer, with the context the panel returns for the
message as `panel` (None: the plain reply form). The panel's own views check who may do what, and the plain reply
endpoint refuses such a channel's messages (`answered_by_panel`): a direct POST must not skip the panel's approval.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from inbox.models import Message


@dataclass(frozen=True)
class ReplyPanel:
    network: str
    template: str
    context: Callable[[HttpRequest, Message], dict | None]


_PANELS: dict[str, ReplyPanel] = {}


def register_reply_panel(panel: ReplyPanel) -> None:
    _PANELS[panel.network] = panel


def reply_panel(request: HttpRequest, message: Message) -> dict | None:
    """The panel for this message's network, if one is registered and has something for it."""
    panel = _PANELS.get(message.account.network)
    context = panel.context(request, message) if panel else None
    return None if context is None else {"template": panel.template, "context": context}


def answered_by_panel(message: Message) -> bool:
    """Whether this message's channel is answered only through its panel, never by a plain reply."""
    return message.account.network in _PANELS
