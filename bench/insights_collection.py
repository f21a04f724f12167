"""The collection half of bench/insights.py: snapshots collected through the real pipeline and the real adapters
from the fake servers, against a floor (the same snapshot rows bulk-inserted).

`measure_collection(count)` expects Django configured on the benchmark's database (bench.harness.configure_django)
and migrated. It builds `count` published publications spread over a few Mastodon accounts, each served by its own
fake (tests/fakes/mastodon.py, in a child process so the fakes do not share the GIL with the pipeline), with their
+1 h snapshot due; then runs dispatch (claims in batches of 20 per account) and collection (one batched call per claim,
recorded once) until nothing is due, the batches run by a pool of threads as an insights worker would. Then it deletes
the snapshots and times bulk-inserting the same rows: the floor.
"""

import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor

ACCOUNTS = 4
THREADS = 8  # an insights worker's threads


def _serve(pipe, count: int) -> None:
    """Child process: one Mastodon fake with `count` statuses of the museum, each with counts."""
    from tests.fakes.mastodon import FakeMastodon

    fake = FakeMastodon().start()
    ids = []
    for n in range(count):
        status = fake._status(f"<p>Œuvre {n}</p>", fake.account, None)
        fake.set_counts(status["id"], likes=n % 300, boosts=n % 17, replies=n % 5, quotes=n % 3)
        ids.append(status["id"])
    index = {s["id"]: s for s in fake.statuses}
    fake._find = index.get  # the fake's linear search is the fake's cost, not ours
    pipe.send((fake.account_fields(), ids))
    pipe.recv()  # until the parent is done
    fake.stop()


def start_fakes(count: int, accounts: int = ACCOUNTS):
    context = multiprocessing.get_context("fork")
    served = []
    for n in range(accounts):
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child, count // accounts + (n < count % accounts)), daemon=True)
        process.start()
        served.append((process, parent, *parent.recv()))
    return served


def build(served) -> int:
    """Accounts, posts, publications and the due schedule rows of what the fakes serve."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from editorial.models import Post
    from insights.models import Checkpoint, PublicationSnapshot, ScheduledSnapshot
    from publishing.models import Publication, SocialAccount

    now = timezone.now()
    with transaction.atomic():
        PublicationSnapshot.objects.filter(publication__account__handle__startswith="collect-").delete()
        ScheduledSnapshot.objects.filter(account__handle__startswith="collect-").delete()
        Publication.objects.filter(account__handle__startswith="collect-").delete()
        SocialAccount.objects.filter(handle__startswith="collect-").delete()
        author = User.objects.get_or_create(username="bench-collector")[0]
        rows = 0
        for n, (_process, _pipe, fields, ids) in enumerate(served):
            account = SocialAccount.objects.create(**{**fields, "handle": f"collect-{n}@fake.social"})
            posts = Post.objects.bulk_create(
                [Post(title=f"Collecte {i}", author=author, scheduled_at=now) for i in ids], batch_size=2000
            )
            publications = Publication.objects.bulk_create(
                [
                    Publication(post=post, account=account, state="published", external_id=i, published_at=now)
                    for post, i in zip(posts, ids, strict=True)
                ],
                batch_size=2000,
            )
            ScheduledSnapshot.objects.bulk_create(
                [
                    ScheduledSnapshot(
                        kind="publication", account=account, publication=p, checkpoint=Checkpoint.H1, due_at=now
                    )
                    for p in publications
                ],
                batch_size=2000,
            )
            rows += len(publications)
    with connection.cursor() as cursor:  # as autovacuum leaves a table between bursts: statistics known, no dead rows
        for model in (Publication, ScheduledSnapshot):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return rows


def collect_until_done(threads: int = THREADS) -> float:
    """Seconds to dispatch and collect everything due: beat's dispatch here, and each claimed batch collected by a
    pool of threads, as an insights worker (`--pool threads`) would run them. The broker is Celery's in-memory one:
    the messages dispatch enqueues are not what is measured."""
    from insights.collection import snapshots_collect, snapshots_dispatch
    from insights.models import ScheduledSnapshot

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        while tokens := snapshots_dispatch():
            list(pool.map(lambda claim: snapshots_collect(claim=claim), tokens))
    elapsed = time.perf_counter() - started
    left = ScheduledSnapshot.objects.filter(account__handle__startswith="collect-").exclude(state="done").count()
    if left:
        raise RuntimeError(f"{left} snapshots were not collected")
    return elapsed


def floor_seconds() -> float:
    """Bulk-insert the very rows collection wrote, after deleting them: the database's own cost."""
    from django.db import transaction

    from insights.models import PublicationSnapshot

    taken = PublicationSnapshot.objects.filter(publication__account__handle__startswith="collect-")
    rows = list(taken)
    taken.delete()
    for row in rows:
        row.pk = None
    started = time.perf_counter()
    with transaction.atomic():
        PublicationSnapshot.objects.bulk_create(rows, batch_size=500)
    return time.perf_counter() - started


def measure_collection(count: int = 5000, accounts: int = ACCOUNTS) -> dict:
    """{"collected": n, "collect_per_s": …, "floor_per_s": …} for `count` snapshots over `accounts` accounts."""
    from django.conf import settings

    settings.INSIGHTS_CALLS_PER_HOUR = 10**9  # the allowance is not what is measured
    served = start_fakes(count, accounts)
    try:
        rows = build(served)
        collect = collect_until_done()
        floor = floor_seconds()
    finally:
        for process, pipe, *_rest in served:
            pipe.send("stop")
            process.join(timeout=10)
    return {"collected": rows, "collect_per_s": round(rows / collect, 1), "floor_per_s": round(rows / floor, 1)}
