"""The one vocabulary of what went wrong on a network, shared by adapters, the pipeline and the inbox.

Each error carries its nature: retry later (transient, rate limited with its delay), reconnect (auth expired), give
up with a reason (rejected), or look before sending again (outcome unknown).
"""


class AdapterError(Exception):
    """A network call that did not succeed. `reason` is shown to the team: it must read well."""

    def __init__(self, reason: str, *, http_status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status


class TransientError(AdapterError):
    """Worth retrying later: the network is down, slow, or answered 5xx."""


class RateLimited(TransientError):
    """The network asked us to wait `retry_after` seconds (from Retry-After or its own rate-limit headers)."""

    def __init__(self, reason: str, *, retry_after: float | None = None, http_status: int | None = 429):
        super().__init__(reason, http_status=http_status)
        self.retry_after = retry_after


class AuthExpired(AdapterError):
    """The token is expired or revoked: the account needs reconnecting; retrying would only fail again."""


class Rejected(AdapterError):
    """The network refused this content for good (too long, bad media, duplicate…): the reason says why."""


class NotFound(Rejected):
    """The network's documented answer for an object that does not exist (any more): deleted, or never there."""


class OutcomeUnknown(AdapterError):
    """The request may have been accepted (timeout or dropped connection after sending): never resend blindly."""


class CannotCheck(AdapterError):
    """The network offers no way to find out whether an earlier attempt went through."""
