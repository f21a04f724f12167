"""Publishing's models, one module per sub-domain; import them from here."""

from publishing.models.accounts import MastodonApp, Network, SocialAccount, SocialAccountQuerySet
from publishing.models.operations import Heartbeat, PublishingPause
from publishing.models.pipeline import Attempt, Leased, LeasedQuerySet, Outgoing, StateQuerySet
from publishing.models.publication import Publication, PublishAttempt
from publishing.models.sandbox import SandboxPost, SandboxReply

__all__ = [
    "Attempt",
    "Heartbeat",
    "Leased",
    "LeasedQuerySet",
    "MastodonApp",
    "Network",
    "Outgoing",
    "Publication",
    "PublishAttempt",
    "PublishingPause",
    "SandboxPost",
    "SandboxReply",
    "SocialAccount",
    "SocialAccountQuerySet",
    "StateQuerySet",
]
