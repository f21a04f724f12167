"""The sandbox network's own public face: a feed of what was "published" there, with the conversations."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.shortcuts import render

from publishing.models import Network, SandboxPost, SandboxReply, SocialAccount

POSTS_PER_ACCOUNT = 30


@permission_required("publishing.view_publication", raise_exception=True)
def sandbox_feed(request):
    """Each sandbox account's latest posts, newest first, each with its replies in order."""
    accounts = SocialAccount.objects.filter(network=Network.SANDBOX)
    selected = request.GET.get("account", "")
    if selected.isdigit():
        accounts = accounts.filter(pk=selected)
    feeds = []
    for account in accounts:
        posts = (
            SandboxPost.objects.filter(account=account)
            .prefetch_related(
                Prefetch("replies", queryset=SandboxReply.objects.filter(deleted_at=None).order_by("created_at", "pk"))
            )
            .order_by("-created_at", "-pk")[:POSTS_PER_ACCOUNT]
        )
        feeds.append({"account": account, "posts": posts})
    all_accounts = SocialAccount.objects.filter(network=Network.SANDBOX)
    context = {"feeds": feeds, "accounts": all_accounts, "selected": selected}
    return render(request, "publishing/sandbox/feed.html", context)
