"""Flows on posts: create, edit with optimistic locking, move, comment, send back."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from editorial.models import Campaign, Notification, Post, PostChange, PostComment
from editorial.validation import TargetCheck, check_target
from museumcm.phrases import Phrase, phrase, render
from publishing.adapters.base import media_info
from publishing.models import Publication, SocialAccount
from publishing.moves import Move
from publishing.services import publications_reschedule, publications_target, publications_withdraw


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %z") if value else ""


def notify(*, recipients, kind: str, event: Phrase, url: str) -> None:
    """Through the notification centre; kinds it does not know yet (mentions) are only recorded on the comment."""
    from editorial.models import Notification
    from editorial.services.notifications import notification_send

    if kind in Notification.Kind.values and recipients:
        notification_send(recipients=recipients, kind=kind, event=event, url=url)


class PostConflict(Exception):
    """Someone saved the post since this form was opened; `current` is what they saved."""

    def __init__(self, current: Post):
        super().__init__(f"post {current.pk} is at version {current.version}")
        self.current = current


class PostNotEditable(Exception):
    """The post can no longer change this way (e.g. moved into the past)."""


@transaction.atomic
def post_create(
    *,
    author,
    title: str,
    text: str,
    scheduled_at: datetime | None,
    accounts: Iterable[SocialAccount],
    campaign: Campaign | None = None,
    link: str = "",
    texts: dict[int, str] | None = None,
    options: dict[int, dict] | None = None,
) -> Post:
    """A draft post, with one pending publication per target account starting from the master text."""
    post = Post.objects.create(
        author=author, title=title, text=text, scheduled_at=scheduled_at, campaign=campaign, link=link
    )
    publications_target(post=post, accounts=accounts, texts=texts, options=options)
    _record(post, author, phrase(gettext_noop("Created")))
    return post


def _snapshot(post: Post) -> dict[str, tuple[str, str]]:
    """code → (label shown to people, value) of everything the history records."""
    snap = {
        "title": (phrase(gettext_noop("Title")), post.title),
        "text": (phrase(gettext_noop("Text")), post.text),
        "link": (phrase(gettext_noop("Link")), post.link),
        "campaign": (phrase(gettext_noop("Campaign")), str(post.campaign or "")),
        "scheduled_at": (phrase(gettext_noop("Scheduled at")), _local(post.scheduled_at)),
    }
    pubs = post.publications.select_related("account").exclude(state=Publication.State.CANCELLED)
    snap["targets"] = (phrase(gettext_noop("Targets")), ", ".join(sorted(str(p.account) for p in pubs)))
    for pub in pubs:
        snap[f"text@{pub.account_id}"] = (
            phrase(gettext_noop("Text on %(account)s"), account=str(pub.account)),
            pub.text,
        )
    return snap


# What sends an approved post back to review: what the manager approved (not the title or the campaign).
_REVIEWED = {"text", "scheduled_at", "targets", "link", "media"}


def _diff(before: dict, after: dict) -> list[list[str]]:
    """The history's `changes`: a list of `[label, before, after]`."""
    empty = ("", "")
    return [
        [(after.get(code) or before.get(code))[0], before.get(code, empty)[1], after.get(code, empty)[1]]
        for code in {**before, **after}
        if before.get(code, empty)[1] != after.get(code, empty)[1]
    ], {code for code in {**before, **after} if before.get(code, empty)[1] != after.get(code, empty)[1]}


def _needs_review(codes: set[str]) -> bool:
    return any(code in _REVIEWED or code.startswith("text@") for code in codes)


@transaction.atomic
def post_update(
    *,
    post: Post,
    by,
    version: int,
    title: str,
    text: str,
    link: str,
    campaign: Campaign | None,
    scheduled_at: datetime | None,
    accounts: Iterable[SocialAccount],
    texts: dict[int, str],
    options: dict[int, dict] | None = None,
) -> Post:
    """Save an edit made from `version`; raises PostConflict if someone saved in between.

    The version check is a compare-and-set, so of two concurrent saves exactly one wins. An approved post whose
    reviewed content changed goes back to review and its publications are withdrawn.
    """
    claimed = Post.objects.filter(pk=post.pk, version=version).update(version=F("version") + 1)
    if claimed != 1:
        raise PostConflict(Post.objects.select_related("campaign").get(pk=post.pk))
    post = Post.objects.select_for_update().get(pk=post.pk)
    before = _snapshot(post)
    post.title, post.text, post.link, post.campaign, post.scheduled_at = title, text, link, campaign, scheduled_at
    post.save()
    publications_target(post=post, accounts=accounts, texts=texts, options=options)
    changes, codes = _diff(before, _snapshot(post))
    if changes:
        _after_change(post, by=by, changes=changes, codes=codes, summary=phrase(gettext_noop("Edited")))
    return post


