"""The media library of a post: checked uploads, thumbnails, alt text."""

from io import BytesIO
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from editorial.models import Media, Post
from editorial.services.posts import post_media_changed

THUMBNAIL_SIZE = (480, 480)


def _thumbnail(media: Media) -> None:
    media.file.open("rb")
    with Image.open(media.file) as image:
        media.width, media.height = image.size
        image.thumbnail(THUMBNAIL_SIZE)
        buffer = BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=82)
    media.file.close()
    media.thumbnail.save(f"{PurePath(media.file.name).stem}.jpg", ContentFile(buffer.getvalue()), save=False)


@transaction.atomic
def media_add(*, post: Post, by, file, kind: str, content_type: str, alt_text: str) -> Media:
    """Store an upload already checked by the form (type, size, alt text), with a thumbnail for images."""
    media = Media(
        post=post,
        file=file,
        kind=kind,
        content_type=content_type,
        size=file.size,
        alt_text=alt_text,
        position=post.media.count(),
    )
    media.save()
    if kind == Media.Kind.IMAGE:
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
