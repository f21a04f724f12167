"""The inbox's models, one module per sub-domain; import them from here."""

from inbox.models.message import Message
from inbox.models.presence import Presence
from inbox.models.reply import Reply, ReplyAttempt, SavedReply
from inbox.models.sync import SyncCursor

__all__ = ["Message", "Presence", "Reply", "ReplyAttempt", "SavedReply", "SyncCursor"]
