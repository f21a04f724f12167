"""A real worker on Redis takes a live tap before the backlog of scheduled publications already queued."""

import pytest
from django.utils import timezone

from editorial.services.live import live_next_post, live_post_fire, live_session_approve
from publishing.models import Publication, SandboxPost
from publishing.services import publications_dispatch
from tests.conftest import wait_for
from tests.editorial.live_helpers import prepared_session
from tests.factories import SocialAccountFactory
from tests.publishing.pipeline import all_in, due_publication, start_worker

pytestmark = pytest.mark.worker
State = Publication.State
BACKLOG = 60


def test_a_tap_is_published_before_the_backlog_of_scheduled_publications_queued_ahead_of_it(
    celery_worker_factory, community_manager, manager
):
    busy = SocialAccountFactory()
    past = timezone.now() - timezone.timedelta(minutes=5)
    backlog = [due_publication(busy, at=past, text=f"Publication programmée {n}") for n in range(BACKLOG)]
    assert publications_dispatch() == BACKLOG  # all queued on the default queue, ahead of the tap
    session = prepared_session(community_manager)
    live_session_approve(session=session, by=manager)
    post = live_next_post(session)
    tapped = live_post_fire(post=post, by=community_manager)

    start_worker(celery_worker_factory, "--concurrency=1")

    everything = [*backlog, *Publication.objects.filter(pk__in=tapped)]
    wait_for(lambda: all_in(State.PUBLISHED, everything), timeout=60, message="everything to be published")
    order = list(Publication.objects.order_by("published_at", "pk").values_list("pk", flat=True))
    ranks = [order.index(pk) for pk in tapped]
    assert max(ranks) < 4, f"the tap's publications went out at ranks {ranks} of {len(order)}"
    assert SandboxPost.objects.filter(account__in=session.accounts.all()).count() == 2