def _after_change(post: Post, *, by, changes: list, codes: set[str], summary: Phrase | str) -> None:
    if post.is_approved and _needs_review(codes):
        Post.objects.filter(pk=post.pk).update(status=Post.Status.IN_REVIEW)
        post.status = Post.Status.IN_REVIEW
        publications_withdraw(post=post)
        summary = phrase(gettext_noop("%(summary)s after approval: back to review"), summary=summary)
    publications_reschedule(post=post)
    _record(post, by, summary, changes)


def _record(post: Post, by, summary: Phrase | str, changes: list | None = None) -> None:
    """A line of the post's history: the summary kept as a phrase, shown in each reader's language."""
    event = summary if isinstance(summary, dict) else {}
    PostChange.objects.create(post=post, user=by, summary=render(summary)[:300], event=event, changes=changes or [])


@transaction.atomic
def post_move(*, post: Post, by, scheduled_at: datetime) -> Post:
    """Move a post to another time (drag and drop or the Move form); never into the past."""
    if scheduled_at <= timezone.now():
        raise PostNotEditable(_("A post cannot be moved into the past."))
    if post.publications.exclude(state__in=[Publication.State.PENDING, Publication.State.DUE]).exists():
        raise PostNotEditable(_("This post has already started publishing; it cannot move."))
    before = post.scheduled_at
    Post.objects.filter(pk=post.pk).update(scheduled_at=scheduled_at, version=F("version") + 1)
    post.refresh_from_db()
    changes = [[phrase(gettext_noop("Scheduled at")), _local(before), _local(scheduled_at)]]
    _after_change(post, by=by, changes=changes, codes={"scheduled_at"}, summary=phrase(gettext_noop("Moved")))
    return post


@transaction.atomic  # "publish now" records its move outside any transaction of its own
def post_publication_moved(move: Move) -> None:
    """A publication of the post moved in time (publishing.moves): a line in the post's history, and back to
    review like any other edit when the move changed what was approved."""
    publication = move.publication
    post = Post.objects.select_for_update().get(pk=publication.post_id)
    account = str(publication.account)
    published_now, moved_on = gettext_noop("Published now on %(account)s"), gettext_noop("Moved on %(account)s")
    summary = phrase(published_now if move.sent_now else moved_on, account=account)
    if move.back_to_review and post.is_approved:
        Post.objects.filter(pk=post.pk).update(status=Post.Status.IN_REVIEW, version=F("version") + 1)
        publications_withdraw(post=post)
        summary = phrase(gettext_noop("%(summary)s after approval: back to review"), summary=summary)
    changes = [[phrase(gettext_noop("Time on %(account)s"), account=account), _local(move.before), _local(move.after)]]
    _record(post, move.by, summary, changes)


def post_media_changed(*, post: Post, by, summary: str) -> None:
    """A media was added, described or removed: recorded, and an approved post goes back to review."""
    Post.objects.filter(pk=post.pk).update(version=F("version") + 1)
    post.refresh_from_db()
    changes = [[phrase(gettext_noop("Media")), "", summary]]
    _after_change(post, by=by, changes=changes, codes={"media"}, summary=summary)


def post_checks(*, post: Post) -> list[TargetCheck]:
    """Validation of every target of a saved post (the gate before review)."""
    media = [media_info(m) for m in post.media.all()]
    return [
        check_target(pub.account, pub.text, media, post.link)
        for pub in post.publications.select_related("account").exclude(state=Publication.State.CANCELLED)
    ]


def post_has_errors(*, post: Post) -> bool:
    return any(check.errors for check in post_checks(post=post))


@transaction.atomic
def post_comment(*, post: Post, author, text: str) -> PostComment:
    """An internal comment; @username mentions are linked and notified."""
    comment = PostComment.objects.create(post=post, author=author, text=text)
    names = PostComment.mentioned_usernames(text)
    mentioned = list(get_user_model().objects.active().filter(username__in=names).exclude(pk=author.pk))
    comment.mentions.set(mentioned)
    notify(
        recipients=mentioned,
        kind=Notification.Kind.MENTIONED,
        event=phrase(gettext_noop("%(user)s mentioned you on “%(post)s”."), user=str(author), post=post.title),
        url=post.get_absolute_url(),
    )
    return comment


@transaction.atomic
def post_send_back(*, post: Post, by, comment: str) -> Post:
    """A manager sends one post back to its author with a comment; it returns to draft."""
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT, version=F("version") + 1)
    post.refresh_from_db()
    publications_withdraw(post=post)
    PostComment.objects.create(post=post, author=by, text=comment)
    _record(post, by, phrase(gettext_noop("Sent back: %(comment)s"), comment=comment[:250]))
    notify(
        recipients=[post.author],
        kind=Notification.Kind.POST_SENT_BACK,
        event=phrase(
            gettext_noop("%(user)s sent “%(post)s” back: %(comment)s"), user=str(by), post=post.title, comment=comment
        ),
        url=post.get_absolute_url(),
    )
    return post
