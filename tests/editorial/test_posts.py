"""Posts: creation with per-network texts, editing with conflict detection, history, media, comments."""

import io
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from editorial.models import Media, Notification, Post, PostComment
from editorial.services.posts import post_create
from publishing.models import Network, Publication
from tests.factories import MP4_HEAD, CampaignFactory, SocialAccountFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def soon(days: int = 10, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


def png(width: int = 800, height: int = 600) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#7a2e3a").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def accounts(db):
    return [
        SocialAccountFactory(network=Network.SANDBOX, handle="musee.marceau"),
        SocialAccountFactory(network=Network.SANDBOX, handle="marceau.jeunesse"),
    ]


@pytest.fixture
def post(community_manager, accounts):
    return post_create(
        author=community_manager,
        title="Joconde",
        text="La Joconde vous attend.",
        scheduled_at=soon(),
        accounts=accounts,
    )


def form_data(post_or_none=None, accounts=(), **overrides) -> dict:
    when = timezone.localtime(post_or_none.scheduled_at) if post_or_none else soon()
    data = {
        "title": "Vernissage",
        "text": "Le vernissage commence à 19 h.",
        "accounts": [a.pk for a in accounts],
        "day": when.date().isoformat(),
        "at": when.strftime("%H:%M"),
        "occurrence": "0",
        "link": "",
        "campaign": "",
    }
    if post_or_none:
        data["version"] = post_or_none.version
    data.update(overrides)
    return data


def test_post_create_makes_a_draft_with_one_pending_publication_per_account(community_manager, accounts):
    post = post_create(author=community_manager, title="t", text="Master", scheduled_at=soon(), accounts=accounts)
    assert post.status == Post.Status.DRAFT
    pubs = list(post.publications.all())
    assert {p.account_id for p in pubs} == {a.pk for a in accounts}
    assert {p.text for p in pubs} == {"Master"}
    assert {p.state for p in pubs} == {Publication.State.PENDING}
    assert {p.scheduled_at for p in pubs} == {post.scheduled_at}


def test_curators_cannot_create_or_edit_posts(client, curator, post):
    client.force_login(curator)
    assert client.get(reverse("post_new")).status_code == 403
    assert client.post(reverse("post_new"), form_data()).status_code == 403
    assert client.get(reverse("post_edit", args=[post.pk])).status_code == 403


def test_a_community_manager_creates_a_post_with_a_text_per_network(client, community_manager, accounts):
    campaign = CampaignFactory()
    client.force_login(community_manager)
    data = form_data(accounts=accounts, campaign=campaign.pk, link="https://musee-marceau.example/expo")
    data[f"text_{accounts[1].pk}"] = "Version jeunesse 🎨"
    response = client.post(reverse("post_new"), data)
    post = Post.objects.get(title="Vernissage")
    assert response.status_code == 302 and response.url == reverse("post_edit", args=[post.pk])
    texts = dict(post.publications.values_list("account_id", "text"))
    assert texts == {accounts[0].pk: "Le vernissage commence à 19 h.", accounts[1].pk: "Version jeunesse 🎨"}
    assert post.campaign == campaign and post.author == community_manager
    assert post.changes.filter(summary="Created").exists()


def test_a_post_needs_a_target_and_keeps_what_was_typed(client, community_manager, accounts):
    client.force_login(community_manager)
    response = client.post(reverse("post_new"), form_data(accounts=[], text="Mon texte précieux"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least one account" in page
    assert "Mon texte précieux" in page
    assert not Post.objects.exists()


def test_a_time_in_the_past_is_refused(client, community_manager, accounts):
    client.force_login(community_manager)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(reverse("post_new"), form_data(accounts=accounts, day=yesterday.isoformat()))
    assert "in the past" in response.content.decode()
    assert not Post.objects.exists()


def test_html_and_script_in_texts_are_shown_escaped(client, community_manager, accounts):
    client.force_login(community_manager)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(reverse("post_new"), form_data(accounts=accounts, title=evil, text=evil))
    post = Post.objects.get()
    for url in (reverse("post_edit", args=[post.pk]), reverse("post_detail", args=[post.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_editing_saves_records_history_and_bumps_the_version(client, community_manager, accounts, post):
    client.force_login(community_manager)
    response = client.post(
        reverse("post_edit", args=[post.pk]), form_data(post, accounts=accounts, title="Joconde", text="Nouveau texte")
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.text == "Nouveau texte" and post.version == 2
    change = post.changes.first()
    assert change.user == community_manager and change.summary == "Edited"
    assert ("Text", "La Joconde vous attend.", "Nouveau texte") in change.lines
    assert set(post.publications.values_list("text", flat=True)) == {"Nouveau texte"}


def test_the_second_of_two_concurrent_saves_gets_a_conflict_and_loses_nothing(
    client, community_manager, manager, accounts, post
):
    """Both open version 1; the manager saves first; the community manager's save must not overwrite it."""
    client.force_login(manager)
    client.post(
        reverse("post_edit", args=[post.pk]),
        form_data(post, accounts=accounts, title="Joconde", text="Texte du manager"),
    )
    client.force_login(community_manager)
    response = client.post(
        reverse("post_edit", args=[post.pk]),
        form_data(post, accounts=accounts, title="Joconde", text="Texte de Camille"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this post" in page
    assert "Texte du manager" in page  # their version
    assert "Texte de Camille" in page  # ours, still in the form
    post.refresh_from_db()
    assert post.text == "Texte du manager" and post.version == 2
    assert 'name="version" value="2"' in page  # saving again now replaces their version, deliberately
    resubmit = client.post(
        reverse("post_edit", args=[post.pk]),
        form_data(post, accounts=accounts, title="Joconde", text="Texte de Camille"),
    )
    assert resubmit.status_code == 302
    post.refresh_from_db()
    assert post.text == "Texte de Camille"


def test_editing_an_approved_post_sends_it_back_to_review_and_withdraws_its_publications(
    client, community_manager, accounts, post
):
    Post.objects.filter(pk=post.pk).update(status=Post.Status.APPROVED)
    post.publications.update(state=Publication.State.DUE)
    post.refresh_from_db()
    client.force_login(community_manager)
    client.post(
        reverse("post_edit", args=[post.pk]), form_data(post, accounts=accounts, title="Joconde", text="Texte modifié")
    )
    post.refresh_from_db()
    assert post.status == Post.Status.IN_REVIEW
    assert set(post.publications.values_list("state", flat=True)) == {Publication.State.PENDING}
    assert "back to review" in post.changes.first().summary


def test_changing_only_the_title_of_an_approved_post_keeps_it_approved(client, community_manager, accounts, post):
    Post.objects.filter(pk=post.pk).update(status=Post.Status.APPROVED)
    post.publications.update(state=Publication.State.DUE)
    post.refresh_from_db()
    client.force_login(community_manager)
    client.post(
        reverse("post_edit", args=[post.pk]), form_data(post, accounts=accounts, title="Autre titre", text=post.text)
    )
    post.refresh_from_db()
    assert post.status == Post.Status.APPROVED
    assert set(post.publications.values_list("state", flat=True)) == {Publication.State.DUE}


def test_removing_a_target_drops_its_pending_publication(client, community_manager, accounts, post):
    client.force_login(community_manager)
    client.post(
        reverse("post_edit", args=[post.pk]), form_data(post, accounts=accounts[:1], title="Joconde", text=post.text)
    )
    assert list(post.publications.values_list("account_id", flat=True)) == [accounts[0].pk]


def upload(client, post, content: bytes, name: str, content_type: str, alt: str = ""):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("post_media_add", args=[post.pk]), {"file": file, "alt_text": alt})


def test_an_image_with_alt_text_is_stored_with_a_thumbnail(client, community_manager, post):
    client.force_login(community_manager)
    response = upload(client, post, png(), "joconde.png", "image/png", alt="La Joconde, sourire énigmatique.")
    assert response.status_code == 302
    media = Media.objects.get(post=post)
    assert media.kind == Media.Kind.IMAGE and media.content_type == "image/png"
    assert (media.width, media.height) == (800, 600)
    with Image.open(media.thumbnail) as thumb:
        assert max(thumb.size) <= 480
    assert post.changes.filter(changes__0__0__msgid="Media").exists()


def test_a_file_that_is_not_an_image_is_refused(client, community_manager, post):
    client.force_login(community_manager)
    response = upload(client, post, b"%PDF-1.4 not an image", "joconde.png", "image/png", alt="x")
    assert response.status_code == 400
    assert "not an image" in response.content.decode()
    assert not Media.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, community_manager, post, settings):
    settings.IMAGE_MAX_BYTES = 1000
    client.force_login(community_manager)
    response = upload(client, post, png(), "big.png", "image/png", alt="Une grande image")
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not Media.objects.exists()


def test_a_video_is_accepted_without_alt_text(client, community_manager, post):
    client.force_login(community_manager)
    response = upload(client, post, MP4_HEAD, "clip.mp4", "video/mp4")
    assert response.status_code == 302
    assert Media.objects.get().kind == Media.Kind.VIDEO


def test_curators_comment_and_mentions_are_recorded(client, curator, community_manager, manager, post):
    client.force_login(curator)
    response = client.post(
        reverse("post_comment", args=[post.pk]), {"text": "@camille la date est fausse, @marc pour info. @nobody"}
    )
    assert response.status_code == 302
    comment = PostComment.objects.get()
    assert comment.author == curator
    assert set(comment.mentions.all()) == {community_manager, manager}
    mentioned = Notification.objects.filter(kind=Notification.Kind.MENTIONED)
    assert set(mentioned.values_list("recipient", flat=True)) == {community_manager.pk, manager.pk}
    assert post.get_absolute_url() == mentioned.first().url
    page = client.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert "la date est fausse" in page


def test_strangers_cannot_comment(client, stranger, post):
    client.force_login(stranger)
    assert client.post(reverse("post_comment", args=[post.pk]), {"text": "hello"}).status_code == 403


def test_the_post_page_shows_each_networks_publishing_status(client, curator, post):
    post.publications.filter(account__handle="musee.marceau").update(state=Publication.State.FAILED, error="Refusé")
    client.force_login(curator)
    page = client.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert "Refusé" in page


def test_alt_text_can_be_written_later_but_never_emptied(client, community_manager, post):
    client.force_login(community_manager)
    upload(client, post, png(), "joconde.png", "image/png", alt="Première description")
    media = Media.objects.get()
    url = reverse("post_media_describe", args=[post.pk, media.pk])
    client.post(url, {"alt_text": "  "})
    media.refresh_from_db()
    assert media.alt_text == "Première description"
    client.post(url, {"alt_text": "La Joconde, de face, sur fond de paysage brumeux."})
    media.refresh_from_db()
    assert media.alt_text == "La Joconde, de face, sur fond de paysage brumeux."


def test_a_comment_never_redirects_to_another_site(client, curator, post):
    client.force_login(curator)
    response = client.post(reverse("post_comment", args=[post.pk]), {"text": "ok", "next": "//evil.example/"})
    assert response.url == post.get_absolute_url()
