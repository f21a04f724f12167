from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from museumcm.phrases import render


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def mark_read(self) -> int:
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """Something a person should know about their work; shown in the app (the bell) and sent by e-mail."""

    class Kind(models.TextChoices):
        IDEA_ACCEPTED = "idea_accepted", _("Idea accepted")
        IDEA_DECLINED = "idea_declined", _("Idea declined")
        POST_SENT_BACK = "post_sent_back", _("Post sent back")
        WEEK_SUBMITTED = "week_submitted", _("Week submitted")
        WEEK_APPROVED = "week_approved", _("Week approved")
        MENTIONED = "mentioned", _("Mentioned in a comment")
        QUESTION_ROUTED = "question_routed", _("A question for you")
        ANSWER_DRAFTED = "answer_drafted", _("An answer was drafted")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    message = models.TextField(_("message"))  # as written, in the writer's language (and for old rows)
    event = models.JSONField(default=dict, blank=True)  # a museumcm.phrases phrase: shown in the reader's language
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def text(self) -> str:
        return render(self.event) or self.message

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
