"""The built-in sandbox network's own rows: what the demo and `make run` publish to, and the replies it makes up."""

from django.db import models
from django.utils import timezone

from museumcm.fields import POST_TEXT_MAX, REPLY_MAX, BoundedTextField
from publishing.models.accounts import SocialAccount


class SandboxPost(models.Model):
    """A post "published" on the built-in sandbox network: what the demo and `make run` publish to.

    The publication's idempotency key is unique here, so a retried publish finds the first post instead of doubling it.
    """

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="sandbox_posts")
    idempotency_key = models.UUIDField(unique=True)
    text = BoundedTextField(max_length=POST_TEXT_MAX, blank=True)
    alt_texts = models.JSONField(default=list, blank=True)  # one alt text per attached image, in order
    link = models.URLField(max_length=500, blank=True)
    # What the network the account imitates files the post under: Pinterest's board, Tumblr's tags.
    details = models.JSONField(default=dict, blank=True)
    # The post this one answers when a live session makes a thread ("post-12"), else empty.
    in_reply_to = models.CharField(max_length=40, blank=True)
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
