from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, URL name, permission needed to see it, permission that replaces it with a fuller entry)
NAVIGATION = [
    (_("Calendar"), "calendar", "editorial.view_post", None),
    (_("Ideas"), "ideas", "editorial.view_idea", None),
    (_("Inbox"), "inbox", "inbox.view_message", None),
    (_("Ask the museum"), "ask_team", "inbox.answer_message", None),  # the public Q&A site's queue
    (_("Live"), "live_sessions", "editorial.add_post", None),
    (_("Questions for me"), "inbox_questions", "inbox.draft_answer", "inbox.view_message"),
    (_("Insights"), "insights", "editorial.view_idea", None),
    (_("Accounts"), "social_accounts", "publishing.view_socialaccount", None),
    (_("Team"), "team", "accounts.manage_team", None),
]


def shell(request):
    """The navigation a signed-in user may use, with the section they are in marked current."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, name, permission, superseded_by in NAVIGATION:
        if user.has_perm(permission) and not (superseded_by and user.has_perm(superseded_by)):
            url = reverse(name)
            items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    unread = user.notifications.filter(read_at__isnull=True).count()  # the bell in the top bar
    return {"navigation": items, "unread_notifications": unread}
