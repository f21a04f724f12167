"""The post editor: create, edit (with conflict detection), validate live, media, comments, move, send back."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh, trigger_client_event

from editorial.forms.posts import (
    CommentForm,
    DescribeForm,
    MediaForm,
    MoveForm,
    PostForm,
    SendBackForm,
    post_form_initial,
)
from editorial.models import Media, Post
from editorial.services import media as media_services
from editorial.services import posts as services
from editorial.timeutils import with_offset
from editorial.uploads import refuse_oversized, upload_limit
from editorial.validation import check_target
from museumcm.http import safe_next
from publishing.adapters.base import media_info
from publishing.models import SocialAccount


def _post(pk: int) -> Post:
    return get_object_or_404(
        Post.objects.select_related("author", "campaign").prefetch_related("publications__account"), pk=pk
    )


def _say_when(request: HttpRequest, form) -> None:
    instant = form.instant
    if instant and instant.ambiguous:
        messages.warning(
            request,
            _("%(time)s occurs twice on %(day)s (the clocks go back): the post is scheduled at %(when)s.")
            % {
                "time": instant.at.strftime("%H:%M"),
                "day": date_format(instant.at.date(), "DATE_FORMAT"),
                "when": with_offset(instant.at),
            },
        )


@permission_required("editorial.add_post", raise_exception=True)
def post_new(request: HttpRequest) -> HttpResponse:
    initial = {"day": request.GET.get("day"), "at": request.GET.get("at") or "10:00"}
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        post = services.post_create(author=request.user, **kwargs)
        _say_when(request, form)
        messages.success(request, _("The draft “%(title)s” is saved.") % {"title": post.title})
        return redirect("post_edit", pk=post.pk)
    return render(request, "editorial/posts/form.html", {"form": form, "post": None})


@permission_required("editorial.change_post", raise_exception=True)
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    form = PostForm(request.POST or None, initial=post_form_initial(post), post=post)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                post=post, by=request.user, version=form.cleaned_data["version"] or 0, **form.service_kwargs()
            )
        except services.PostConflict as error:
            conflict = error.current
            form.data = form.data.copy()
            form.data["version"] = conflict.version  # saving again now deliberately replaces their version
        else:
            _say_when(request, form)
            messages.success(request, _("The post is saved."))
            return redirect(reverse("post_edit", args=[post.pk]) + "#post-form")
    return render(request, "editorial/posts/form.html", _editor_context(post, form, conflict=conflict))


def _editor_context(post: Post, form, **extra) -> dict:
    return {
        "form": form,
        "post": post,
        "media_form": MediaForm(),
        "comment_form": CommentForm(),
        "media": list(post.media.all()),
        "comments": post.comments.select_related("author").prefetch_related("mentions"),
        "history": post.changes.select_related("user")[:50],
        **extra,
    }


@require_POST
def post_validate(request: HttpRequest) -> HttpResponse:
    """The live check as the user types: one card per chosen target with its problems and a preview."""
    if not (request.user.has_perm("editorial.add_post") or request.user.has_perm("editorial.change_post")):
        raise PermissionDenied
    data = request.POST
    post = Post.objects.filter(pk=data.get("post") or 0).first()
    media = list(post.media.all()) if post else []
    infos = [media_info(m) for m in media]
    ids = [v for v in data.getlist("accounts") if v.isdigit()]
    checks = [
        check_target(
            account, (data.get(f"text_{account.pk}") or "").strip() or data.get("text", ""), infos, data.get("link", "")
        )
        for account in SocialAccount.objects.filter(pk__in=ids).order_by("network", "handle")
    ]
    return render(request, "editorial/posts/form.html#validation", {"checks": checks, "media": media})


@permission_required("editorial.view_post", raise_exception=True)
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    context = {
        "post": post,
        "checks": services.post_checks(post=post),
        "media": list(post.media.all()),
        "comments": post.comments.select_related("author"),
        "comment_form": CommentForm(),
        "send_back_form": SendBackForm(),
    }
    template = "editorial/posts/detail.html#panel" if request.htmx else "editorial/posts/detail.html"
    return render(request, template, context)


@permission_required("editorial.view_post", raise_exception=True)
def post_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The post's status on each network (publishing's block), polled by htmx while a publication is moving."""
    return render(request, "publishing/_publication_status.html", {"post": get_object_or_404(Post, pk=pk)})


