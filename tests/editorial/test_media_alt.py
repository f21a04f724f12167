"""An image sent without alt text keeps the chosen file (issue 12, item 8): it is added, shown as missing its
description, and the post cannot go to review until it is described."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editorial.models import Media
from editorial.services.posts import post_has_errors
from tests.factories import PostFactory, PublicationFactory, png_bytes


def test_an_image_without_alt_text_is_kept_and_asked_for_its_description(client, community_manager):
    post = PostFactory(author=community_manager)
    PublicationFactory(post=post)
    client.force_login(community_manager)
    image = SimpleUploadedFile("salle.png", png_bytes(), content_type="image/png")

    response = client.post(reverse("post_media_add", args=[post.pk]), {"file": image, "alt_text": ""})

    media = Media.objects.get(post=post)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#alt-{media.pk}")
    assert media.needs_alt_text
    assert post_has_errors(post=post)
    page = client.get(response["Location"]).content.decode()
    assert "without alt text" in page
