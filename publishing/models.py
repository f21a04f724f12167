import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from museumcm.fields import POST_TEXT_MAX, REASON_MAX, REPLY_MAX, BoundedTextField
from publishing.crypto import EncryptedJSONField
from publishing.vocabulary import Outcome


class Network(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    THREADS = "threads", "Threads"


class SocialAccountQuerySet(models.QuerySet):
    def connected(self):
        return self.filter(status=SocialAccount.Status.CONNECTED)


class SocialAccount(models.Model):
    """One account of the museum on one network (the Louvre has 13)."""

    class Status(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")
        DISABLED = "disabled", _("Disabled")

    network = models.CharField(_("network"), max_length=20, choices=Network.choices)
    handle = models.CharField(_("handle"), max_length=200)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    avatar_url = models.URLField(_("avatar"), blank=True)
    # Base URL of the API: the Mastodon instance, the Bluesky PDS, or the Graph/REST host (tests point it at fakes).
    server_url = models.URLField(_("server"), blank=True)
    # The network's id of the account: Mastodon account id, Bluesky DID, Page id, IG user id, organisation URN…
    external_id = models.CharField(_("network id"), max_length=200, blank=True)
    credentials = EncryptedJSONField(_("credentials"), default=dict, blank=True)
    token_expires_at = models.DateTimeField(_("token expires at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONNECTED)
    status_reason = models.TextField(_("status reason"), blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SocialAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")
        ordering = ["network", "handle"]
        constraints = [models.UniqueConstraint(fields=["network", "handle"], name="unique_account_per_network")]
        permissions = [("connect_socialaccount", _("Can connect and reconnect social accounts"))]

    def __str__(self) -> str:
        return f"{self.get_network_display()} · {self.display_name or self.handle}"


class MastodonApp(models.Model):
    """museumcm's app registered on one Mastodon-API instance, reused by every connection to it: registering at each
    try left one more app (and its live tokens) on the instance."""

    instance = models.URLField(_("instance"))
    redirect_uri = models.URLField(max_length=500)
    scopes = models.CharField(max_length=300)  # as registered, space-separated: a token may ask for no more
    credentials = EncryptedJSONField(default=dict)  # {"client_id": …, "client_secret": …}
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mastodon app")
        verbose_name_plural = _("Mastodon apps")
        constraints = [
            models.UniqueConstraint(fields=["instance", "redirect_uri"], name="one_mastodon_app_per_instance")
        ]

    def __str__(self) -> str:
        return self.instance


class StateQuerySet(models.QuerySet):
    """Rows with a `state` and an `updated_at` that move only by compare-and-set (publications, inbox replies)."""

    def transition(self, source, target: str, **fields) -> int:
        """Move the rows still in `source` (a state or a list of states) to `target`.

        Returns how many rows moved; a caller that gets 0 lost the race and must walk away.
        """
        sources = [source] if isinstance(source, str) else list(source)
        return self.filter(state__in=sources).update(state=target, updated_at=timezone.now(), **fields)


class PublicationQuerySet(StateQuerySet):
    def claimable(self, now: datetime):
        """Due rows whose time has come, not held, on a connected account, not waiting for a retry."""
        return self.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            state=Publication.State.DUE,
            held=False,
            scheduled_at__lte=now,
            account__status=SocialAccount.Status.CONNECTED,
        )

    def stuck(self, now: datetime, redispatch_after: float):
        """Sending rows nobody is working on: the lease of a dead worker ran out, or the queued message was lost."""
        lost_before = now - timezone.timedelta(seconds=redispatch_after)
        return self.filter(state=Publication.State.SENDING).filter(
            Q(lease_until__lt=now) | Q(lease_until__isnull=True, dispatched_at__lt=lost_before)
        )

    def overdue(self, now: datetime):
        """Due rows whose time has passed but did not go out (publishing paused, account held)."""
        return self.filter(state=Publication.State.DUE, scheduled_at__lte=now)

    def needing_attention(self):
        return self.filter(state__in=[Publication.State.FAILED, Publication.State.UNCONFIRMED])


class Publication(models.Model):
    """A post on one account: that network's own text, and its own progress through the pipeline.

    Its state changes only through compare-and-set updates (`UPDATE … WHERE state = …`), so two workers, a
    re-delivered message or a double click can never both send it.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        DUE = "due", _("Scheduled")
        SENDING = "sending", _("Sending")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        UNCONFIRMED = "unconfirmed", _("Unconfirmed")
        CANCELLED = "cancelled", _("Cancelled")

    post = models.ForeignKey("editorial.Post", on_delete=models.CASCADE, related_name="publications")
    account = models.ForeignKey(SocialAccount, on_delete=models.PROTECT, related_name="publications")
    text = BoundedTextField(_("text"), max_length=POST_TEXT_MAX, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    # The post's time, copied here so that dispatching needs no join; the post's service keeps it in step.
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True)
    # Held publications stay due but are not dispatched (account to reconnect, or the team paused everything).
    held = models.BooleanField(_("held"), default=False)
    # Sent as the network's idempotency key where one exists (Mastodon), or used to derive one (Bluesky rkey).
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    attempt_count = models.PositiveIntegerField(default=0)
    # attempt_count when the current series of tries began (a person's "retry" starts a new series).
    series_start = models.PositiveIntegerField(default=0)
    # The last try may have reached the network (timeout after sending, worker died): look before sending again.
    must_check = models.BooleanField(default=False)
    # When dispatch last enqueued it, and until when the worker running it owns it (SENDING only).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(_("network id"), max_length=300, blank=True)
    external_url = models.URLField(_("link"), max_length=500, blank=True)
    error = models.TextField(_("reason"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Per-network extras, e.g. {"rkey": "3k…"} (Bluesky) or {"container_id": "…"} (Meta).
    extra = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["scheduled_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "account"], name="one_publication_per_account")]
        indexes = [models.Index(fields=["state", "scheduled_at"], name="publication_due_idx")]
        permissions = [("pause_publishing", _("Can pause and resume all publishing"))]

    def __str__(self) -> str:
        return f"{self.account} · {self.scheduled_at:%Y-%m-%d %H:%M}" if self.scheduled_at else str(self.account)

    @property
    def is_active(self) -> bool:
        """Still moving on its own: the status partial keeps polling while any publication is."""
        return self.state in (self.State.DUE, self.State.SENDING) and not self.held

    def media(self) -> list:
        """The post's images and videos, in order. The worker's query says whether there are any (`has_media`): most
        posts have none, and asking anyway was one query in seven of a publication."""
        if getattr(self, "has_media", True) is False:
            return []
        # Raw: the worker asks this for every post with media, and compiling the related query was 9% of its time.
        media = self.post.media.model
        sql = f"SELECT * FROM {media._meta.db_table} WHERE post_id = %s ORDER BY position, id"
        return list(media.objects.raw(sql, [self.post_id]))


class Attempt(models.Model):
    """One call to a network, written before the call and completed after: the audit trail survives a crash.
    Publications' attempts and the inbox's replies' share these fields."""

    Outcome = Outcome

    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.STARTED)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def retry_in_seconds(self) -> int | None:
        """How long after this attempt the next one was planned ("next try in 30 s")."""
        if self.retry_at is None:
            return None
        return max(0, round((self.retry_at - (self.finished_at or self.started_at)).total_seconds()))


class PublishAttempt(Attempt):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attempts")

    class Meta:
        ordering = ["publication", "number"]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="unique_attempt_number")]

    def __str__(self) -> str:
        return f"{self.publication} #{self.number}: {self.get_outcome_display()}"


class PublishingPauseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class PublishingPause(models.Model):
    """While a row is active, dispatch sends nothing: "pause everything" (a bereavement, an incident, news)."""

    reason = BoundedTextField(_("reason"), max_length=REASON_MAX)
    started_at = models.DateTimeField(_("paused at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("paused by")
    )
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was done with what fell due meanwhile: "publish", "reschedule" or "cancel".
    resolution = models.CharField(max_length=20, blank=True)

    objects = PublishingPauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("publishing pause")
        verbose_name_plural = _("publishing pauses")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.reason[:60]}"


class Heartbeat(models.Model):
    """When beat and a worker last ran a task together: shows the team that publishing is alive."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%H:%M:%S}"

    @classmethod
    def beat(cls, name: str = "worker") -> None:
        cls.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})

    @classmethod
    def age(cls, name: str = "worker") -> float | None:
        """Seconds since the last heartbeat, or None if there never was one."""
        seen_at = cls.objects.filter(name=name).values_list("seen_at", flat=True).first()
        return None if seen_at is None else (timezone.now() - seen_at).total_seconds()


class SandboxPost(models.Model):
    """A post "published" on the built-in sandbox network: what the demo and `make run` publish to.

    The publication's idempotency key is unique here, so a retried publish finds the first post instead of doubling it.
    """

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="sandbox_posts")
    idempotency_key = models.UUIDField(unique=True)
    text = BoundedTextField(max_length=POST_TEXT_MAX, blank=True)
    alt_texts = models.JSONField(default=list, blank=True)  # one alt text per attached image, in order
    link = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.account.handle}: {self.text[:60]}"

    @property
    def external_id(self) -> str:
        return f"post-{self.pk}"


class SandboxReply(models.Model):
    """A visitor's reply on the sandbox network (made up, deterministically), or the museum's answer to one."""

    post = models.ForeignKey(SandboxPost, on_delete=models.CASCADE, related_name="replies")
    # Position in the post's made-up conversation: (post, seq) is unique, so a re-sync never invents a reply twice.
    seq = models.PositiveSmallIntegerField(null=True, blank=True)
    in_reply_to = models.CharField(max_length=40)  # external id of the parent: "post-12" or "reply-40"
    author_handle = models.CharField(max_length=100)
    author_name = models.CharField(max_length=200, blank=True)
    text = BoundedTextField(max_length=REPLY_MAX)
    language = models.CharField(max_length=8, blank=True)
    by_museum = models.BooleanField(default=False)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True)  # the museum's answers only
    created_at = models.DateTimeField(default=timezone.now)
    # The visitor deleted it: the row stays, so its place in the made-up conversation is never invented again.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "seq"], condition=models.Q(seq__isnull=False), name="unique_sandbox_reply_seq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_handle}: {self.text[:60]}"

    @property
    def external_id(self) -> str:
        return f"reply-{self.pk}"
