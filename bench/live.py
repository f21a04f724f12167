"""Benchmark of the live desk: from a tap to the network's accepted write, while a backlog of scheduled publications
is being worked. Real beat and worker processes on Redis and PostgreSQL, the fake networks of tests/fakes.

    python bench/live.py --taps 50 --backlog 5000 --latency-ms 200

1. Starts the fake networks (bench/fake_networks.py, in a child process: L ms per request, a share of 503s on writes)
   and keeps 13 accounts: Mastodon 3, Bluesky 3, X 3, Facebook Pages 2, LinkedIn 2 (Instagram and Threads, which
   need an image or two calls per post, are left to bench/publishing.py).
2. Prepares a live session on those 13 accounts with T posts (each with its own text per account), approved, as one
   thread per account (`--no-thread` for separate posts).
3. Starts W workers and beat, makes B publications due at once on the same accounts (a backlog), and once the
   workers are busy with it, taps the session's posts one by one, evenly over one minute, as the desk's button does
   (`live_post_fire`). A tap's latency is when the network first accepted a write carrying that account's text minus
   when the tap began; its p50 and p99 are over every publication of every tap.
Duplicates count the taps' texts held more than once by the networks; lost counts tap publications never accepted.
The last line is one JSON object.
"""

import _root  # noqa: F401  first: the project's root on sys.path, not bench/

# isort: split
import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import fake_networks
from bench.harness import percentile
from bench.publishing import (
    _wait_for_log,
    configure,
    make_accounts,
    make_publications,
    reset_data,
    start_beat,
    start_workers,
    stop,
)

LIVE_NETWORKS = {"mastodon": 3, "bluesky": 3, "x": 3, "facebook": 2, "linkedin": 2}
FIRST_TAP_NUMBER = 5_000_000  # the taps' texts are numbered apart from the backlog's


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--taps", type=int, default=50)
    parser.add_argument("--over-s", type=float, default=60.0, help="the taps are spread evenly over this long")
    parser.add_argument("--backlog", type=int, default=5000, help="scheduled publications due at once")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=32, help="threads per worker process")
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of writes answered 503")
    parser.add_argument("--no-thread", action="store_true", help="separate posts instead of one thread per account")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/museumcm_bench_live"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))
    return parser.parse_args()


def marker(tap: int, index: int) -> int:
    return FIRST_TAP_NUMBER + tap * 100 + index


def is_tap(text: str) -> bool:
    found = fake_networks.MARKER.search(text.encode())
    return bool(found) and int(found[1]) >= FIRST_TAP_NUMBER


