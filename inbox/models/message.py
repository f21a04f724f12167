from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection, models
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Left
from django.utils.translation import gettext_lazy as _

from inbox.models.search import MessageDocument
from museumcm.fields import REASON_MAX, BoundedTextField
from publishing.models import Publication, SocialAccount
from publishing.vocabulary import MessageKind

SNIPPET_LENGTH = 220
USER_NAME_FIELDS = ("username", "first_name", "last_name", "display_name")  # what a user's __str__ reads
# What a row of the inbox list shows (see `MessageQuerySet.for_list`).
LIST_FIELDS = [
    "id",
    "kind",
    "author_handle",
    "author_name",
    "author_avatar",
    "created_at",
    "status",
    "read",
    "deleted",
    "missing_since",
    "edited",
    "account__network",
    "account__handle",
    "publication__post__title",
    "publication__post__campaign__name",
    *(f"{user}__{field}" for user in ("assignee", "routed_to") for field in USER_NAME_FIELDS),
]


class MessageQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Message.Status.OPEN, deleted=False)

    def worth_rechecking(self, *, since, recent):
        """Recent messages the inbox still shows as they were (spam aside). Never-checked ones first, then those
        newer than `recent` (deletions and edits come soon after posting), newest first; then the others, those
        asked about least recently first."""
        soon = models.Q(checked_at__isnull=True) | models.Q(created_at__gte=recent)
        tier = models.Case(models.When(checked_at__isnull=True, then=0), models.When(soon, then=1), default=2)
        return (
            self.filter(deleted=False, created_at__gte=since)
            .exclude(status=Message.Status.SPAM)
            .alias(tier=tier, newest=models.Case(models.When(soon, then="created_at")))
            .order_by("tier", models.F("newest").desc(nulls_last=True), "checked_at", "pk")
        )

    def visible(self):
        """What the inbox lists: not spam unless asked for, deleted ones included (they show as deleted)."""
        return self.exclude(status=Message.Status.SPAM)

    def search(self, query: str, *, text_index: bool = True):
        """Full-text search (French and English, accents ignored) on PostgreSQL; `icontains` elsewhere.

        `text_index=False` matches the words against `search_vector || ''`, the same vector through an expression
        the text index cannot serve: for rows already bounded another way (the newest few thousand, by date), where
        the planner would otherwise intersect them with every match of a common word in the text index.
        """
        query = query.strip()
        if not query:
            return self
        if connection.vendor != "postgresql":
            return self.filter(
                models.Q(text__icontains=query)
                | models.Q(author_name__icontains=query)
                | models.Q(author_handle__icontains=query)
            )
        unaccented = models.Func(models.Value(query), function="museumcm_unaccent", output_field=models.TextField())
        french = SearchQuery(unaccented, config="french", search_type="websearch")
        english = SearchQuery(unaccented, config="english", search_type="websearch")
        words = french | english
        if text_index:
            return self.filter(search_vector=words)
        vector = SearchVectorField()
        empty = Cast(models.Value(""), vector)
        unindexed = CombinedExpression(models.F("search_vector"), "||", empty, output_field=vector)
        return self.alias(unindexed_vector=unindexed).filter(unindexed_vector=words)

    def for_list(self):
        """Everything a row of the inbox list shows, in one query whatever the page size.

        Only the columns a row shows are loaded: the text comes as a preview cut by the database (`Left`), so a
        page of 10,000-character messages ships no more than a page of short ones; `snippet` reads it.
        """
        return (
            self.select_related("account", "assignee", "routed_to", "publication__post__campaign")
            .only(*LIST_FIELDS)
            .annotate(
                text_preview=Left("text", SNIPPET_LENGTH + 1),
                # A channel's message held for moderation (an "Ask the museum" question that looks like a robot's).
                held=models.ExpressionWrapper(models.Q(extra__held=True), output_field=models.BooleanField()),
            )
        )


