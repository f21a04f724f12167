"""The ideas board: propose, filter, comment, accept into a draft, decline."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editorial.forms.ideas import (
    IdeaAcceptForm,
    IdeaCommentForm,
    IdeaDeclineForm,
    IdeaFilterForm,
    IdeaForm,
    IdeaImageFormSet,
)
from editorial.models import Idea
from editorial.services import ideas as services
from editorial.uploads import refuse_oversized, upload_limit

BOARD_LIMIT = 60  # per column: the board is for what is current, the filters find the rest


def _board(ideas) -> list[dict]:
    columns = []
    for status, label in Idea.Status.choices:
        column = ideas.filter(status=status)
        columns.append({"status": status, "label": label, "ideas": list(column[:BOARD_LIMIT])})
    return columns


@permission_required("editorial.view_idea", raise_exception=True)
def idea_board(request):
    proposers = get_user_model().objects.filter(ideas__isnull=False).distinct().order_by("display_name", "username")
    filters = IdeaFilterForm(request.GET or None, proposers=proposers)
    ideas = (
        Idea.objects.select_related("proposer")
        .annotate(image_count=Count("images", distinct=True), comment_count=Count("comments", distinct=True))
        .order_by("-created_at", "-pk")
    )  # Meta.ordering does not apply to aggregate queries
    if filters.is_valid():
        data = filters.cleaned_data
        ideas = ideas.search(kind=data["kind"], proposer=data["proposer"], network=data["network"], text=data["q"])
    context = {"columns": _board(ideas), "filters": filters}
    template = "editorial/ideas/board.html#board" if request.htmx else "editorial/ideas/board.html"
    return render(request, template, context)


@permission_required("editorial.add_idea", raise_exception=True)
@upload_limit("IMAGE_MAX_BYTES")
def idea_create(request):
    form = IdeaForm(request.POST or None)
    images = IdeaImageFormSet(request.POST or None, request.FILES or None, prefix="images")
    if request.method == "POST":
        refuse_oversized(request, *images.forms)
    if request.method == "POST" and form.is_valid() and images.is_valid():
        checked = [
            (row.cleaned_data["file"], row.cleaned_data["alt_text"].strip(), row.checked)
            for row in images
            if row.cleaned_data.get("file")
        ]
        idea = services.idea_propose(proposer=request.user, images=checked, **form.cleaned_data)
        messages.success(request, _("Your idea is proposed. The community managers will review it."))
        return redirect(idea)
    files_lost = request.method == "POST" and bool(request.FILES)
    return render(request, "editorial/ideas/form.html", {"form": form, "images": images, "files_lost": files_lost})


def _detail_context(request, idea: Idea, **forms) -> dict:
    return {
        "idea": idea,
        "comments": idea.comments.select_related("author"),
        "comment_form": forms.get("comment_form") or IdeaCommentForm(),
        "accept_form": forms.get("accept_form") or IdeaAcceptForm(idea=idea),
        "decline_form": forms.get("decline_form") or IdeaDeclineForm(),
        "can_review": request.user.has_perm("editorial.review_idea"),
    }


def _get_idea(pk: int) -> Idea:
    return get_object_or_404(Idea.objects.select_related("proposer", "reviewed_by", "post"), pk=pk)


@permission_required("editorial.view_idea", raise_exception=True)
def idea_detail(request, pk: int):
    idea = _get_idea(pk)
    return render(request, "editorial/ideas/detail.html", _detail_context(request, idea))


@require_POST
@permission_required("editorial.view_idea", raise_exception=True)
def idea_comment(request, pk: int):
    idea = _get_idea(pk)
    form = IdeaCommentForm(request.POST)
    if form.is_valid():
        services.idea_comment(idea=idea, author=request.user, text=form.cleaned_data["text"])
        if request.htmx:
            return render(request, "editorial/ideas/detail.html#comments", _detail_context(request, idea))
        return redirect(idea)
    context = _detail_context(request, idea, comment_form=form)
    template = "editorial/ideas/detail.html#comments" if request.htmx else "editorial/ideas/detail.html"
    return render(request, template, context, status=400)


@require_POST
@permission_required("editorial.review_idea", raise_exception=True)
def idea_accept(request, pk: int):
    idea = _get_idea(pk)
    form = IdeaAcceptForm(request.POST, idea=idea)
    if not form.is_valid():
        return render(
            request, "editorial/ideas/detail.html", _detail_context(request, idea, accept_form=form), status=400
        )
    data = form.cleaned_data
    try:
        if idea.status == Idea.Status.ACCEPTED:
            services.idea_make_post(
                idea=idea,
                by=request.user,
                accounts=data["accounts"],
                scheduled_at=data["scheduled_at"],
                campaign=data["campaign"],
            )
        else:
            services.idea_accept(idea=idea, by=request.user, **data)
    except services.IdeaAlreadyReviewed as error:
        messages.error(request, str(error))
        return redirect(idea)
    idea.refresh_from_db()
    if idea.post:
        messages.success(request, _("Idea accepted: its draft post is ready to write."))
        return redirect(idea.post.get_absolute_url())
    messages.success(request, _("Idea accepted. Make its post when the time comes."))
    return redirect(idea)


@require_POST
@permission_required("editorial.review_idea", raise_exception=True)
def idea_decline(request, pk: int):
    idea = _get_idea(pk)
    form = IdeaDeclineForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, idea, decline_form=form)
        return render(request, "editorial/ideas/detail.html", context, status=400)
    try:
        services.idea_decline(idea=idea, by=request.user, reason=form.cleaned_data["reason"])
    except services.IdeaAlreadyReviewed as error:
        messages.error(request, str(error))
        return redirect(idea)
    messages.success(request, _("Idea declined; %(name)s is told why.") % {"name": idea.proposer})
    return redirect(idea)