def prepare_session(accounts, taps: int, thread: bool):
    """An approved live session whose posts carry, on each account, a text numbered for the arrivals."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from editorial.models import LiveSession, MuseumEvent
    from editorial.services.live import live_post_add, live_session_approve, live_session_create

    users = get_user_model().objects
    users.filter(username__startswith="bench").delete()  # their posts went with reset_data()
    # Emails are unique: each bench user gets one (bench/publishing.py's author "bench" too).
    _bench, cm, manager = (
        users.create(username=name, email=f"{name}@bench.example") for name in ("bench", "bench-cm", "bench-manager")
    )
    LiveSession.objects.all().delete()
    today = timezone.localdate()
    event = MuseumEvent.objects.create(title="Bench night", kind="other", starts_on=today, ends_on=today)
    session = live_session_create(by=cm, title="Bench live", event=event, accounts=accounts, as_thread=thread)
    posts = []
    for tap in range(taps):
        texts = {
            a.pk: f"bench-{marker(tap, i):07d}- En direct de la nocturne, moment {tap}." for i, a in enumerate(accounts)
        }
        posts.append(live_post_add(session=session, by=cm, text=f"Moment {tap}", texts=texts))
    blocked = live_session_approve(session=session, by=manager)
    if blocked:
        raise SystemExit(f"{len(blocked)} posts did not pass validation")
    return cm, posts


def tap_all(cm, posts, over_s: float, backlog_ids: list[int]) -> tuple[list[float], list[int]]:
    """Fire each post at its moment; returns when each tap began, and the backlog still to do at each tap."""
    from editorial.services.live import live_post_fire
    from publishing.models import Publication

    backlog = Publication.objects.filter(pk__range=(min(backlog_ids), max(backlog_ids)), state__in=["due", "sending"])
    started, tapped_at, left = time.time(), [], []
    for tap, post in enumerate(posts):
        time.sleep(max(0.0, started + over_s * tap / len(posts) - time.time()))
        left.append(backlog.count())  # before the tap's clock starts
        tapped_at.append(time.time())
        live_post_fire(post=post, by=cm)
    return tapped_at, left


def wait_for_taps(posts, timeout: float) -> None:
    from publishing.models import Publication

    rows = Publication.objects.filter(post__in=posts, state__in=["due", "sending"])
    deadline = time.monotonic() + timeout
    while rows.exists() and time.monotonic() < deadline:
        time.sleep(0.25)


def main() -> None:
    args = parse_args()
    env = configure(args)
    from django.db import connection
    from django.utils import timezone

    from museumcm.celery import app

    log_dir = tempfile.mkdtemp(prefix="museumcm-bench-live-logs-")
    app.control.purge()
    reset_data()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE editorial_livesession, editorial_museumevent CASCADE")
    fake_networks.ACCOUNTS.update({"instagram": 1, "threads": 1, **LIVE_NETWORKS})  # read by the child on start
    fakes = fake_networks.FakeNetworks(args.latency_ms / 1000, args.error_rate)
    accounts = [a for a in make_accounts(fakes.accounts) if a.network in LIVE_NETWORKS]
    cm, posts = prepare_session(accounts, args.taps, thread=not args.no_thread)
    workers = start_workers(env, args.workers, args.concurrency, log_dir)
    beat = start_beat(env, log_dir)
    _wait_for_log(Path(log_dir) / "beat.log", "beat: Starting", beat)
    try:
        backlog = make_publications(accounts, 0, args.backlog, [timezone.now()] * args.backlog)
        print(f"{args.backlog} scheduled publications due at once on {len(accounts)} accounts", flush=True)
        time.sleep(3)  # the dispatcher has queued them and the workers are busy
        tapped_at, left = tap_all(cm, posts, args.over_s, [p.pk for p in backlog])
        print(f"{args.taps} taps over {args.over_s:.0f} s; backlog left at the first and last: {left[0]}, {left[-1]}")
        wait_for_taps(posts, timeout=300)
    finally:
        stop([beat, *workers])
        arrivals = fakes.ask("arrivals")
        texts = fakes.ask("posts")
        fakes.stop()
    latencies, lost = [], 0
    for tap in range(args.taps):
        for index in range(len(accounts)):
            at = arrivals.get(marker(tap, index))
            if at is None:
                lost += 1
            else:
                latencies.append(at - tapped_at[tap])
    tap_texts = [
        t for t in texts if (found := fake_networks.MARKER.search(t.encode())) and int(found[1]) >= FIRST_TAP_NUMBER
    ]
    result = {
        "taps": args.taps,
        "accounts": len(accounts),
        "tap_publications": args.taps * len(accounts),
        "backlog": args.backlog,
        "backlog_left_at_first_tap": left[0],
        "backlog_left_at_last_tap": left[-1],
        "taps_during_backlog": sum(1 for n in left if n),
        "lost": lost,
        "duplicates": len(tap_texts) - len(set(tap_texts)),
        "tap_p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "tap_p99_s": percentile(latencies, 99, digits=3) if latencies else None,
        "tap_max_s": round(max(latencies), 3) if latencies else None,
    }
    print(
        f"workers={args.workers}x{args.concurrency} threads, latency {args.latency_ms} ms, error rate "
        f"{args.error_rate:.0%}, thread={not args.no_thread}; logs in {log_dir}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
