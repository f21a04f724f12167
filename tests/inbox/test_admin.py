"""The admin shows a reply's pipeline fields (its lease, retry time, key…) without letting anyone edit them, like a
publication's: an edit there would break a lease or let a reply go out twice."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inbox.models import Reply
from publishing.models import Publication
from tests.factories import MessageFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_a_replys_change_form_shows_its_pipeline_fields_read_only(admin_client, admin_user):
    reply = Reply.objects.create(
        message=MessageFactory(), author=admin_user, text="Merci !", lease_until=timezone.now(), attempt_count=2
    )

    html = admin_client.get(reverse("admin:inbox_reply_change", args=[reply.pk])).content.decode()

    assert "lease_until" in Reply.PIPELINE_FIELDS and "dispatched_at" in Reply.PIPELINE_FIELDS
    for name in Reply.PIPELINE_FIELDS:
        assert f'class="form-row field-{name}' in html  # shown…
        assert f'name="{name}"' not in html  # …but not as an input
    assert 'name="text"' in html  # what a person may still correct stays editable


def test_a_publications_change_form_shares_the_same_read_only_fields(admin_client):
    publication = PublicationFactory()

    html = admin_client.get(reverse("admin:publishing_publication_change", args=[publication.pk])).content.decode()

    assert Publication.PIPELINE_FIELDS is Reply.PIPELINE_FIELDS
    for name in Publication.PIPELINE_FIELDS:
        assert f'name="{name}"' not in html
