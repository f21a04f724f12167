from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PostChange(models.Model):
    """Who changed what on a post, and when: the post's history.

    `changes` maps a field label to `[before, after]` as shown to people, e.g. `{"Text": ["old", "new"]}`.
    """

    post = models.ForeignKey("editorial.Post", on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(_("summary"), max_length=300)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("post change")
        verbose_name_plural = _("post changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.post_id} {self.summary}"
