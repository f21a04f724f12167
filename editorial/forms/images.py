"""Checking an uploaded image with Pillow before we keep it: a real image, of a kind networks take, not too big."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int
    size: int


def inspect_image(upload) -> ImageInfo:
    """What the uploaded file really is (never trusting its name or the browser's content type)."""
    limit = settings.IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This file is not an image we can read (JPEG, PNG, GIF or WebP)."), code="not_image"
        ) from error
    finally:
        upload.seek(0)
    if kind not in IMAGE_TYPES:
        raise ValidationError(_("Use a JPEG, PNG, GIF or WebP image."), code="image_type")
    return ImageInfo(content_type=IMAGE_TYPES[kind], width=width, height=height, size=upload.size)
