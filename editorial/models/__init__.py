"""The editorial calendar's models, one module per sub-domain; import them from here."""

from editorial.models.approval import WeekApproval
from editorial.models.campaign import Campaign
from editorial.models.comment import PostComment
from editorial.models.history import PostChange
from editorial.models.post import Media, Post

__all__ = ["Campaign", "Media", "Post", "PostChange", "PostComment", "WeekApproval"]
