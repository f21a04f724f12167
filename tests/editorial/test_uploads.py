"""Uploads as an attacker would send them: polyglots, disguised pages, decompression bombs, endless bodies.

Every upload is stored under a random name with the extension of what its bytes are, served with that type only,
inert (nosniff, sandbox), never to anonymous visitors; a network fetching a file gets a signed link that expires.
"""

import io
import re
import time
import warnings

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import ClientHandler
from django.urls import reverse
from PIL import Image

from editorial.models import Idea, IdeaImage, Media
from editorial.uploads import configure_pillow
from publishing.media_links import SALT, signed_media_url
from tests.factories import MP4_HEAD, MediaFactory, PostFactory, png_bytes
from tests.hostile_files import gif_js_polyglot, png_bomb, png_then_html


def idea_data(**extra) -> dict:
    return {
        "title": "Une idée",
        "pitch": "Montrons-la.",
        "kind": "artwork",
        "images-TOTAL_FORMS": "3",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "3",
        **extra,
    }


def propose_with_image(client, content: bytes, name: str, content_type: str):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    data = idea_data(**{"images-0-file": upload, "images-0-alt_text": "Une image."})
    return client.post(reverse("idea_create"), data)


def add_media(client, post, content: bytes, name: str, content_type: str, alt: str = "Une image."):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("post_media_add", args=[post.pk]), {"file": upload, "alt_text": alt})


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_inert(response, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


# Stored as what the bytes are -----------------------------------------------------------------------------------------


def test_a_gif_javascript_polyglot_named_js_is_stored_and_served_as_a_gif(client, curator):
    client.force_login(curator)

    response = propose_with_image(client, gif_js_polyglot(), "payload.js", "text/javascript")

    assert response.status_code == 302
    image = IdeaImage.objects.get()
    assert image.content_type == "image/gif"
    assert re.fullmatch(r"ideas/\d{4}/\d{2}/[\w-]{24}\.gif", image.file.name), image.file.name
    assert_inert(client.get(image.url), "image/gif")


def test_a_png_followed_by_html_named_html_is_stored_and_served_as_a_png(client, curator):
    client.force_login(curator)

    response = propose_with_image(client, png_then_html("/x.js"), "page.html", "text/html")

    assert response.status_code == 302
    image = IdeaImage.objects.get()
    assert image.file.name.endswith(".png") and "page" not in image.file.name
    served = client.get(image.url)
    assert_inert(served, "image/png")
    assert served["Content-Disposition"].startswith("inline")


def test_an_html_page_sent_as_video_mp4_is_refused(client, community_manager):
    client.force_login(community_manager)
    post = PostFactory(author=community_manager)

    response = add_media(client, post, b"<html><script>window.__pwned=1</script></html>", "clip.mp4", "video/mp4")

    assert response.status_code == 400
    assert "nor a video" in response.context["media_form"].errors["file"][0]
    assert not Media.objects.exists()


def test_a_real_video_is_recognised_by_its_container_whatever_it_is_called(client, community_manager):
    client.force_login(community_manager)
    post = PostFactory(author=community_manager)

    response = add_media(client, post, MP4_HEAD + b"\0" * 64, "clip.html", "text/html", alt="")

    assert response.status_code == 302
    media = Media.objects.get()
    assert (media.kind, media.content_type) == (Media.Kind.VIDEO, "video/mp4")
    assert media.file.name.endswith(".mp4")
    assert_inert(client.get(media.url), "video/mp4")


def test_a_file_of_an_unknown_type_already_stored_is_only_offered_as_a_download(client, curator):
    media = MediaFactory(content_type="text/html")  # stored before uploads were recognised by their content
    client.force_login(curator)

    response = client.get(media.url)

    assert_inert(response, "application/octet-stream")
    assert response["Content-Disposition"].startswith("attachment")


# Decompression bombs -------------------------------------------------------------------------------------------------


def test_a_13000_by_13000_png_bomb_is_refused_before_it_is_decoded(client, curator):
    bomb = png_bomb()
    assert len(bomb) < 100_000  # small on the wire
    client.force_login(curator)

    response = propose_with_image(client, bomb, "bomb.png", "image/png")

    assert response.status_code == 200
    assert "too many pixels" in " ".join(response.context["images"].forms[0].errors["file"])
    assert not Idea.objects.exists()


def test_pillow_refuses_to_decode_more_pixels_than_the_setting_allows():
    assert Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS
    with warnings.catch_warnings():  # pytest resets warning filters around each test: install ours again
        configure_pillow()
        with pytest.raises(Image.DecompressionBombWarning):
            Image.open(io.BytesIO(png_bomb(8_000, 8_000)))  # 64 million pixels: over the default 50 million


def test_the_pixel_limit_is_a_setting(client, community_manager, settings):
    settings.IMAGE_MAX_PIXELS = 1000
    client.force_login(community_manager)
    post = PostFactory(author=community_manager)

    response = add_media(client, post, png_bytes(64, 48), "small.png", "image/png")

    assert response.status_code == 400
    assert "too many pixels" in response.context["media_form"].errors["file"][0]


# Sizes ---------------------------------------------------------------------------------------------------------------


class EndlessUpload:
    """A multipart body with one file of `size` bytes, made as it is read; counts how much the app read."""

    boundary = "----museumcm-test-boundary"

    def __init__(self, fields: dict[str, str], file_field: str, size: int):
        head = "".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        head += (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="big.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        )
        self.head, self.tail = head.encode(), f"\r\n--{self.boundary}--\r\n".encode()
        self.file_size, self.position = size, 0
        self.length = len(self.head) + size + len(self.tail)

    def read(self, size: int = -1) -> bytes:
        end = self.length if size is None or size < 0 else min(self.position + size, self.length)
        start, self.position = self.position, end
        head_end, file_end = len(self.head), len(self.head) + self.file_size
        head = self.head[start:end]
        file = b"x" * max(0, min(end, file_end) - max(start, head_end))
        tail = self.tail[max(start - file_end, 0) : max(end - file_end, 0)]
        return head + file + tail

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def post_stream(client, path: str, upload: EndlessUpload):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": upload,
        "CONTENT_TYPE": f"multipart/form-data; boundary={upload.boundary}",
        "CONTENT_LENGTH": str(upload.length),
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
    }
    return ClientHandler(enforce_csrf_checks=False)(environ)


def test_a_150_mb_image_is_refused_once_past_the_limit_without_reading_the_rest(client, curator):
    client.force_login(curator)
    upload = EndlessUpload(idea_data(), "images-0-file", 150 * 1024 * 1024)

    response = post_stream(client, reverse("idea_create"), upload)

    assert upload.position < settings.IMAGE_MAX_BYTES + 1024 * 1024  # read up to the limit, not 150 MB
    assert response.status_code == 200
    assert "too large: the limit is 8.0" in response.content.decode()
    assert not Idea.objects.exists()


def test_a_media_upload_stops_at_the_upload_limit(client, community_manager, settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(community_manager)
    post = PostFactory(author=community_manager)
    upload = EndlessUpload({"alt_text": "Une image."}, "file", 150 * 1024 * 1024)

    response = post_stream(client, reverse("post_media_add", args=[post.pk]), upload)

    assert upload.position < 3 * 1024 * 1024
    assert response.status_code == 400
    assert "too large: the limit is 2.0" in response.content.decode()
    assert not Media.objects.exists()


def test_a_30_mb_pitch_is_refused_and_nothing_is_stored(client, curator):
    client.force_login(curator)

    response = client.post(reverse("idea_create"), idea_data(pitch="x" * (30 * 1024 * 1024)))

    assert response.status_code == 400
    assert "larger than museumcm accepts" in response.content.decode()  # a page that says why, not a bare 400
    assert not Idea.objects.exists()


# Who reads media -----------------------------------------------------------------------------------------------------


@pytest.fixture
def draft_media(db):
    return MediaFactory(post=PostFactory(title="Brouillon secret"))


def test_media_of_an_unpublished_post_are_not_readable_anonymously(client, draft_media):
    response = client.get(draft_media.url)

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(f"/media/{draft_media.file.name}").status_code == 404  # no file served from MEDIA_ROOT


def test_idea_images_are_not_readable_anonymously(client, curator):
    client.force_login(curator)
    propose_with_image(client, png_bytes(), "idee.png", "image/png")
    image = IdeaImage.objects.get()
    client.logout()

    assert client.get(image.url).status_code == 302
    assert client.get(f"/media/{image.file.name}").status_code == 404


def test_media_are_read_by_the_team_only(client, role_users, draft_media):
    expected = {"curator": 200, "community_manager": 200, "manager": 200, "admin": 200, "stranger": 403}
    seen = {}
    for role, user in role_users.items():
        client.force_login(user)
        seen[role] = client.get(draft_media.url).status_code
    assert seen == expected


def test_served_media_carry_the_stored_type_and_the_inert_headers(client, curator, draft_media):
    client.force_login(curator)

    response = client.get(draft_media.url)

    assert_inert(response, "image/png")
    assert body(response) == draft_media.file.open("rb").read()
    assert "private" in response["Cache-Control"]


# Signed links for networks -------------------------------------------------------------------------------------------


def test_a_signed_link_serves_the_file_without_a_session(client, draft_media, settings):
    settings.SITE_URL = "https://musee.example"
    url = signed_media_url(draft_media)
    assert url.startswith("https://musee.example/")

    response = client.get(url.removeprefix(settings.SITE_URL))

    assert_inert(response, "image/png")
    assert body(response) == draft_media.file.open("rb").read()


class IssuedTwoDaysAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 2 * 24 * 3600)


def test_an_expired_or_forged_signed_link_is_refused(client, draft_media):
    expired = IssuedTwoDaysAgo(salt=SALT).sign_object(draft_media.pk)
    forged = signing.dumps(draft_media.pk, salt="another purpose")
    fresh = signed_media_url(draft_media).rsplit("/", 2)[-2]

    assert client.get(reverse("media_signed", args=[fresh])).status_code == 200
    assert client.get(reverse("media_signed", args=[expired])).status_code == 404
    assert client.get(reverse("media_signed", args=[forged])).status_code == 404
