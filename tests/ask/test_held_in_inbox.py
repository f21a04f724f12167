"""Questions held for moderation show as such in the inbox, and a filter lists only them."""

import pytest
from django.urls import reverse

from ask.services import channel_account, question_ask
from inbox.sync import account_sync

pytestmark = pytest.mark.django_db

HELD = "Held for moderation"


def test_held_questions_are_marked_and_filterable_in_the_inbox(client, community_manager):
    question_ask(text="Visitez http://promo.example ?", name="", email="", language="fr", held=True)
    question_ask(text="Pourquoi le ciel est-il bleu ?", name="", email="", language="fr", held=False)
    account_sync(account=channel_account())
    client.force_login(community_manager)

    everything = client.get(reverse("inbox")).content.decode()
    held_only = client.get(reverse("inbox") + "?status=open&held=on").content.decode()

    assert "promo.example" in everything and "ciel est-il bleu" in everything
    assert everything.count(f'<span class="badge badge-warn">{HELD}</span>') == 1
    assert "promo.example" in held_only and "ciel est-il bleu" not in held_only
    assert f'<span class="badge badge-warn">{HELD}</span>' in held_only