@require_POST
@permission_required("editorial.change_post", raise_exception=True)
@upload_limit("UPLOAD_MAX_BYTES")
def media_add(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    form = MediaForm(request.POST, request.FILES)
    refuse_oversized(request, form)
    if form.is_valid():
        media = media_services.media_add(
            post=post,
            by=request.user,
            file=form.cleaned_data["file"],
            checked=form.checked,
            alt_text=form.cleaned_data["alt_text"].strip(),
        )
        if form.lacks_alt_text:
            messages.warning(request, _("The image is added without alt text: describe it below before review."))
            return redirect(reverse("post_edit", args=[post.pk]) + f"#alt-{media.pk}")
        messages.success(request, _("The file is added."))
        return redirect(reverse("post_edit", args=[post.pk]) + "#media-title")
    form_ = PostForm(initial=post_form_initial(post), post=post)
    return render(
        request, "editorial/posts/form.html", {**_editor_context(post, form_), "media_form": form}, status=400
    )


@require_POST
@permission_required("editorial.change_post", raise_exception=True)
def media_delete(request: HttpRequest, pk: int, media_pk: int) -> HttpResponse:
    media = get_object_or_404(Media, pk=media_pk, post_id=pk)
    media_services.media_remove(media=media, by=request.user)
    messages.success(request, _("The file is removed."))
    return redirect(reverse("post_edit", args=[pk]) + "#media-title")


@require_POST
@permission_required("editorial.change_post", raise_exception=True)
def media_describe(request: HttpRequest, pk: int, media_pk: int) -> HttpResponse:
    media = get_object_or_404(Media, pk=media_pk, post_id=pk)
    form = DescribeForm(request.POST, kind=media.kind)
    if form.is_valid():
        media_services.media_describe(media=media, by=request.user, alt_text=form.cleaned_data["alt_text"])
        messages.success(request, _("The description is saved."))
    else:
        messages.error(request, " ".join(form.errors["alt_text"]))
    return redirect(reverse("post_edit", args=[pk]) + f"#alt-{media.pk}")


@require_POST
@permission_required("editorial.comment_post", raise_exception=True)
def post_comment(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.post_comment(post=post, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment is added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(safe_next(request, post.get_absolute_url()))


@permission_required("editorial.change_post", raise_exception=True)
def post_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a post: the target of drag and drop (htmx), and a plain form for the keyboard and without JS."""
    post = _post(pk)
    form = MoveForm(request.POST or None, initial=_move_initial(post, request))
    if request.method == "POST" and form.is_valid():
        try:
            services.post_move(post=post, by=request.user, scheduled_at=form.cleaned_data["scheduled_at"])
        except services.PostNotEditable as error:
            form.add_error(None, str(error))
        else:
            return _moved(request, post, form)
    if request.htmx and request.method == "POST":
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return render(request, "editorial/posts/move.html#status", {"errors": errors, "post": post})
    return render(request, "editorial/posts/move.html", {"form": form, "post": post})


def _move_initial(post: Post, request: HttpRequest) -> dict:
    local = timezone.localtime(post.scheduled_at) if post.scheduled_at else None
    return {"day": request.GET.get("day") or (local and local.date()), "at": local and local.strftime("%H:%M")}


def _moved(request: HttpRequest, post: Post, form) -> HttpResponse:
    post.refresh_from_db()
    when = timezone.localtime(post.scheduled_at)
    text = _("“%(title)s” moved to %(day)s at %(time)s.") % {
        "title": post.title,
        "day": date_format(when.date(), "DATE_FORMAT"),
        "time": with_offset(when),
    }
    if request.htmx:
        response = render(request, "editorial/posts/move.html#status", {"moved": text, "post": post})
        return trigger_client_event(response, "calendar-changed")
    _say_when(request, form)
    messages.success(request, text)
    return redirect(f"{reverse('calendar')}?month={when:%Y-%m}")


@require_POST
@permission_required("editorial.approve_week", raise_exception=True)
def post_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what should change when sending a post back."))
    else:
        services.post_send_back(post=post, by=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, _("“%(title)s” is sent back to its author.") % {"title": post.title})
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(safe_next(request, post.get_absolute_url()))
