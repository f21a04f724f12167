"""A post target's options beyond its text: the Pinterest board (required) and Pin title, Tumblr's queue."""

import pytest
from django.urls import reverse

from editorial.models import Post
from publishing.models import Network
from tests.editorial.test_posts import form_data
from tests.factories import SocialAccountFactory

BOARDS = {"boards": [{"id": "101", "name": "Collections"}, {"id": "102", "name": "Expositions"}]}


@pytest.fixture
def pinterest(db):
    return SocialAccountFactory(network=Network.PINTEREST, handle="museemarceau", options=BOARDS)


@pytest.fixture
def tumblr(db):
    return SocialAccountFactory(network=Network.TUMBLR, handle="museemarceau")


def test_a_pinterest_target_needs_a_board_and_keeps_what_was_typed(client, community_manager, pinterest):
    client.force_login(community_manager)

    response = client.post(reverse("post_new"), form_data(accounts=[pinterest]))

    assert response.status_code == 200  # the form again, with the error
    html = response.content.decode()
    assert "Choose a board: every Pin goes on one." in html
    assert "Expositions" in html
    assert not Post.objects.exists()


def test_the_chosen_board_title_and_queue_go_on_the_publications_and_are_shown_again(
    client, community_manager, pinterest, tumblr
):
    client.force_login(community_manager)
    data = form_data(accounts=[pinterest, tumblr])
    data |= {f"board_{pinterest.pk}": "102", f"title_{pinterest.pk}": "Vernissage", f"queue_{tumblr.pk}": "on"}

    response = client.post(reverse("post_new"), data)

    post = Post.objects.get()
    assert response.status_code == 302
    extras = {p.account_id: p.extra for p in post.publications.all()}
    assert extras == {pinterest.pk: {"board_id": "102", "title": "Vernissage"}, tumblr.pk: {"queue": True}}
    edit = client.get(reverse("post_edit", args=[post.pk]))
    form = edit.context["form"]
    assert form[f"board_{pinterest.pk}"].value() == "102"
    assert form[f"queue_{tumblr.pk}"].value() is True

    data |= {"version": post.version, f"board_{pinterest.pk}": "101", f"queue_{tumblr.pk}": ""}
    client.post(reverse("post_edit", args=[post.pk]), data)

    extras = {p.account_id: p.extra for p in post.publications.all()}
    assert extras == {pinterest.pk: {"board_id": "101", "title": "Vernissage"}, tumblr.pk: {"queue": False}}
