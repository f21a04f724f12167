"""In real Chromium: a curator's hostile uploads stay inert when an administrator opens them.

The attack: a GIF that is also JavaScript, uploaded as `payload.js`, and a PNG that is also a page loading it, uploaded
as `page.html`; an administrator who opens the page's address must run no script (the page would invite an admin).
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editorial.models import Idea, Media
from tests.conftest import browser_login
from tests.factories import PostFactory
from tests.hostile_files import gif_js_polyglot, png_then_html

pytestmark = pytest.mark.browser

PAYLOAD = b"window.__pwned=1;alert(1)"


def propose(client, name: str, content: bytes, content_type: str) -> str:
    """Propose an idea with this file as its image; the address of the image as the idea's page shows it."""
    data = {
        "title": f"Idée {name}",
        "pitch": "Regardez.",
        "kind": "artwork",
        "images-TOTAL_FORMS": "3",
        "images-INITIAL_FORMS": "0",
        "images-0-file": SimpleUploadedFile(name, content, content_type=content_type),
        "images-0-alt_text": "Une image.",
    }
    assert client.post(reverse("idea_create"), data).status_code == 302
    page = client.get(Idea.objects.get(title=f"Idée {name}").get_absolute_url()).content.decode()
    return re.search(r'<img src="([^"]+)" alt="Une image\."', page).group(1)


def test_an_admin_opening_a_curators_uploads_runs_no_script(page, client, curator, admin_user, community_manager):
    client.force_login(curator)
    script_url = propose(client, "payload.js", gif_js_polyglot(PAYLOAD), "text/javascript")
    page_url = propose(client, "page.html", png_then_html(script_url), "text/html")
    client.force_login(community_manager)
    post = PostFactory(author=community_manager)
    disguised = SimpleUploadedFile("clip.mp4", b"<script>window.__pwned=1</script>", content_type="video/mp4")
    refused = client.post(reverse("post_media_add", args=[post.pk]), {"file": disguised, "alt_text": ""})
    assert refused.status_code == 400 and not Media.objects.exists()

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_login(page, admin_user)
    for url in (page_url, script_url, *(idea.get_absolute_url() for idea in Idea.objects.all())):
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__pwned") is None, url
    assert dialogs == []
