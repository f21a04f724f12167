from django.contrib import admin

from inbox.models import Message, Reply, SavedReply, SyncCursor
from publishing.admin import HTTPS_URLS


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["author_handle", "account", "kind", "status", "assignee", "created_at", "deleted"]
    list_filter = ["status", "kind", "account__network", "deleted"]
    search_fields = ["author_handle", "author_name", "external_id"]
    raw_id_fields = ["parent", "publication", "assignee", "routed_to", "routed_by"]
    exclude = ["search_vector"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["message", "state", "author", "sent_by", "attempt_count", "sent_at"]
    list_filter = ["state"]
    raw_id_fields = ["message"]
    readonly_fields = Reply.PIPELINE_FIELDS


@admin.register(SyncCursor)
class SyncCursorAdmin(admin.ModelAdmin):
    list_display = ["account", "last_synced_at", "next_allowed_at", "last_error"]


admin.site.register(SavedReply)
