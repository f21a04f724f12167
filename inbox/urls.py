from django.urls import path

from inbox.views import conversation, listing, live, questions, saved

urlpatterns = [
    path("", listing.inbox, name="inbox"),
    path("new/", listing.inbox_new, name="inbox_new"),
    path("bulk/", listing.inbox_bulk, name="inbox_bulk"),
    path("refresh/", listing.inbox_refresh, name="inbox_refresh"),
    path("<int:pk>/", conversation.conversation, name="inbox_conversation"),
    path("<int:pk>/reply/", conversation.reply, name="inbox_reply"),
    path("<int:pk>/status/", conversation.set_status, name="inbox_status"),
    path("<int:pk>/assign/", conversation.assign, name="inbox_assign"),
    path("<int:pk>/route/", conversation.route, name="inbox_route"),
    path("<int:pk>/presence/", conversation.presence, name="inbox_presence"),
    path("<int:pk>/thread/", conversation.replies, name="inbox_thread"),
    path("replies/<int:pk>/retry/", conversation.retry, name="inbox_reply_retry"),
    path("questions/", questions.questions, name="inbox_questions"),
    path("questions/<int:pk>/", questions.question, name="inbox_question"),
    path("live/<int:pk>/", live.live_column, name="inbox_live"),
    path("live/<int:pk>/summary/", live.live_session_summary, name="live_summary"),
    path("saved/", saved.saved_replies, name="inbox_saved_replies"),
    path("saved/<int:pk>/delete/", saved.delete_saved_reply, name="inbox_saved_reply_delete"),
]
