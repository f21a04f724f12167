"""What an uploaded file really is, decided from its bytes only, and the random name it is stored under.

Never the uploader's name, extension or declared content type: a GIF that is also JavaScript, a PNG followed by HTML
or an HTML page sent as `video/mp4` must end up either refused or stored as what Pillow (images) or the container's
signature (videos) recognised, and served as that type only (see `editorial.views.media`).
"""

import secrets
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from publishing.vocabulary import MediaKind

IMAGE, VIDEO = MediaKind.IMAGE, MediaKind.VIDEO
# Pillow's format name → (content type, extension); the only images we keep.
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
# Content type recognised by its container's signature → extension; the only videos we keep.
VIDEO_FORMATS = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}
EXTENSIONS = {**dict(IMAGE_FORMATS.values()), **VIDEO_FORMATS}
SIGNATURE_BYTES = 8192  # enough for an ISO-BMFF `ftyp` box or a WebM EBML header
# The rule itself is publishing.adapters.base.lacks_alt_text; this is what the editor says when it is broken.
ALT_TEXT_REQUIRED = gettext_lazy("Describe this image: alt text is required for every image.")


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose type was recognised from its content."""

    kind: str  # IMAGE | VIDEO (editorial.Media.Kind values)
    content_type: str
    size: int
    width: int | None = None
    height: int | None = None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def configure_pillow() -> None:
    """Cap the pixels Pillow decodes and make its decompression-bomb warning an error (called at start-up)."""
    Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)


def too_big_message(size: int, limit: int) -> str:
    return _("This file is %(size)s; the limit is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def check_upload(upload, *, videos: bool = True) -> CheckedUpload:
    """Recognise an uploaded image (Pillow) or video (container signature), or raise ValidationError."""
    upload.seek(0)
    head = upload.read(SIGNATURE_BYTES)
    upload.seek(0)
    video_type = filetype.video_match(head)
    if videos and video_type and video_type.mime in VIDEO_FORMATS:
        _check_size(upload.size, settings.VIDEO_MAX_BYTES)
        return CheckedUpload(kind=VIDEO, content_type=video_type.mime, size=upload.size)
    _check_size(upload.size, settings.IMAGE_MAX_BYTES)
    try:
        return _check_image(upload)
    finally:
        upload.seek(0)


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise ValidationError(too_big_message(size, limit), code="too_big")


def _not_readable() -> ValidationError:
    return ValidationError(
        _("This file is not an image we can read (JPEG, PNG, GIF or WebP) nor a video (MP4, MOV or WebM)."),
        code="not_image",
    )


def _check_image(upload) -> CheckedUpload:
    try:
        with Image.open(upload) as image:
            kind, (width, height) = image.format, image.size
            _check_pixels(width, height)  # from the header, before a single pixel is decoded
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:  # verify() leaves the image unusable: decode a fresh one in full
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _not_readable() from error
    if kind not in IMAGE_FORMATS:
        raise ValidationError(_("Use a JPEG, PNG, GIF or WebP image."), code="image_type")
    return CheckedUpload(kind=IMAGE, content_type=IMAGE_FORMATS[kind][0], size=upload.size, width=width, height=height)


def _too_many_pixels() -> ValidationError:
    limit = settings.IMAGE_MAX_PIXELS
    return ValidationError(
        _("This image has too many pixels; the limit is %(limit)s million.") % {"limit": limit // 1_000_000},
        code="too_many_pixels",
    )


def _check_pixels(width: int, height: int) -> None:
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise _too_many_pixels()


# Stored names --------------------------------------------------------------------------------------------------------


def random_name(folder: str, content_type: str) -> str:
    """`folder/YYYY/MM/<random>.<extension of the detected type>`; unknown types get `.bin`."""
    month = timezone.now().strftime("%Y/%m")
    return f"{folder}/{month}/{secrets.token_urlsafe(18)}.{EXTENSIONS.get(content_type, 'bin')}"


def media_file_name(instance, filename: str) -> str:
    return random_name("media", instance.content_type)


def thumbnail_name(instance, filename: str) -> str:
    return random_name("thumbs", "image/jpeg")


def idea_image_name(instance, filename: str) -> str:
    return random_name("ideas", instance.content_type)


# Receiving -----------------------------------------------------------------------------------------------------------


def upload_limit(setting: str):
    """Declare which setting caps each file a view receives (LimitedUploadHandler reads it while receiving)."""

    def decorate(view):
        view.upload_limit = setting
        return view

    return decorate


class LimitedUploadHandler(FileUploadHandler):
    """Stop reading the request as soon as one file passes its limit, instead of receiving it in full first.

    The limit is the setting named by the view's `@upload_limit` (the URL is resolved before the CSRF check reads the
    body), else UPLOAD_MAX_BYTES. Refused fields are listed in `request.refused_uploads` (field name → limit), for
    `refuse_oversized` to explain in the form.
    """

    def receive_data_chunk(self, raw_data, start):
        limit = self._limit()
        if start + len(raw_data) > limit:
            self.request.refused_uploads = {**getattr(self.request, "refused_uploads", {}), self.field_name: limit}
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the data

    def _limit(self) -> int:
        match = getattr(self.request, "resolver_match", None)
        return getattr(
            settings, getattr(match.func, "upload_limit", "UPLOAD_MAX_BYTES") if match else "UPLOAD_MAX_BYTES"
        )


def refuse_oversized(request, *forms) -> None:
    """Give each form whose file field was cut off by LimitedUploadHandler the reason."""
    refused = getattr(request, "refused_uploads", {})
    for form in forms:
        for name in form.fields:
            limit = refused.get(form.add_prefix(name))
            if limit is not None:
                message = _("This file is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)}
                form.errors[name] = form.error_class([message])  # instead of "required": the file was cut off
                form.cleaned_data.pop(name, None)
