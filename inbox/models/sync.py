from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.models import SocialAccount


class SyncCursor(models.Model):
    """Where the inbox's sync of one account stands: the network's cursor, and when it may run again."""

    account = models.OneToOneField(SocialAccount, on_delete=models.CASCADE, related_name="sync_cursor")
    cursor = models.JSONField(default=dict, blank=True)  # the adapter's own shape, given back as is
    last_synced_at = models.DateTimeField(_("last synced"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # Rate-limit back-off: no sync before this time.
    next_allowed_at = models.DateTimeField(null=True, blank=True)
    # The recheck's lag: every recent message (`inbox.recheck`) was last looked at since then (shown on the accounts
    # page as how soon an edit or a deletion reaches the inbox); it ages while rechecks fail or stop.
    recheck_oldest = models.DateTimeField(_("recent messages rechecked since"), null=True, blank=True)
    # A sync in progress holds the cursor until then, so beat and "refresh now" never page the same account twice.
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sync cursor")
        verbose_name_plural = _("sync cursors")

    def __str__(self) -> str:
        return f"{self.account}: {self.last_synced_at or '—'}"

    def claim(self, *, seconds: int = 300) -> bool:
        """Take the lock with a compare-and-set update; False if another sync holds it or back-off is running."""
        now = timezone.now()
        free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
        allowed = Q(next_allowed_at__isnull=True) | Q(next_allowed_at__lte=now)
        until = now + timezone.timedelta(seconds=seconds)
        claimed = SyncCursor.objects.filter(free, allowed, pk=self.pk).update(locked_until=until) == 1
        if claimed:
            self.locked_until = until
        return claimed

    def release(self) -> None:
        SyncCursor.objects.filter(pk=self.pk).update(locked_until=None)
        self.locked_until = None
