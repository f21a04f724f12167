"""The inbox list's rows: written by a template tag, pinned against the partial they mirror."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from inbox.models import Message, Presence
from inbox.selectors import attach_presences
from inbox.templatetags.inbox_list import inbox_rows
from tests.factories import CampaignFactory, MessageFactory, PostFactory, PublicationFactory, SocialAccountFactory


def _flat(html: str) -> str:
    html = re.sub(r"\{#.*?#\}", "", html)
    return re.sub(r">\s*\n\s*<", "><", html.strip())


def _loaded(message: Message, viewer) -> Message:
    rows = list(
        Message.objects.filter(pk=message.pk).select_related(
            "account", "assignee", "routed_to", "publication__post__campaign"
        )
    )
    return attach_presences(rows, exclude_user=viewer)[0]


@pytest.fixture
def messages(db, community_manager, curator, manager):
    account = SocialAccountFactory(network="mastodon", handle="musee@ex.social")
    post = PostFactory(title="Nuit <des> musées", campaign=CampaignFactory(name="MuseumWeek"))
    publication = PublicationFactory(post=post, account=account)
    plain = MessageFactory(account=account, author_name="", author_handle="lea", read=True, status="done")
    rich = MessageFactory(
        account=account,
        author_name="Léa <Martin>",
        author_avatar="https://ex.social/avatars/lea.png",
        text="Quelle technique ? <script>",
        publication=publication,
        assignee=community_manager,
        routed_to=curator,
        edited=True,
        deleted=True,
        missing_since=timezone.now(),
        status="spam",
    )
    Presence.objects.create(message=rich, user=manager, activity="replying")
    return {"plain": plain, "rich": rich}


@pytest.mark.parametrize("name", ["plain", "rich"])
def test_an_inbox_row_from_the_tag_is_the_row_of_the_partial(messages, name, curator):
    message = _loaded(messages[name], curator)

    assert _flat(inbox_rows([message])) == _flat(render_to_string("inbox/_row.html", {"m": message}))


def test_a_row_shows_the_authors_avatar_and_the_networks_icon_and_escapes_what_it_quotes(messages, curator):
    html = inbox_rows([_loaded(messages["rich"], curator)])

    assert '<img class="avatar" src="https://ex.social/avatars/lea.png" alt=""' in html
    assert "img/networks/mastodon" in html and 'class="network-icon"' in html
    assert "Léa &lt;Martin&gt;" in html and "<script>" not in html and "Nuit &lt;des&gt; musées" in html
    assert '<span class="avatar avatar-initial" aria-hidden="true">L</span>' in inbox_rows([messages["plain"]])


def test_the_conversation_shows_the_authors_avatar(client, messages, community_manager):
    client.force_login(community_manager)
    page = client.get(reverse("inbox_conversation", args=[messages["rich"].pk])).content.decode()

    assert '<img class="avatar" src="https://ex.social/avatars/lea.png" alt=""' in page
