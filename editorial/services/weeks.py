"""The weekly approval: a community manager submits an ISO week, a manager approves it."""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from editorial.models import Notification, Post, WeekApproval
from editorial.services.posts import notify, post_has_errors
from museumcm.phrases import Phrase, phrase, render
from publishing.services import publications_queue


@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def of(cls, day: date) -> "IsoWeek":
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the week in the institution's time zone, as aware instants.

        Not the viewer's zone: a submitter in Paris and an approver travelling in Montréal must mean the same posts
        by "week 12", or a post on Monday 02:00 would be submitted by one and never shown to the other.
        """
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        start = datetime.combine(self.monday, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(self.monday + timedelta(days=7), datetime.min.time(), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def posts(self):
        return Post.objects.between(*self.bounds())

    @property
    def url(self) -> str:
        return reverse("week_review", args=[self.year, self.week])

    def __str__(self) -> str:
        return render(self.phrase())

    def phrase(self) -> Phrase:
        return phrase(gettext_noop("week %(week)s of %(year)s"), week=self.week, year=self.year)


def week_approval(week: IsoWeek) -> WeekApproval:
    return WeekApproval.objects.get_or_create(year=week.year, week=week.week)[0]


@dataclass(frozen=True)
class SubmitResult:
    submitted: list[Post]
    blocked: list[Post]  # posts with a target error: they stay in draft


@transaction.atomic
def week_submit(*, week: IsoWeek, by) -> SubmitResult:
    """Every draft or in-review post of the week without target errors goes to review; managers are told."""
    submitted, blocked = [], []
    for post in week.posts().filter(status__in=[Post.Status.DRAFT, Post.Status.IN_REVIEW]):
        (blocked if post_has_errors(post=post) else submitted).append(post)
    Post.objects.filter(pk__in=[p.pk for p in submitted]).update(status=Post.Status.IN_REVIEW)
    WeekApproval.objects.update_or_create(
        year=week.year,
        week=week.week,
        defaults={"state": WeekApproval.State.SUBMITTED, "submitted_by": by, "submitted_at": timezone.now()},
    )
    managers = get_user_model().objects.active().filter(groups__permissions__codename="approve_week").distinct()
    notify(
        recipients=[m for m in managers if m.pk != by.pk],
        kind=Notification.Kind.WEEK_SUBMITTED,
        event=phrase(
            gettext_noop("%(user)s submitted %(week)s for approval (%(n)s posts)."),
            user=str(by),
            week=week.phrase(),
            n=len(submitted),
        ),
        url=week.url,
    )
    return SubmitResult(submitted=submitted, blocked=blocked)


@dataclass(frozen=True)
class ApprovalResult:
    approved: list[Post]
    changed: list[Post]  # edited (or put in review) since the manager opened the week: they stay in review


@transaction.atomic
def week_approve(*, week: IsoWeek, by, versions: dict[int, int]) -> ApprovalResult:
    """Approve the week's in-review posts exactly as the manager saw them, and queue their publications.

    `versions` maps each post the manager reviewed to the version shown. A post edited since (its version moved on),
    or not shown at all, stays in review and is returned in `changed`: nobody approves a text they never saw. Each
    approval is a compare-and-set on the version, so an edit saved at the same moment cannot slip through.
    """
    in_review = list(week.posts().filter(status=Post.Status.IN_REVIEW).select_related("author"))
    approved, changed = [], []
    for post in in_review:
        seen = versions.get(post.pk)
        claimed = seen is not None and Post.objects.filter(
            pk=post.pk, version=seen, status=Post.Status.IN_REVIEW
        ).update(status=Post.Status.APPROVED)
        (approved if claimed else changed).append(post)
    for post in approved:
        post.status = Post.Status.APPROVED
        publications_queue(post=post)
    _record_approval(week=week, by=by, posts=approved, complete=not changed)
    return ApprovalResult(approved=approved, changed=changed)


def _record_approval(*, week: IsoWeek, by, posts: list[Post], complete: bool) -> None:
    """Who approved and when; the week shows as approved only once nothing of it waits in review."""
    defaults = {"approved_by": by, "approved_at": timezone.now()}
    if complete:
        defaults["state"] = WeekApproval.State.APPROVED
    WeekApproval.objects.update_or_create(year=week.year, week=week.week, defaults=defaults)
    notify(
        recipients=[p.author for p in posts if p.author_id != by.pk],
        kind=Notification.Kind.WEEK_APPROVED,
        event=phrase(gettext_noop("%(user)s approved %(week)s."), user=str(by), week=week.phrase()),
        url=week.url,
    )
