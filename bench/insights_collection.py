"""The collection half of bench/insights.py: snapshots collected through the real pipeline and the real adapters
from the fake servers, against a floor (the same snapshot rows bulk-inserted).

`measure_collection(count)` expects Django configured on the benchmark's database (bench.harness.configure_django)
and migrated. It builds `count` published publications spread over a few Mastodon accounts, each served by its own
fake (tests/fakes/mastodon.py, in a child process so the fakes do not share the GIL with the pipeline), with their
+1 h snapshot due; then runs dispatch (claims in batches of 20 per account) and collection (one batched call per claim,
recorded once) until nothing is due, the batches run by a pool of threads as an insights worker would. Then it deletes
the snapshots and times bulk-inserting the same rows: the floor.

Both are medians of `ROUNDS` rounds, each a collection then a floor insert of the rows it wrote (then the same
snapshots are made due again), each on tables vacuumed as autovacuum leaves them between bursts. A single insert of a
fraction of a second decided the ratio: its rate moved threefold with the load of the moment, and the first of a run
was up to twice as slow as the next ones; taken in turn, collection and floor see the same moments of a shared
machine.
"""

import multiprocessing
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ACCOUNTS = 4
THREADS = 8  # an insights worker's threads
ROUNDS = 5  # a collection and a floor insert each; the medians count
HANDLES = "collect-"  # the benchmark's accounts


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
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from editorial.models import Post
    from insights.models import Checkpoint, PublicationSnapshot, ScheduledSnapshot
    from publishing.models import Publication, SocialAccount

    now = timezone.now()
    with transaction.atomic():
        PublicationSnapshot.objects.filter(publication__account__handle__startswith=HANDLES).delete()
        ScheduledSnapshot.objects.filter(account__handle__startswith=HANDLES).delete()
        Publication.objects.filter(account__handle__startswith=HANDLES).delete()
        SocialAccount.objects.filter(handle__startswith=HANDLES).delete()
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
    _vacuum()
    return rows


def _vacuum() -> None:
    """As autovacuum leaves the tables between bursts: statistics known, no dead rows."""
    from django.db import connection

    from insights.models import LatestMetrics, PublicationSnapshot, ScheduledSnapshot
    from publishing.models import Publication

    with connection.cursor() as cursor:
        for model in (Publication, ScheduledSnapshot, PublicationSnapshot, LatestMetrics):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def due_again() -> None:
    """The benchmark's snapshots due again, as before their collection: what it wrote deleted."""
    from insights.models import LatestMetrics, PublicationSnapshot, ScheduledSnapshot

    PublicationSnapshot.objects.filter(publication__account__handle__startswith=HANDLES).delete()
    LatestMetrics.objects.filter(account__handle__startswith=HANDLES).delete()
    ScheduledSnapshot.objects.filter(account__handle__startswith=HANDLES).update(
        state="due", claim=None, lease_until=None, next_attempt_at=None, attempts=0, error=""
    )
    _vacuum()


def connect(pool: ThreadPoolExecutor) -> None:
    """Each thread of the pool opens its database connection, as a running worker's threads have theirs (kept
    across tasks, CONN_MAX_AGE): the floor's connection is open too."""
    from django.db import connection

    started = threading.Barrier(THREADS, timeout=60)  # every thread takes one: none connects twice, none is left out
    list(pool.map(lambda _n: (connection.ensure_connection(), started.wait()), range(THREADS)))


def collect_until_done(pool: ThreadPoolExecutor) -> float:
    """Seconds to dispatch and collect everything due: beat's dispatch here, and each claimed batch collected by
    `pool`, as an insights worker (`--pool threads`) would run them. The broker is Celery's in-memory one: the
    messages dispatch enqueues are not what is measured."""
    from insights.collection import snapshots_collect, snapshots_dispatch
    from insights.models import ScheduledSnapshot

    started = time.perf_counter()
    while tokens := snapshots_dispatch():
        list(pool.map(lambda claim: snapshots_collect(claim=claim), tokens))
    elapsed = time.perf_counter() - started
    left = ScheduledSnapshot.objects.filter(account__handle__startswith=HANDLES).exclude(state="done").count()
    if left:
        raise RuntimeError(f"{left} snapshots were not collected")
    return elapsed


def floor_seconds() -> float:
    """Bulk-insert the very rows collection wrote, after deleting them: the database's own cost."""
    from django.db import transaction

    from insights.models import PublicationSnapshot

    taken = PublicationSnapshot.objects.filter(publication__account__handle__startswith=HANDLES)
    rows = list(taken)
    taken.delete()
    _vacuum()
    for row in rows:
        row.pk = None
    started = time.perf_counter()
    with transaction.atomic():
        PublicationSnapshot.objects.bulk_create(rows, batch_size=500)
    return time.perf_counter() - started


def measure_collection(count: int = 5000, accounts: int = ACCOUNTS) -> dict:
    """{"collected": n, "collect_per_s": …, "floor_per_s": …, "collect_s": […], "floor_s": […]} for `count`
    snapshots over `accounts` accounts: the rates of the medians, and every run's seconds."""
    from django.conf import settings

    settings.INSIGHTS_CALLS_PER_HOUR = 10**9  # the allowance is not what is measured
    served = start_fakes(count, accounts)
    try:
        rows = build(served)
        collected, floor = [], []
        with ThreadPoolExecutor(THREADS) as pool:
            connect(pool)
            for n in range(ROUNDS):
                if n:
                    due_again()
                collected.append(collect_until_done(pool))
                floor.append(floor_seconds())
    finally:
        for process, pipe, *_rest in served:
            pipe.send("stop")
            process.join(timeout=10)
    return {
        "collected": rows,
        "collect_per_s": round(rows / statistics.median(collected), 1),
        "floor_per_s": round(rows / statistics.median(floor), 1),
        "collect_s": [round(s, 3) for s in collected],
        "floor_s": [round(s, 3) for s in floor],
    }
