"""Quotas: the accounts page shows what the network says; the calendar can warn before a day exceeds a limit."""

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing.models import Network, Publication
from publishing.selectors import quota_warnings
from tests.conftest import login_client
from tests.factories import PostFactory, PublicationFactory, SocialAccountFactory, UserFactory
from tests.fakes.instagram import FakeInstagram

pytestmark = pytest.mark.django_db


def test_the_accounts_page_loads_the_quota_the_network_reports(client, community_manager, settings):
    settings.ADAPTER_TIMEOUT = (2, 2)
    with FakeInstagram() as fake:
        account = SocialAccountFactory(**fake.account_fields())
        login_client(client, community_manager)

        page = client.get(reverse("social_accounts")).content.decode()
        quota = client.get(reverse("account_quota", args=[account.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert reverse("account_quota", args=[account.pk]) in page
    assert " of " in quota
    assert "used" in quota


def test_quota_warnings_flag_a_day_over_the_threads_limit(django_assert_max_num_queries):
    author = UserFactory()
    threads = SocialAccountFactory(network=Network.THREADS)
    quiet = SocialAccountFactory(network=Network.INSTAGRAM)
    sandbox = SocialAccountFactory(network=Network.SANDBOX)
    day = timezone.localdate() + timezone.timedelta(days=2)
    noon = timezone.make_aware(datetime.combine(day, time(12)))
    posts = PostFactory.create_batch(252, author=author, scheduled_at=noon)
    Publication.objects.bulk_create(
        [Publication(post=post, account=threads, state="due", scheduled_at=noon) for post in posts[:251]]
    )
    PublicationFactory(post=posts[251], account=quiet, state="due", scheduled_at=noon)
    PublicationFactory(post=posts[0], account=sandbox, state="due", scheduled_at=noon)

    with django_assert_max_num_queries(1):
        warnings = quota_warnings([threads, quiet, sandbox], day)

    assert [(w.account, w.planned, w.limit) for w in warnings] == [(threads, 251, 250)]
    assert quota_warnings([threads], day + timezone.timedelta(days=1)) == []
