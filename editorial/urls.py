from django.urls import path

from editorial.views import calendar as calendar_views
from editorial.views import campaigns as campaign_views
from editorial.views import events as event_views
from editorial.views import feeds as feed_views
from editorial.views import ideas as idea_views
from editorial.views import live as live_views
from editorial.views import media as media_views
from editorial.views import notifications as notification_views
from editorial.views import posts as post_views
from editorial.views import recurring as slot_views
from editorial.views import weeks as week_views

urlpatterns = [
    path("calendar/", calendar_views.month, name="calendar"),
    path("calendar/week/", calendar_views.week, name="calendar_week"),
    path("calendar/list/", calendar_views.post_list, name="calendar_list"),
    path("calendar/posts/new/", post_views.post_new, name="post_new"),
    path("calendar/posts/validate/", post_views.post_validate, name="post_validate"),
    path("calendar/posts/<int:pk>/", post_views.post_detail, name="post_detail"),
    path("calendar/posts/<int:pk>/edit/", post_views.post_edit, name="post_edit"),
    path("calendar/posts/<int:pk>/status/", post_views.post_status, name="publication_status"),
    path("calendar/posts/<int:pk>/move/", post_views.post_move, name="post_move"),
    path("calendar/posts/<int:pk>/media/", post_views.media_add, name="post_media_add"),
    path("calendar/posts/<int:pk>/media/<int:media_pk>/delete/", post_views.media_delete, name="post_media_delete"),
    path("calendar/posts/<int:pk>/media/<int:media_pk>/alt/", post_views.media_describe, name="post_media_describe"),
    path("calendar/media/<int:pk>/", media_views.media_file, name="media_file"),
    path("calendar/media/<int:pk>/thumbnail/", media_views.media_thumbnail, name="media_thumbnail"),
    path("calendar/media/shared/<str:token>/", media_views.media_signed, name="media_signed"),
    path("ideas/images/<int:pk>/", media_views.idea_image, name="idea_image"),
    path("calendar/posts/<int:pk>/comments/", post_views.post_comment, name="post_comment"),
    path("calendar/posts/<int:pk>/send-back/", post_views.post_send_back, name="post_send_back"),
    path("calendar/weeks/<int:year>/<int:week>/", week_views.week_review, name="week_review"),
    path("calendar/weeks/<int:year>/<int:week>/submit/", week_views.week_submit, name="week_submit"),
    path("calendar/weeks/<int:year>/<int:week>/approve/", week_views.week_approve, name="week_approve"),
    # C1: ideas, campaigns, museum events, recurring slots, iCal feed, notifications
    path("ideas/", idea_views.idea_board, name="ideas"),
    path("ideas/new/", idea_views.idea_create, name="idea_create"),
    path("ideas/<int:pk>/", idea_views.idea_detail, name="idea_detail"),
    path("ideas/<int:pk>/comments/", idea_views.idea_comment, name="idea_comment"),
    path("ideas/<int:pk>/accept/", idea_views.idea_accept, name="idea_accept"),
    path("ideas/<int:pk>/decline/", idea_views.idea_decline, name="idea_decline"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("calendar/events/", event_views.event_list, name="events"),
    path("calendar/events/new/", event_views.event_create, name="event_create"),
    path("calendar/events/<int:pk>/", event_views.event_edit, name="event_edit"),
    path("calendar/events/<int:pk>/delete/", event_views.event_delete, name="event_delete"),
    path("calendar/events/import/url/", event_views.event_import_url, name="event_import_url"),
    path("calendar/events/import/file/", event_views.event_import_file, name="event_import_file"),
    path("calendar/events/sources/<int:pk>/import/", event_views.event_source_refresh, name="event_source_refresh"),
    path("calendar/events/sources/<int:pk>/delete/", event_views.event_source_delete, name="event_source_delete"),
    path("calendar/slots/", slot_views.slot_list, name="slots"),
    path("calendar/slots/new/", slot_views.slot_create, name="slot_create"),
    path("calendar/slots/<int:pk>/", slot_views.slot_edit, name="slot_edit"),
    path("calendar/slots/<int:pk>/delete/", slot_views.slot_delete, name="slot_delete"),
    path("calendar/feed/", feed_views.feed_settings, name="calendar_feed"),
    path("calendar/feed/revoke/", feed_views.feed_revoke, name="calendar_feed_revoke"),
    path("calendar/feed/<str:token>.ics", feed_views.feed_ics, name="calendar_feed_ics"),
    path("live/", live_views.live_sessions, name="live_sessions"),
    path("live/<int:pk>/", live_views.live_desk, name="live_desk"),
    path("live/<int:pk>/posts/", live_views.live_post_add, name="live_post_add"),
    path("live/<int:pk>/approve/", live_views.live_approve, name="live_approve"),
    path("live/<int:pk>/settings/", live_views.live_settings, name="live_settings"),
    path("live/<int:pk>/quick/", live_views.live_quick, name="live_quick"),
    path("live/<int:pk>/posts/<int:post_pk>/", live_views.live_entry, name="live_entry"),
    path("live/<int:pk>/posts/<int:post_pk>/fire/", live_views.live_fire, name="live_fire"),
    path("live/<int:pk>/posts/<int:post_pk>/ok/", live_views.live_quick_ok, name="live_quick_ok"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read/", notification_views.notification_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", notification_views.notification_open, name="notification_open"),
]
