"""The live desk: sessions, a session's run sheet with its tap buttons, approval, quick posts, the manager's setting.

Phones first: the run sheet is one column of posts, each with one big button and its per-network status, which polls
(htmx) while a publication is on its way.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editorial.forms.live import LivePostForm, LiveSessionForm, LiveSettingsForm, QuickPostForm
from editorial.models import LiveSession, Post
from editorial.services import live as services
from museumcm.http import HtmxHttpRequest

ENTRY = "editorial/live/_entry.html"


@permission_required("editorial.view_post", raise_exception=True)
def live_sessions(request: HttpRequest) -> HttpResponse:
    form = LiveSessionForm(request.POST or None)
    if request.method == "POST" and request.user.has_perm("editorial.add_post") and form.is_valid():
        data = form.cleaned_data
        session = services.live_session_create(
            by=request.user,
            title=data["title"],
            event=data["event"],
            accounts=data["accounts"],
            hashtag=data["hashtag"],
            as_thread=data["as_thread"],
        )
        return redirect(session)
    sessions = LiveSession.objects.select_related("event")
    return render(request, "editorial/live/list.html", {"sessions": sessions, "form": form})


def _entries(session: LiveSession) -> list[Post]:
    return list(session.posts.prefetch_related("publications__account", "media").order_by("live_position", "pk"))


@permission_required("editorial.view_post", raise_exception=True)
def live_desk(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(LiveSession.objects.select_related("event", "approved_by"), pk=pk)
    entries = _entries(session)
    context = {
        "session": session,
        "entries": entries,
        "next": next((p for p in entries if p.live_fired_at is None and not p.quick), None),
        "post_form": LivePostForm(),
        "quick_form": QuickPostForm(),
        "settings_form": LiveSettingsForm(instance=session),
        "can_change": request.user.has_perm("editorial.change_post"),
        "can_approve": request.user.has_perm("editorial.approve_week"),
    }
    return render(request, "editorial/live/desk.html", context)


@require_POST
@permission_required("editorial.add_post", raise_exception=True)
def live_post_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(LiveSession, pk=pk)
    form = LivePostForm(request.POST)
    if form.is_valid():
        services.live_post_add(
            session=session, by=request.user, text=form.cleaned_data["text"], planned_at=form.planned_at(session)
        )
        messages.success(request, _("The post is added to the run sheet."))
    else:
        messages.error(request, _("The post was not added: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect(session)


@require_POST
@permission_required("editorial.approve_week", raise_exception=True)
def live_approve(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(LiveSession, pk=pk)
    blocked = services.live_session_approve(session=session, by=request.user)
    messages.success(request, _("The live session is approved: its posts are ready to go out."))
    for post in blocked:
        messages.warning(request, _("“%(post)s” has an error on a network and stays in draft.") % {"post": post})
    return redirect(session)


@require_POST
@permission_required("editorial.approve_week", raise_exception=True)
def live_settings(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(LiveSession, pk=pk)
    form = LiveSettingsForm(request.POST, instance=session)
    if form.is_valid():
        form.save()
        messages.success(request, _("The setting is saved."))
    return redirect(session)


def _entry(request: HtmxHttpRequest, session: LiveSession, post: Post) -> HttpResponse:
    if not request.htmx:
        return redirect(f"{session.get_absolute_url()}#entry-{post.pk}")
    post = next(p for p in _entries(session) if p.pk == post.pk)
    can_change = request.user.has_perm("editorial.change_post")
    return render(request, ENTRY, {"session": session, "post": post, "can_change": can_change})


@require_POST
@permission_required("editorial.change_post", raise_exception=True)
def live_fire(request: HtmxHttpRequest, pk: int, post_pk: int) -> HttpResponse:
    """The tap. Idempotent: a double tap or a retried request finds the post already fired and sends nothing."""
    session = get_object_or_404(LiveSession, pk=pk)
    post = get_object_or_404(session.posts, pk=post_pk)
    try:
        services.live_post_fire(post=post, by=request.user)
    except services.LiveRefused as refusal:
        messages.error(request, str(refusal))
    return _entry(request, session, post)


@permission_required("editorial.view_post", raise_exception=True)
def live_entry(request: HtmxHttpRequest, pk: int, post_pk: int) -> HttpResponse:
    """One run-sheet post with its per-network status (polled while a publication is on its way)."""
    session = get_object_or_404(LiveSession, pk=pk)
    return _entry(request, session, get_object_or_404(session.posts, pk=post_pk))


@require_POST
@permission_required("editorial.change_post", raise_exception=True)
def live_quick(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(LiveSession, pk=pk)
    form = QuickPostForm(request.POST)
    if form.is_valid():
        post = services.live_quick_post(session=session, by=request.user, text=form.cleaned_data["text"])
        if post.live_fired_at:
            messages.success(request, _("The quick post is on its way."))
        else:
            messages.info(request, _("The quick post waits for a second person's OK."))
    return redirect(session)


@require_POST
@permission_required("editorial.change_post", raise_exception=True)
def live_quick_ok(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    session = get_object_or_404(LiveSession, pk=pk)
    post = get_object_or_404(session.posts, pk=post_pk, quick=True)
    try:
        services.live_quick_post_ok(post=post, by=request.user)
        messages.success(request, _("The quick post is on its way."))
    except services.LiveRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(session)
