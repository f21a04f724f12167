"""Uploaded files, served inert: as the type recognised on upload, never sniffed, sandboxed, never to anyone anonymous.

A file's bytes were chosen by whoever uploaded it. Served from our origin as HTML it could act with the reader's
session; so the content type is the one stored when the upload was recognised (anything else is a download), the
browser may not guess another (`nosniff`), and even a document opened directly runs no script (`sandbox`).
"""

from pathlib import PurePath

from django.contrib.auth.decorators import login_not_required, permission_required
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from editorial.models import IdeaImage, Media
from editorial.uploads import EXTENSIONS
from publishing.media_links import signed_media_pk


def serve_upload(file, content_type: str, *, cache: str = "private, max-age=3600") -> FileResponse:
    """A stored upload with the headers that keep it inert; a type we do not recognise is only downloadable."""
    if not file:
        raise Http404
    inline = content_type in EXTENSIONS
    try:
        handle = file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        content_type=content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=PurePath(file.name).name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = cache
    return response


@require_safe
@permission_required("editorial.view_post", raise_exception=True)
def media_file(request: HttpRequest, pk: int) -> FileResponse:
    media = get_object_or_404(Media, pk=pk)
    return serve_upload(media.file, media.content_type)


@require_safe
@permission_required("editorial.view_post", raise_exception=True)
def media_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    media = get_object_or_404(Media, pk=pk)
    return serve_upload(media.thumbnail, "image/jpeg")


@require_safe
@permission_required("editorial.view_idea", raise_exception=True)
def idea_image(request: HttpRequest, pk: int) -> FileResponse:
    image = get_object_or_404(IdeaImage, pk=pk)
    return serve_upload(image.file, image.content_type)


@require_safe
@login_not_required
def media_signed(request: HttpRequest, token: str) -> FileResponse:
    """For a network's servers fetching a post's file: no session, a signed link that expires."""
    try:
        pk = signed_media_pk(token)
    except signing.BadSignature as error:
        raise Http404 from error
    media = get_object_or_404(Media, pk=pk)
    return serve_upload(media.file, media.content_type, cache="no-store")
