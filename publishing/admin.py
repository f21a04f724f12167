from django.contrib import admin
from django.db import models

from publishing.models import Publication, PublishAttempt, PublishingPause, SocialAccount

# An address typed without its scheme is https, Django 6's default (5.2 warns until a project says so).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["handle", "network", "status", "token_expires_at"]
    list_filter = ["network", "status"]
    search_fields = ["handle", "display_name"]
    exclude = ["credentials"]  # encrypted at rest; never shown


class PublishAttemptInline(admin.TabularInline):
    model = PublishAttempt
    extra = 0
    readonly_fields = [
        "number",
        "started_at",
        "finished_at",
        "outcome",
        "http_status",
        "duration_ms",
        "error",
        "retry_at",
    ]
    can_delete = False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["__str__", "state", "held", "scheduled_at", "attempt_count", "published_at"]
    list_filter = ["state", "held", "account__network"]
    raw_id_fields = ["post"]
    readonly_fields = Publication.PIPELINE_FIELDS
    inlines = [PublishAttemptInline]


@admin.register(PublishingPause)
class PublishingPauseAdmin(admin.ModelAdmin):
    list_display = ["started_at", "reason", "started_by", "ended_at", "resolution"]
