from publishing.selectors import active_pause


def publishing(request):
    """The active "pause everything", shown as a banner on every page of a signed-in user."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"publishing_pause": active_pause()}
