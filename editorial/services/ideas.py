"""Flows on ideas: propose, comment, accept into a draft post, decline with a reason."""

from collections.abc import Iterable
from datetime import datetime

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from editorial.models import Campaign, Idea, IdeaComment, IdeaImage, Media, Notification, Post
from editorial.services.media import media_make_thumbnail
from editorial.services.notifications import notification_send
from editorial.services.posts import post_create
from editorial.uploads import CheckedUpload
from museumcm.phrases import phrase

Status = Idea.Status


class IdeaAlreadyReviewed(Exception):
    """Someone else accepted or declined the idea first (or it was already used)."""


@transaction.atomic
def idea_propose(
    *,
    proposer,
    title: str,
    pitch: str,
    kind: str,
    reference: str = "",
    suggested_from=None,
    suggested_until=None,
    suggested_networks: Iterable[str] = (),
    images: Iterable[tuple[File, str, CheckedUpload]] = (),
) -> Idea:
    """A new idea from anyone on the team; `images` are (file, alt text, checked info) triples."""
    idea = Idea.objects.create(
        proposer=proposer,
        title=title,
        pitch=pitch,
        kind=kind,
        reference=reference,
        suggested_from=suggested_from,
        suggested_until=suggested_until or suggested_from,
        suggested_networks=list(suggested_networks),
    )
    for position, (upload, alt_text, info) in enumerate(images):
        IdeaImage.objects.create(
            idea=idea,
            file=upload,
            alt_text=alt_text,
            position=position,
            content_type=info.content_type,
            size=info.size,
            width=info.width,
            height=info.height,
        )
    return idea


def idea_comment(*, idea: Idea, author, text: str) -> IdeaComment:
    return IdeaComment.objects.create(idea=idea, author=author, text=text)


def _claim(idea: Idea, sources: list[str], target: str, by) -> None:
    """Compare-and-set on the status: of two reviewers clicking at once, one wins and the other is told."""
    moved = Idea.objects.filter(pk=idea.pk, status__in=sources).update(
        status=target, reviewed_by=by, reviewed_at=timezone.now()
    )
    if moved != 1:
        raise IdeaAlreadyReviewed(_("This idea was already reviewed by someone else."))
    idea.refresh_from_db()


@transaction.atomic
def idea_accept(
    *,
    idea: Idea,
    by,
    accounts: Iterable = (),
    scheduled_at: datetime | None = None,
    campaign: Campaign | None = None,
    create_post: bool = True,
) -> Idea:
    """Accept an idea and tell its proposer; with `create_post`, its draft is written at once (the idea is used)."""
    _claim(idea, [Status.PROPOSED], Status.ACCEPTED, by)
    if create_post:
        idea_make_post(idea=idea, by=by, accounts=accounts, scheduled_at=scheduled_at, campaign=campaign)
    notification_send(
        recipients=[idea.proposer],
        kind=Notification.Kind.IDEA_ACCEPTED,
        event=phrase(gettext_noop("%(user)s accepted your idea “%(idea)s”."), user=str(by), idea=idea.title),
        url=idea.get_absolute_url(),
    )
    return idea


@transaction.atomic
def idea_make_post(
    *, idea: Idea, by, accounts: Iterable, scheduled_at: datetime | None, campaign: Campaign | None = None
) -> Post:
    """Write the draft post of an accepted idea: its pitch as the text, its images (with alt text) as media."""
    moved = Idea.objects.filter(pk=idea.pk, status__in=[Status.PROPOSED, Status.ACCEPTED], post__isnull=True)
    if moved.update(status=Status.USED) != 1:
        raise IdeaAlreadyReviewed(_("A post was already made from this idea."))
    post = post_create(
        author=by,
        title=idea.title,
        text=idea.pitch,
        scheduled_at=scheduled_at,
        accounts=accounts,
        campaign=campaign,
        link=idea.reference if idea.reference_is_link else "",
    )
    for image in idea.images.all():
        _copy_image(image, post)
    Idea.objects.filter(pk=idea.pk).update(post=post)
    idea.refresh_from_db()
    return post


def _copy_image(image: IdeaImage, post: Post) -> Media:
    """The post gets its own copy of the file: deleting the idea later never breaks the post."""
    media = Media(
        post=post,
        kind=Media.Kind.IMAGE,
        content_type=image.content_type,
        size=image.size,
        width=image.width,
        height=image.height,
        alt_text=image.alt_text,
        position=image.position,
    )
    with image.file.open("rb") as source:
        media.file.save(image.file.name.rsplit("/", 1)[-1], File(source), save=False)
    media.save()
    media_make_thumbnail(media=media)  # the calendar's chips and the previews show it
    return media


@transaction.atomic
def idea_decline(*, idea: Idea, by, reason: str) -> Idea:
    """Decline with a reason the proposer sees on the idea and in their notification."""
    _claim(idea, [Status.PROPOSED, Status.ACCEPTED], Status.DECLINED, by)
    Idea.objects.filter(pk=idea.pk).update(decline_reason=reason)
    idea.decline_reason = reason
    notification_send(
        recipients=[idea.proposer],
        kind=Notification.Kind.IDEA_DECLINED,
        event=phrase(
            gettext_noop("%(user)s declined your idea “%(idea)s”: %(reason)s"),
            user=str(by),
            idea=idea.title,
            reason=reason,
        ),
        url=idea.get_absolute_url(),
    )
    return idea
