from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WeekApproval(models.Model):
    """The approval state of one ISO week: submitted by a community manager, approved by a manager."""

    class State(models.TextChoices):
        OPEN = "open", _("Not submitted")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")

    year = models.PositiveSmallIntegerField(_("ISO year"))
    week = models.PositiveSmallIntegerField(_("ISO week"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("week approval")
        verbose_name_plural = _("week approvals")
        ordering = ["year", "week"]
        constraints = [models.UniqueConstraint(fields=["year", "week"], name="one_approval_per_iso_week")]
        permissions = [
            ("submit_week", _("Can submit a week for approval")),
            ("approve_week", _("Can approve a week")),
        ]

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d} ({self.get_state_display()})"

    # Set by editorial.selectors.week_approvals: posts of an approved week that went back to review since.
    back_in_review = 0

    @property
    def shown_approval(self) -> bool:
        """Whether "approved by …, on …" is true to show: the week is approved now, and not dated in the future."""
        return self.state == self.State.APPROVED and self.approved_at is not None and self.approved_at <= timezone.now()
