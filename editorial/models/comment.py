import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from museumcm.fields import COMMENT_MAX, BoundedTextField

MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


class PostComment(models.Model):
    """An internal note on a post; @username mentions notify colleagues."""

    post = models.ForeignKey("editorial.Post", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="post_comments")
    text = BoundedTextField(_("comment"), max_length=COMMENT_MAX)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="post_mentions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"

    @staticmethod
    def mentioned_usernames(text: str) -> set[str]:
        return {name.rstrip(".") for name in MENTION.findall(text)}
