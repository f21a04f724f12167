"""Ideas: propose with images and alt text, the board and its filters, comments, accept into a draft, decline."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from editorial.models import Idea, Notification, Post
from publishing.models import Network, Publication
from tests.factories import IdeaFactory, SocialAccountFactory, png_bytes

FUTURE = "2031-06-03T10:00"
ROLES = ["curator", "community_manager", "manager", "admin", "stranger"]


def idea_data(**overrides) -> dict:
    data = {
        "title": "La Joconde restaurée",
        "pitch": "Le vernis a été allégé : montrons l'avant/après.",
        "kind": "artwork",
        "reference": "INV. 779",
        "suggested_from": "2030-05-18",
        "suggested_until": "",
        "suggested_networks": ["instagram", "bluesky"],
        "images-TOTAL_FORMS": "3",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "3",
    }
    data.update(overrides)
    return data


def png(name="joconde.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def test_a_curator_proposes_an_idea_with_an_image_and_its_alt_text(client, curator):
    client.force_login(curator)
    data = idea_data(**{"images-0-file": png(), "images-0-alt_text": "Portrait d'une femme au sourire discret."})

    response = client.post(reverse("idea_create"), data)

    idea = Idea.objects.get()
    assert response.status_code == 302 and response.url == idea.get_absolute_url()
    assert (idea.proposer, idea.status, idea.reference) == (curator, Idea.Status.PROPOSED, "INV. 779")
    assert idea.suggested_networks == ["instagram", "bluesky"]
    assert str(idea.suggested_until) == "2030-05-18"  # a single day
    image = idea.images.get()
    assert (image.alt_text, image.content_type, image.width, image.height) == (
        "Portrait d'une femme au sourire discret.",
        "image/png",
        64,
        48,
    )
    page = client.get(idea.get_absolute_url())
    assert 'alt="Portrait d&#x27;une femme au sourire discret."' in page.content.decode()


@pytest.mark.parametrize(
    ("upload", "alt_text", "limit", "field", "message"),
    [
        (lambda: png(), "", None, "alt_text", "alt text is required"),
        (
            lambda: SimpleUploadedFile("notes.png", b"not an image at all", content_type="image/png"),
            "x",
            None,
            "file",
            "not an image",
        ),
        (lambda: png(), "Grande image", 50, "file", "the limit is"),
        (lambda: None, "Une description sans image", None, "file", "Choose the image"),
    ],
    ids=["without-alt-text", "not-an-image", "too-big", "alt-text-without-image"],
)
def test_a_bad_image_re_renders_the_form_with_a_clear_error_and_keeps_the_other_fields(
    client, curator, settings, upload, alt_text, limit, field, message
):
    if limit:
        settings.IMAGE_MAX_BYTES = limit
    client.force_login(curator)
    data = idea_data(**{"images-0-alt_text": alt_text})
    if (file := upload()) is not None:
        data["images-0-file"] = file

    response = client.post(reverse("idea_create"), data)

    assert response.status_code == 200
    assert not Idea.objects.exists()
    errors = response.context["images"].forms[0].errors
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert 'value="La Joconde restaurée"' in html and "Le vernis a été allégé" in html
    assert re.search(r'value="instagram" id="[^"]+" checked', html)


def test_bad_idea_fields_get_clear_messages(client, curator):
    client.force_login(curator)

    response = client.post(
        reverse("idea_create"), idea_data(title="", suggested_from="2030-05-18", suggested_until="2030-05-01")
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert "title" in form.errors
    assert form.errors["suggested_until"] == ["The window ends before it starts."]


def test_html_in_an_idea_is_shown_escaped(client, curator):
    idea = IdeaFactory(title="<script>alert(1)</script>", pitch="<b>gras</b>", proposer=curator)
    client.force_login(curator)

    html = client.get(idea.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>gras</b>" not in html


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_board_and_propose(client, role_users, role):
    client.force_login(role_users[role])

    board = client.get(reverse("ideas"))
    create = client.get(reverse("idea_create"))

    expected = 403 if role == "stranger" else 200
    assert (board.status_code, create.status_code) == (expected, expected)


def test_the_board_shows_each_status_in_its_column_and_filters(client, community_manager, curator, manager):
    IdeaFactory(title="Restauration", proposer=curator, kind=Idea.Kind.ARTWORK)
    IdeaFactory(
        title="Vernissage",
        pitch="Le soir du vernissage.",
        proposer=manager,
        kind=Idea.Kind.EVENT,
        suggested_networks=["bluesky"],
    )
    IdeaFactory(title="Refusée", proposer=curator, status=Idea.Status.DECLINED)
    client.force_login(community_manager)

    columns = {c["status"]: [i.title for i in c["ideas"]] for c in client.get(reverse("ideas")).context["columns"]}
    by_kind = client.get(reverse("ideas"), {"kind": "event"}).context["columns"][0]["ideas"]
    by_network = client.get(reverse("ideas"), {"network": "bluesky"}).context["columns"][0]["ideas"]
    by_proposer = client.get(reverse("ideas"), {"proposer": curator.pk}).context["columns"]
    by_text = client.get(reverse("ideas"), {"q": "restaur"}).context["columns"][0]["ideas"]

    assert columns == {"proposed": ["Vernissage", "Restauration"], "accepted": [], "declined": ["Refusée"], "used": []}
    assert [i.title for i in by_kind] == ["Vernissage"]
    assert [i.title for i in by_network] == ["Vernissage"]
    assert sorted(i.title for c in by_proposer for i in c["ideas"]) == ["Refusée", "Restauration"]
    assert [i.title for i in by_text] == ["Restauration"]


def test_the_board_filters_answer_htmx_with_the_board_fragment_only(client, community_manager):
    IdeaFactory(title="Restauration")
    client.force_login(community_manager)

    response = client.get(reverse("ideas"), {"q": "rest"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert 'id="idea-board"' in html and "Restauration" in html and "<html" not in html


def test_the_board_queries_do_not_grow_with_the_number_of_ideas(
    client, community_manager, django_assert_max_num_queries
):
    IdeaFactory.create_batch(40)
    client.force_login(community_manager)

    with django_assert_max_num_queries(12):
        client.get(reverse("ideas"))


def test_anyone_on_the_team_comments_on_an_idea(client, curator):
    idea = IdeaFactory()
    client.force_login(curator)

    response = client.post(
        reverse("idea_comment", args=[idea.pk]), {"text": "Le cartel est prêt."}, headers={"HX-Request": "true"}
    )
    empty = client.post(reverse("idea_comment", args=[idea.pk]), {"text": ""})

    assert response.status_code == 200 and "Le cartel est prêt." in response.content.decode()
    assert idea.comments.get().author == curator
    assert empty.status_code == 400 and idea.comments.count() == 1


def test_a_stranger_may_not_comment(client, stranger):
    idea = IdeaFactory()
    client.force_login(stranger)

    assert client.post(reverse("idea_comment", args=[idea.pk]), {"text": "x"}).status_code == 403


@pytest.fixture
def accounts(db):
    return [
        SocialAccountFactory(network=Network.INSTAGRAM, handle="marceau"),
        SocialAccountFactory(network=Network.BLUESKY, handle="marceau.bsky.social"),
        SocialAccountFactory(network=Network.MASTODON, handle="marceau@mastodon.example"),
    ]


def test_a_community_manager_accepts_an_idea_into_a_draft_post_with_its_images(
    client, community_manager, curator, accounts, sent_mail
):
    client.force_login(curator)
    client.post(reverse("idea_create"), idea_data(**{"images-0-file": png(), "images-0-alt_text": "Le sourire."}))
    idea = Idea.objects.get()
    client.force_login(community_manager)
    when = (timezone.localtime() + timezone.timedelta(days=3)).replace(second=0, microsecond=0)

    page = client.get(idea.get_absolute_url())
    with sent_mail():
        response = client.post(
            reverse("idea_accept", args=[idea.pk]),
            {
                "create_post": "on",
                "accounts": [accounts[0].pk, accounts[1].pk],
                "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
            },
        )

    idea.refresh_from_db()
    post = Post.objects.get()
    assert set(page.context["accept_form"].initial["accounts"]) == {accounts[0].pk, accounts[1].pk}
    assert 'name="scheduled_at" value="2030-05-18T10:00"' in page.content.decode()  # the suggested day, 10:00
    assert response.status_code == 302 and response.url == post.get_absolute_url()
    assert (idea.status, idea.post, idea.reviewed_by) == (Idea.Status.USED, post, community_manager)
    assert (post.title, post.text, post.status, post.author) == (
        idea.title,
        idea.pitch,
        Post.Status.DRAFT,
        community_manager,
    )
    assert post.scheduled_at == when
    assert {p.account for p in post.publications.all()} == {accounts[0], accounts[1]}
    assert all(p.state == Publication.State.PENDING and p.text == idea.pitch for p in post.publications.all())
    media = post.media.get()
    assert (media.alt_text, media.content_type, media.width) == ("Le sourire.", "image/png", 64)
    assert media.file.name != idea.images.get().file.name and media.file.read() == idea.images.get().file.read()
    assert media.thumbnail and media.thumbnail.read(3) == b"\xff\xd8\xff"  # a JPEG thumbnail, as for an upload
    notification = Notification.objects.get(recipient=curator)
    assert notification.kind == Notification.Kind.IDEA_ACCEPTED and notification.url == idea.get_absolute_url()
    assert mail.outbox[-1].to == [curator.email] and idea.title in mail.outbox[-1].body


def test_an_idea_can_be_accepted_now_and_made_into_a_post_later(client, community_manager, accounts):
    idea = IdeaFactory()
    client.force_login(community_manager)

    client.post(reverse("idea_accept", args=[idea.pk]), {"accounts": [accounts[2].pk]})
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACCEPTED and not Post.objects.exists()

    client.post(reverse("idea_accept", args=[idea.pk]), {"accounts": [accounts[2].pk], "scheduled_at": FUTURE})
    idea.refresh_from_db()
    assert idea.status == Idea.Status.USED and idea.post.publications.get().account == accounts[2]


def test_accepting_twice_makes_one_post(client, community_manager, accounts):
    idea = IdeaFactory()
    client.force_login(community_manager)
    data = {"create_post": "on", "accounts": [accounts[0].pk], "scheduled_at": FUTURE}

    client.post(reverse("idea_accept", args=[idea.pk]), data)
    second = client.post(reverse("idea_accept", args=[idea.pk]), data, follow=True)

    assert Post.objects.count() == 1
    assert "already" in second.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"create_post": "on"}, "accounts", "Choose at least one account"),
        ({"create_post": "on", "scheduled_at": "2001-01-01T10:00"}, "scheduled_at", "in the past"),
        ({"create_post": "on"}, "scheduled_at", "Choose when the post goes out"),
        ({"create_post": "on", "scheduled_at": "2031-03-30T02:30"}, "scheduled_at", "Europe/Paris"),
    ],
    ids=["no-account", "past", "no-time", "dst-gap"],
)
def test_a_bad_acceptance_is_refused_with_a_clear_message(client, community_manager, accounts, data, field, message):
    idea = IdeaFactory()
    client.force_login(community_manager)
    data = {**data, "accounts": data.get("accounts", [accounts[0].pk] if field != "accounts" else [])}

    response = client.post(reverse("idea_accept", args=[idea.pk]), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["accept_form"].errors[field])
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PROPOSED and not Post.objects.exists()


def test_a_community_manager_declines_with_a_reason_the_proposer_sees(client, community_manager, curator):
    idea = IdeaFactory(proposer=curator)
    client.force_login(community_manager)

    missing = client.post(reverse("idea_decline", args=[idea.pk]), {"reason": ""})
    client.post(reverse("idea_decline", args=[idea.pk]), {"reason": "Déjà publié en mars."})

    idea.refresh_from_db()
    assert missing.status_code == 400 and "reason" in missing.context["decline_form"].errors
    assert (idea.status, idea.decline_reason) == (Idea.Status.DECLINED, "Déjà publié en mars.")
    client.force_login(curator)
    assert "Déjà publié en mars." in client.get(idea.get_absolute_url()).content.decode()
    notification = curator.notifications.get()
    assert notification.kind == Notification.Kind.IDEA_DECLINED and "Déjà publié en mars." in notification.message


@pytest.mark.parametrize("role", ["curator", "stranger"])
def test_a_curator_proposes_but_may_not_accept_or_decline(client, role_users, role, accounts):
    idea = IdeaFactory()
    client.force_login(role_users[role])

    accept = client.post(reverse("idea_accept", args=[idea.pk]), {"create_post": "on", "accounts": [accounts[0].pk]})
    decline = client.post(reverse("idea_decline", args=[idea.pk]), {"reason": "Non."})

    assert (accept.status_code, decline.status_code) == (403, 403)
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PROPOSED and not Post.objects.exists()


def test_the_review_forms_are_shown_only_to_reviewers(client, curator, community_manager):
    idea = IdeaFactory()

    client.force_login(curator)
    curator_page = client.get(idea.get_absolute_url()).content.decode()
    client.force_login(community_manager)
    manager_page = client.get(idea.get_absolute_url()).content.decode()

    accept_url = reverse("idea_accept", args=[idea.pk])
    assert accept_url not in curator_page and accept_url in manager_page


def test_the_demo_month_has_ideas_in_every_status_a_museum_week_and_the_closing_day_ritual(db):
    from django.core.management import call_command

    from editorial.models import Campaign, MuseumEvent, RecurringSlot

    call_command("seed_demo", stdout=io.StringIO())
    counts = (Idea.objects.count(), Post.objects.count(), MuseumEvent.objects.count(), Campaign.objects.count())
    call_command("seed_demo", stdout=io.StringIO())

    assert (Idea.objects.count(), Post.objects.count(), MuseumEvent.objects.count(), Campaign.objects.count()) == counts
    assert set(Idea.objects.values_list("status", flat=True)) == set(Idea.Status.values)
    assert not Idea.objects.filter(status=Idea.Status.USED, post__isnull=True).exists()
    assert Campaign.objects.filter(name="MuseumWeek").exists()
    assert MuseumEvent.objects.filter(kind=MuseumEvent.Kind.EXHIBITION).exists()
    slot = RecurringSlot.objects.get(title="#JourDeFermeture")
    assert slot.weekdays == [1] and slot.occurrences.filter(post__isnull=False).count() >= 3
