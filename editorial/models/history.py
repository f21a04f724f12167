from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from museumcm.phrases import render


class PostChange(models.Model):
    """Who changed what on a post, and when: the post's history.

    `changes` is a list of `[label, before, after]`, e.g. `[[{"msgid": "Text", "params": {}}, "old", "new"]]`.
    """

    post = models.ForeignKey("editorial.Post", on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(_("summary"), max_length=300)  # as written, in the writer's language
    event = models.JSONField(default=dict, blank=True)  # the summary as a museumcm.phrases phrase
    changes = models.JSONField(default=dict, blank=True)  # labels are phrases (or text, in older rows)

    class Meta:
        verbose_name = _("post change")
        verbose_name_plural = _("post changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.post_id} {self.summary}"

    @property
    def summary_text(self) -> str:
        """The summary in the reader's language."""
        return render(self.event) or self.summary

    @property
    def lines(self) -> list[tuple[str, str, str]]:
        """`(label, before, after)` with the label in the reader's language."""
        return [(render(label), before, after) for label, before, after in self.changes or []]
