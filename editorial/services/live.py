"""Flows of the live desk: prepare a session's run sheet, approve it as a whole, fire its posts by a tap.

A run-sheet entry is an ordinary post (so editing an approved one sends it back to review like any edit); a tap
publishes it now on every target through the publishing pipeline, on the queue that jumps scheduled publications.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from editorial.models import LiveSession, MuseumEvent, Post
from editorial.services.posts import _record, post_create, post_has_errors
from museumcm.phrases import phrase
from publishing.live import publications_send_live
from publishing.models import Publication, SocialAccount
from publishing.services import publications_queue

State = Publication.State


class LiveRefused(Exception):
    """The tap or the OK is not allowed now; the message says why."""


@transaction.atomic
def live_session_create(
    *, by, title: str, event: MuseumEvent, accounts: Iterable[SocialAccount], hashtag: str = "", as_thread: bool = True
) -> LiveSession:
    session = LiveSession.objects.create(
        title=title, event=event, hashtag=hashtag.strip().lstrip("#"), as_thread=as_thread, created_by=by
    )
    session.accounts.set(accounts)
    return session


@transaction.atomic
def live_post_add(
    *,
    session: LiveSession,
    by,
    text: str,
    title: str = "",
    texts: dict[int, str] | None = None,
    planned_at: datetime | None = None,
    quick: bool = False,
) -> Post:
    """A post at the end of the run sheet, on every account of the session; a draft until the session's approval."""
    post = post_create(
        author=by,
        title=title or _title_of(text),
        text=text,
        scheduled_at=None,
        accounts=session.accounts.all(),
        texts=texts,
    )
    position = (session.posts.aggregate(last=Max("live_position"))["last"] or 0) + 1
    Post.objects.filter(pk=post.pk).update(
        live_session=session, live_position=position, planned_at=planned_at, quick=quick
    )
    post.refresh_from_db()
    return post


def _title_of(text: str) -> str:
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else _("Live post")
    return first[:80]


@transaction.atomic
def live_session_approve(*, session: LiveSession, by) -> list[Post]:
    """Approve the session and every post of its run sheet waiting for review (those without errors): each tap then
    needs no further review. Returns the posts left out because a target has an error."""
    blocked = []
    waiting = session.posts.filter(status__in=[Post.Status.DRAFT, Post.Status.IN_REVIEW], live_fired_at=None)
    for post in waiting:
        if post_has_errors(post=post):
            blocked.append(post)
            continue
        _approve(post, by)
    LiveSession.objects.filter(pk=session.pk).update(approved_by=by, approved_at=timezone.now())
    session.refresh_from_db()
    return blocked


def _approve(post: Post, by) -> None:
    Post.objects.filter(pk=post.pk).update(status=Post.Status.APPROVED)
    post.status = Post.Status.APPROVED
    publications_queue(post=post)
    _record(post, by, phrase(gettext_noop("Approved with its live session")))


@transaction.atomic
def live_post_fire(*, post: Post, by) -> list[int]:
    """Publish the post now on every target, once: the first tap claims it, any later one (a double tap, a retried
    request) finds it claimed and sends nothing. Returns the publications sent by this tap."""
    session = LiveSession.objects.select_for_update().get(pk=post.live_session_id)  # taps of a session in turn
    post = Post.objects.get(pk=post.pk)
    if post.live_fired_at is not None:
        return []
    if not (session.is_approved and post.is_approved):
        raise LiveRefused(_("This post is waiting for approval: it cannot go out yet."))
    now = timezone.now()
    Post.objects.filter(pk=post.pk, live_fired_at=None).update(live_fired_at=now)
    publications = list(post.publications.filter(state=State.DUE).select_related("account"))
    follows = _follows(session, post, publications) if session.as_thread else {}
    return publications_send_live(publications=publications, follows=follows, by=by)


def _follows(session: LiveSession, post: Post, publications: list[Publication]) -> dict[int, int]:
    """Each publication answers the session's previous post on its account, where the network has threads."""
    from publishing.adapters import ADAPTERS

    earlier = (
        Publication.objects.filter(post__live_session=session, post__live_fired_at__isnull=False)
        .exclude(post=post)
        .exclude(state__in=[State.FAILED, State.CANCELLED, State.PENDING])
        .order_by("account_id", "-post__live_fired_at", "-pk")
        .distinct("account_id")
    )
    previous = {p.account_id: p.pk for p in earlier}
    return {
        p.pk: previous[p.account_id]
        for p in publications
        if p.account_id in previous and ADAPTERS[p.account.behaves_as].can_chain
    }


def live_next_post(session: LiveSession) -> Post | None:
    """The run sheet's first post not yet fired."""
    return session.posts.filter(live_fired_at=None, quick=False).order_by("live_position", "pk").first()


@transaction.atomic
def live_quick_post(*, session: LiveSession, by, text: str) -> Post:
    """A post typed on the spot: it goes out at once, unless the session's setting asks for a second person's OK."""
    post = live_post_add(session=session, by=by, text=text, quick=True)
    if not session.is_approved:
        return post
    if session.quick_posts_need_ok:
        Post.objects.filter(pk=post.pk).update(status=Post.Status.IN_REVIEW)
        post.status = Post.Status.IN_REVIEW
        return post
    _approve(post, by)
    live_post_fire(post=post, by=by)
    return post


@transaction.atomic
def live_quick_post_ok(*, post: Post, by) -> list[int]:
    """A second person gives the quick post its OK: it is approved and goes out."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id == by.pk:
        raise LiveRefused(_("A quick post needs the OK of someone other than its author."))
    if post_has_errors(post=post):
        raise LiveRefused(_("This post has an error on one of its networks."))
    if not post.is_approved:
        _approve(post, by)
    return live_post_fire(post=post, by=by)
