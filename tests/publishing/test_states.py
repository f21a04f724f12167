"""The publication's state graph, declared once on the model: what each state allows, and services that obey it."""

import pytest
from django.urls import reverse

from publishing.models import Publication
from publishing.services import publication_cancel, publication_retry
from tests.factories import PublicationFactory

pytestmark = pytest.mark.django_db
State, Action = Publication.State, Publication.Action

OFFERED = {
    State.PENDING: [],
    State.DUE: [Action.PUBLISH_NOW, Action.CANCEL, Action.RESCHEDULE],
    State.SENDING: [],
    State.PUBLISHED: [],
    State.FAILED: [Action.RETRY, Action.MARK_PUBLISHED, Action.CANCEL],
    State.UNCONFIRMED: [Action.SEND_AGAIN, Action.MARK_PUBLISHED, Action.CANCEL],
    State.CANCELLED: [],
}


@pytest.mark.parametrize("state", State.values)
def test_each_state_offers_its_declared_actions(state):
    assert Publication(state=state).actions() == OFFERED[state]


def test_a_held_publication_cannot_be_sent_now():
    assert Action.PUBLISH_NOW not in Publication(state=State.DUE, held=True).actions()


def test_every_action_has_a_declared_move_and_a_view():
    from publishing.views.publications import ACTIONS

    assert set(Publication.MOVES) >= set(Action)
    assert set(ACTIONS) == set(Action)


def test_services_refuse_what_the_graph_does_not_allow():
    pending = PublicationFactory(state=State.PENDING)
    due = PublicationFactory(state=State.DUE)

    assert not publication_cancel(publication=pending)  # a pending publication is the post's review to settle
    assert not publication_retry(publication=due)
    assert Publication.objects.get(pk=pending.pk).state == State.PENDING


def test_the_status_block_offers_what_the_model_allows(client, community_manager):
    failed = PublicationFactory(state=State.FAILED, error="Trop long.")
    client.force_login(community_manager)

    block = client.get(reverse("publication_status", args=[failed.post_id])).content.decode()

    for action in Action:
        url = reverse("publication_action", args=[failed.pk, action])
        assert (f'action="{url}"' in block) == (action in failed.actions() and action != Action.RESCHEDULE), action
    assert "badge-danger" in block
