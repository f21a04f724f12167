"""Publications on the Mastodon fake with their +1 h snapshot due now: what the collection tests collect."""

from django.utils import timezone

from insights.models import Checkpoint, ScheduledSnapshot
from publishing.models import Publication
from tests.factories import PublicationFactory


def published_with_due_snapshots(fake, account, count: int) -> list[Publication]:
    """`count` statuses published an hour ago, each with its +1 h snapshot due now."""
    publications = []
    for n in range(count):
        status = fake._status(f"<p>Œuvre {n}</p>", fake.account, None)
        fake.set_counts(status["id"], likes=n, boosts=1)
        publications.append(
            PublicationFactory(
                account=account, external_id=status["id"], state="published", published_at=timezone.now()
            )
        )
    ScheduledSnapshot.objects.bulk_create(
        ScheduledSnapshot(
            kind="publication", account=account, publication=p, checkpoint=Checkpoint.H1, due_at=timezone.now()
        )
        for p in publications
    )
    return publications
