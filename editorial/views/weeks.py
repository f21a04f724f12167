"""The weekly approval: the review page of an ISO week, submitting it, approving it."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from editorial.forms.posts import SendBackForm
from editorial.models import Post
from editorial.selectors import week_approvals
from editorial.services import weeks as services
from editorial.services.posts import post_checks
from editorial.services.weeks import IsoWeek
from editorial.timeutils import in_calendar


def _iso(year: int, week: int) -> IsoWeek:
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise Http404 from error
    if not in_calendar(monday):
        raise Http404
    return IsoWeek(year, week)


@permission_required("editorial.view_post", raise_exception=True)
def week_review(request: HttpRequest, year: int, week: int) -> HttpResponse:
    """Every post of the week with its per-network texts, problems and previews."""
    iso = _iso(year, week)
    posts = list(iso.posts().for_calendar().prefetch_related("media"))
    context = {
        "week": iso,
        "approval": week_approvals([iso.monday]).get((year, week)),
        "reviews": [{"post": post, "checks": post_checks(post=post)} for post in posts],
        "in_review": sum(1 for p in posts if p.status == Post.Status.IN_REVIEW),
        "send_back_form": SendBackForm(),
    }
    return render(request, "editorial/weeks/review.html", context)


@require_POST
@permission_required("editorial.submit_week", raise_exception=True)
def week_submit(request: HttpRequest, year: int, week: int) -> HttpResponse:
    iso = _iso(year, week)
    result = services.week_submit(week=iso, by=request.user)
    done = ngettext(
        "%(n)s post of %(week)s is submitted for approval.",
        "%(n)s posts of %(week)s are submitted for approval.",
        len(result.submitted),
    )
    _tell(request, done % {"n": len(result.submitted), "week": iso}, result.blocked, _STILL_IN_DRAFT)
    return redirect(iso.url)


@require_POST
@permission_required("editorial.approve_week", raise_exception=True)
def week_approve(request: HttpRequest, year: int, week: int) -> HttpResponse:
    iso = _iso(year, week)
    result = services.week_approve(week=iso, by=request.user, versions=_versions(request.POST))
    done = ngettext(
        "%(week)s is approved: %(n)s post is scheduled.",
        "%(week)s is approved: %(n)s posts are scheduled.",
        len(result.approved),
    )
    _tell(request, done % {"n": len(result.approved), "week": iso}, result.changed, _CHANGED_SINCE_SEEN)
    return redirect(iso.url)


_STILL_IN_DRAFT = gettext_lazy("Still in draft because a network refuses them: %(titles)s. Fix them and submit again.")
_CHANGED_SINCE_SEEN = gettext_lazy(
    "Changed since you opened the week, so still in review: %(titles)s. Review them again."
)


def _tell(request: HttpRequest, done: str, left: list[Post], why) -> None:
    """What was done, and which posts were left out and why (by title)."""
    messages.success(request, done)
    if left:
        messages.warning(request, str(why) % {"titles": ", ".join(f"“{post.title}”" for post in left)})


def _versions(data) -> dict[int, int]:
    """`version_<post pk>` fields of the approval form: the version of each post as the manager saw it."""
    versions = {}
    for name, value in data.items():
        pk, version = name.removeprefix("version_"), value
        if name.startswith("version_") and pk.isdigit() and version.isdigit():
            versions[int(pk)] = int(version)
    return versions
