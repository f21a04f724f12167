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


class MessageKind(models.TextChoices):
    """What a fetched message is (`FetchedMessage.kind`; the inbox stores it on its messages)."""

    COMMENT = "comment", _("Comment")
    REPLY = "reply", _("Reply")
    MENTION = "mention", _("Mention")
    QUOTE = "quote", _("Quote")
    DIRECT = "direct", _("Direct message")


class MediaKind(models.TextChoices):
    """What a media file is (`MediaInfo.kind`; the editorial calendar stores it on its media)."""

    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")


class ProblemLevel(models.TextChoices):
    """How much a finding of `validate` weighs: an error blocks review and sending, a warning only informs."""

    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


class PauseResolution(models.TextChoices):
    """What to do, on resuming publishing, with what fell due during the pause (`PublishingPause.resolution`)."""

    PUBLISH = "publish", _("Publish it now")
    RESCHEDULE = "reschedule", _("Reschedule it to a new time")
    CANCEL = "cancel", _("Cancel it")
