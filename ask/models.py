"""The public questions of "Ask the museum", their themes, and the published answers.

A question's life: received (or held for moderation) → pulled into the team's inbox as a message of the built-in
"Ask the museum" account → answered there (routed to a curator, drafted, approved) → approved answers wait in the
question-of-the-day queue (`queue_position`) or go out at once through the inbox's reply pipeline, whose adapter
(`ask.channel`) publishes them → published (or withdrawn later).
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ask.search import QuestionDocument
from museumcm.fields import REPLY_MAX, BoundedTextField

QUESTION_MAX = 600
NAME_MAX = 40


def local_day(moment) -> str:
    """The day in the museum's time zone, as the pages show it (2026-12-07): a template's `date` filter costs ten
    times as much, twice for each of the twenty items of an archive page."""
    return timezone.localtime(moment).date().isoformat()


class Theme(models.Model):
    """A subject the team files answers under (origins, history, future…), named in both languages."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Question.State.PUBLISHED)

    def queued(self):
        """The question-of-the-day queue, in order: approved answers waiting for their day."""
        return self.filter(state=Question.State.ANSWERED, queue_position__isnull=False).order_by("queue_position", "pk")


class QuestionManager(models.Manager.from_queryset(QuestionQuerySet)):
    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


class Question(models.Model):
    """A visitor's question, and once published, the museum's answer to it."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        MODERATION = "moderation", _("Held for moderation")
        ANSWERED = "answered", _("Answered, waiting to be published")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    text = BoundedTextField(_("question"), max_length=QUESTION_MAX)
    name = models.CharField(_("first name"), max_length=NAME_MAX, blank=True)
    # Kept only to tell the visitor the answer is out, with their consent; erased once told or after 90 days.
    email = models.EmailField(_("e-mail address"), blank=True)
    email_consent_at = models.DateTimeField(null=True, blank=True)
    email_erased_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="fr")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)
    answer = BoundedTextField(_("answer"), max_length=REPLY_MAX, blank=True)
    # The answer as the public page shows it, rendered and sanitised once when it is published (ask.rendering).
    answer_html = models.TextField(blank=True, editable=False)
    # Answered by another question's answer (the visitor is told), or merged into it.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    queue_position = models.PositiveIntegerField(null=True, blank=True)  # in the question-of-the-day queue
    # The day it was released as the question of the day (unique: two beats at once cannot release two).
    daily_on = models.DateField(null=True, blank=True, unique=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The social post made from the answer ("turn into a social post"), once.
    post = models.ForeignKey("editorial.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    slug = models.SlugField(_("address"), max_length=90, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    search_vector = models.GeneratedField(
        expression=QuestionDocument(), output_field=QuestionDocument.output_field, db_persist=True
    )

    objects = QuestionManager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-published_at", "-pk"]
        indexes = [
            # Newest first down to the id, as the archive orders: a page's ids are read from the index alone.
            models.Index(fields=["state", "-published_at", "-id"], name="ask_newest_idx"),
            models.Index(fields=["theme", "state", "-published_at", "-id"], name="ask_theme_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("ask_answer", args=[self.slug or self.make_slug()])

    @property
    def answer_safe(self) -> SafeString:
        return mark_safe(self.answer_html)  # nh3's allow-list output (ask.rendering.render_answer)

    @property
    def published_day(self) -> str:
        return local_day(self.published_at)

    @property
    def awaiting_answer(self) -> bool:
        """Still to be answered: an answer can be approved for it."""
        return self.state in (Question.State.RECEIVED, Question.State.MODERATION)

    @property
    def external_id(self) -> str:
        """Its id as a message of the "Ask the museum" channel in the inbox."""
        return f"question-{self.pk}"

    def public_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    def make_slug(self) -> str:
        """Stable and readable: the number keeps it unique and unchanged whatever the text becomes."""
        return f"{self.pk}-{slugify(self.text)[:70].strip('-')}".strip("-")


class SearchedAnswer(models.Model):
    """A published answer as a search reads it: its date and vector, kept by a trigger on PostgreSQL
    (`ask.search.CREATE_SEARCHED`); empty elsewhere. A model only so that the tests' flush empties it."""

    question = models.OneToOneField(
        Question, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    published_at = models.DateTimeField(null=True)
    search_vector = SearchVectorField(null=True)

    class Meta:
        db_table = "ask_search"

    def __str__(self) -> str:
        return str(self.question_id)
