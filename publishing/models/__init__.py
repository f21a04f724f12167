"""Publishing's models, one module per sub-domain; import them from here."""

from publishing.models.accounts import MastodonApp, Network, SocialAccount, SocialAccountQuerySet
from publishing.models.operations import Heartbeat, PublishingPause
from publishing.models.publication import Attempt, Publication, PublishAttempt, StateQuerySet
from publishing.models.sandbox import SandboxPost, SandboxReply

__all__ = [
    "Attempt",
    "Heartbeat",
    "MastodonApp",
    "Network",
    "Publication",
    "PublishAttempt",
    "PublishingPause",
    "SandboxPost",
    "SandboxReply",
    "SocialAccount",
    "SocialAccountQuerySet",
    "StateQuerySet",
]
