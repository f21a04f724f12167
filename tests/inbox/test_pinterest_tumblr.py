"""The inbox for networks that give less: Pinterest has no comment API (the inbox says so for its accounts), Tumblr's
notes (replies and reblogs) come in but cannot be answered from here (the conversation offers "Open on Tumblr")."""

import pytest
from django.urls import reverse

from inbox.models import Message
from inbox.sync import account_sync, syncable_accounts
from tests.conftest import login_client
from tests.networks import on_fake, published

pytestmark = pytest.mark.django_db


def test_the_inbox_says_a_pinterest_account_has_no_comments_to_show(client, community_manager, settings):
    with on_fake("pinterest", settings) as pinterest:
        login_client(client, community_manager)

        html = client.get(reverse("inbox")).content.decode()

        assert pinterest.account not in syncable_accounts()
        assert "Pinterest offers no way to read comments, so none are shown here." in html


def test_tumblr_notes_reach_the_inbox_once_and_are_answered_on_tumblr(client, community_manager, settings):
    with on_fake("tumblr", settings) as tumblr:
        publication = published(tumblr.account, tumblr.fake, "Duel : Louvre contre Prado")
        tumblr.fake.add_reply(publication.external_id, "Le Prado !", who="lea-visite")
        tumblr.fake.add_reblog(publication.external_id, "Team Louvre", who="archi-fan")

        assert account_sync(account=tumblr.account).error == ""
        assert account_sync(account=tumblr.account).error == ""

        messages = Message.objects.order_by("created_at")
        assert [(m.text, m.publication_id) for m in messages] == [
            ("Le Prado !", publication.pk),
            ("Team Louvre", publication.pk),
        ]
        login_client(client, community_manager)
        html = client.get(reverse("inbox_conversation", args=[messages[0].pk])).content.decode()
        assert "Open on Tumblr" in html
        assert f'href="https://www.tumblr.com/museemarceau/{publication.external_id}"' in html
        assert 'class="reply-form"' not in html
