"""The editorial calendar's models, one module per sub-domain; import them from here."""

from editorial.models.approval import WeekApproval
from editorial.models.campaign import Campaign
from editorial.models.comment import PostComment
from editorial.models.event import EventSource, MuseumEvent
from editorial.models.feed import CalendarFeed
from editorial.models.history import PostChange
from editorial.models.idea import Idea, IdeaComment, IdeaImage
from editorial.models.live import LiveSession
from editorial.models.notification import Notification
from editorial.models.post import Media, Post
from editorial.models.recurring import RecurringOccurrence, RecurringSlot, Weekday

__all__ = [
    "CalendarFeed",
    "Campaign",
    "EventSource",
    "Idea",
    "IdeaComment",
    "IdeaImage",
    "LiveSession",
    "Media",
    "MuseumEvent",
    "Notification",
    "Post",
    "PostChange",
    "PostComment",
    "RecurringOccurrence",
    "RecurringSlot",
    "WeekApproval",
    "Weekday",
]
