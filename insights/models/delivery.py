"""The monthly report's e-mails that went out: one row per month and recipient, so that none is sent twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportDelivery(models.Model):
    """The report of `month` (its first day) was sent to `recipient` at `sent_at`. Written before sending and
    completed after: a crash between the two leaves a row without `sent_at`, which the next run sends again."""

    month = models.DateField(_("month"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        constraints = [models.UniqueConstraint(fields=["month", "recipient"], name="one_report_per_month_and_person")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} → {self.recipient_id}"
