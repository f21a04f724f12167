"""Types where apps meet: the choices that publishing, editorial and inbox exchange, so no app compares strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """How one network call ended: a publication's attempt row or a reply's."""

    STARTED = "started", _("Started")
    PUBLISHED = "published", _("Published")
    TRANSIENT = "transient", _("Temporary error")
    RATE_LIMITED = "rate_limited", _("Rate limited")
    AUTH_EXPIRED = "auth_expired", _("Authorisation expired")
    REJECTED = "rejected", _("Refused by the network")
    UNKNOWN = "unknown", _("Outcome unknown")
