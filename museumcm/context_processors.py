from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, URL name, permission needed to see it)
NAVIGATION = [
    (_("Calendar"), "calendar", "editorial.view_post"),
    (_("Ideas"), "ideas", "editorial.view_idea"),
    (_("Inbox"), "inbox", "inbox.view_message"),
    (_("Accounts"), "social_accounts", "publishing.view_socialaccount"),
    (_("Team"), "team", "accounts.manage_team"),
]


def shell(request):
    """The navigation a signed-in user may use, with the section they are in marked current."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, name, permission in NAVIGATION:
        if not user.has_perm(permission):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a section whose app does not provide its page yet
            continue
        items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    unread = user.notifications.filter(read_at__isnull=True).count()  # the bell in the top bar
    return {"navigation": items, "unread_notifications": unread}
