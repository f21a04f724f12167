"""One rule in one place: alt text, image checks, hashtags and the validation view of a file are each decided by one
function, so the editor's forms, the live validation and every adapter can never disagree."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from editorial.forms.ideas import IdeaImageForm
from editorial.forms.posts import DescribeForm, MediaForm
from editorial.validation import check_target
from publishing.accessibility import lacks_alt_text
from publishing.adapters import get_adapter
from publishing.adapters.base import MediaInfo, media_info
from publishing.models import Network
from tests.factories import MediaFactory, SocialAccountFactory, png_bytes

UNDESCRIBED = MediaInfo("image", "image/png", 1000, " ")


@pytest.mark.parametrize(
    ("kind", "alt_text", "lacks"),
    [
        ("image", "", True),
        ("image", " \n", True),
        ("image", None, True),
        ("image", "Un tableau", False),
        ("video", "", False),
    ],
)
def test_an_image_lacks_alt_text_when_its_description_is_blank(kind, alt_text, lacks):
    assert lacks_alt_text(kind, alt_text) is lacks


def test_the_forms_the_media_and_the_adapters_apply_the_same_alt_text_rule(db):
    image = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    media_form = MediaForm(data={"alt_text": "  "}, files={"file": image})
    idea_form = IdeaImageForm(data={"alt_text": "  "}, files={"file": image})
    describe_form = DescribeForm(data={"alt_text": "  "}, kind="image")
    media = MediaFactory(alt_text="  ")
    adapter = get_adapter(SocialAccountFactory(network=Network.SANDBOX))

    assert media_form.is_valid() and media_form.lacks_alt_text  # kept, shown as missing, blocks review
    assert not idea_form.is_valid() and "alt_text" in idea_form.errors
    assert not describe_form.is_valid() and "alt_text" in describe_form.errors
    assert media.needs_alt_text
    assert "missing_alt" in [p.code for p in adapter.validate("Bonjour", [media_info(media)])]


def test_a_network_without_an_adapter_gets_the_adapters_own_alt_text_and_hashtag_checks(db):
    unknown = SocialAccountFactory(network="myspace")  # a network saved before its adapter existed
    sandbox = SocialAccountFactory(network=Network.SANDBOX)
    text = "Fermé ce mardi #jourdefermeture"

    shared = check_target(unknown, text, [UNDESCRIBED])
    adapted = check_target(sandbox, text, [UNDESCRIBED])

    codes = {p.code for p in shared.problems}
    assert {"missing_alt", "hashtag_case"} <= codes
    assert {p.message for p in shared.problems} - {p.message for p in adapted.problems} == {
        p.message for p in shared.problems if p.code == "no_validator"
    }


def test_the_validation_view_of_a_stored_file_is_the_adapters(db):
    media = MediaFactory(alt_text="Un tableau")

    assert media_info(media) == MediaInfo("image", "image/png", media.size, "Un tableau", 64, 48)


def test_an_alt_text_over_the_limit_is_refused_when_described_later():
    form = DescribeForm(data={"alt_text": "x" * 1501}, kind="image")

    assert not form.is_valid()
    assert "at most 1500 characters" in form.errors["alt_text"][0]
