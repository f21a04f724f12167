"""The live desk's inbox side: a session's live column (polled by htmx) and its summary after the event."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from editorial.models import LiveSession
from inbox.live import live_messages, live_summary, live_sync_soon
from museumcm.http import HtmxHttpRequest


@permission_required("inbox.view_message", raise_exception=True)
def live_column(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(LiveSession, pk=pk)
    live_sync_soon(session)
    template = "inbox/live_column.html#column" if request.htmx else "inbox/live_column.html"
    return render(request, template, {"session": session, "messages_live": live_messages(session)})


@permission_required("inbox.view_message", raise_exception=True)
def live_session_summary(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(LiveSession.objects.select_related("event"), pk=pk)
    lines = live_summary(session)
    context = {
        "session": session,
        "lines": lines,
        "replies": sum(p.replies for line in lines for p in line.publications),
        "answered": sum(p.answered for line in lines for p in line.publications),
        "hashtag_messages": live_messages(session, limit=200),
    }
    return render(request, "inbox/live_summary.html", context)