class MessageManager(models.Manager.from_queryset(MessageQuerySet)):
    def get_queryset(self):
        # The search vector is for the database's eyes only: never ship it to Python with the rows.
        return super().get_queryset().defer("search_vector")


class Message(models.Model):
    """A comment, reply, mention, quote or direct message received on one of the museum's accounts.

    Its text and author come from strangers on the internet: templates escape them and only the safe
    linkifier (`inbox.safety`) turns links into anchors.
    """

    Kind = MessageKind

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        SPAM = "spam", _("Spam")

    # No index of its own: `unique_message_per_account` starts with the account. A second one on the account alone
    # tempts the planner, when statistics lag behind a large first sync, into reading every row of the account.
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="messages", db_index=False)
    external_id = models.CharField(_("network id"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    author_id = models.CharField(_("author's network id"), max_length=300, blank=True)
    author_handle = models.CharField(_("author's handle"), max_length=300, blank=True)
    author_name = models.CharField(_("author's name"), max_length=300, blank=True)
    author_avatar = models.URLField(_("author's avatar"), max_length=1000, blank=True)
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("received at"))
    url = models.URLField(_("link"), max_length=1000, blank=True)
    # What the message answers, as the network names it; kept so that links can be made when the parent arrives later.
    parent_external_id = models.CharField(max_length=300, blank=True)
    root_external_id = models.CharField(max_length=300, blank=True)
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    # It answers a message we have not seen yet (a later page brings it): the sync links it when it arrives.
    awaiting_parent = models.BooleanField(default=False)
    deleted = models.BooleanField(_("deleted"), default=False)
    # The network no longer shows it but has not said it is gone (the author blocks the museum, a takedown): not
    # deleted, looked up again by every recheck, cleared when the network shows it or marks it deleted.
    missing_since = models.DateTimeField(_("not visible on the network since"), null=True, blank=True)
    edited = models.BooleanField(_("edited"), default=False)
    # What `adapter.reply` needs later, e.g. {"uri": "at://…", "cid": "…"} (Bluesky) or {"comment_id": "…"} (Meta).
    extra = models.JSONField(default=dict, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    read = models.BooleanField(_("read"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Ask an expert: routed to a curator, who drafts an answer (a Reply in the draft state).
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("expert"),
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    route_note = BoundedTextField(_("note for the expert"), max_length=REASON_MAX, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    # When our first reply to it went out: first-response time is first_response_at - created_at.
    first_response_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(auto_now=True)
    # When the network was last asked whether it was edited or deleted (`inbox.recheck`): the oldest go first.
    checked_at = models.DateTimeField(null=True, blank=True)

    search_vector = models.GeneratedField(
        expression=MessageDocument(), output_field=MessageDocument.output_field, db_persist=True
    )

    objects = MessageManager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "external_id"], name="unique_message_per_account"),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="message_recent_idx"),
            models.Index(fields=["status", "-created_at"], name="message_status_idx"),
            models.Index(fields=["account", "author_id"], name="message_author_idx"),
            models.Index(fields=["routed_to", "status"], name="message_routed_idx"),
            models.Index(
                fields=["account", "parent_external_id"],
                name="message_awaiting_idx",
                condition=models.Q(awaiting_parent=True),
            ),
            models.Index(
                fields=["created_at"], name="message_answered_idx", condition=models.Q(first_response_at__isnull=False)
            ),
        ]
        permissions = [
            ("answer_message", _("Can answer, assign and route messages")),
            ("draft_answer", _("Can draft answers to questions routed to them")),
        ]

    def __str__(self) -> str:
        return f"{self.author_handle}: {self.text[:60]}"

    @property
    def snippet(self) -> str:
        """The start of the text for lists (slicing: truncatechars normalises the whole of a 10,000-character text)."""
        text = self.__dict__.get("text_preview")  # the list's preview, cut in SQL (`for_list`)
        if text is None:
            text = self.text
        return text if len(text) <= SNIPPET_LENGTH else text[: SNIPPET_LENGTH - 1] + "…"

    @property
    def network(self) -> str:
        return self.account.network
