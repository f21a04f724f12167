"""The media library of a post: checked uploads, thumbnails, alt text."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from editorial.models import Media, Post
from editorial.services.posts import post_media_changed
from editorial.uploads import CheckedUpload

THUMBNAIL_SIZE = (480, 480)


def _thumbnail(media: Media) -> None:
    media.file.open("rb")
    with Image.open(media.file) as image:
        image.thumbnail(THUMBNAIL_SIZE)
        buffer = BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=82)
    media.file.close()
    media.thumbnail.save("thumbnail.jpg", ContentFile(buffer.getvalue()), save=False)


def media_make_thumbnail(*, media: Media) -> None:
    """A thumbnail for an image stored by other means than `media_add` (an idea's image carried over to its post)."""
    _thumbnail(media)
    media.save(update_fields=["thumbnail"])


@transaction.atomic
def media_add(*, post: Post, by, file, checked: CheckedUpload, alt_text: str) -> Media:
    """Store an upload recognised by `editorial.uploads.check_upload` (stored as that type, under a random name), with
    a thumbnail for images."""
    media = Media(
        post=post,
        file=file,
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        width=checked.width,
        height=checked.height,
        alt_text=alt_text,
        position=post.media.count(),
    )
    media.save()
    if media.kind == Media.Kind.IMAGE:
        _thumbnail(media)
        media.save()
    post_media_changed(post=post, by=by, summary=str(media))
    return media


@transaction.atomic
def media_remove(*, media: Media, by) -> None:
    post, summary = media.post, str(media)
    media.delete()
    post_media_changed(post=post, by=by, summary=summary)


@transaction.atomic
def media_describe(*, media: Media, by, alt_text: str) -> Media:
    """Change a media's alt text (an approved post goes back to review: the manager approved what readers hear)."""
    if media.alt_text == alt_text:
        return media
    media.alt_text = alt_text
    media.save(update_fields=["alt_text"])
    post_media_changed(post=media.post, by=by, summary=str(media))
    return media
