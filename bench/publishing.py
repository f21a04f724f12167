"""Benchmark of the publishing pipeline: real beat and worker processes on Redis and PostgreSQL, fake networks.

    python bench/publishing.py --publications 10000 --workers 2 --concurrency 32 --latency-ms 200

1. Starts every network's fake server (tests/fakes) on loopback in a child process of its own (not threads of
   this one), each answering after L ms with 2% transient 503s on writes, and 50 accounts spread over them
   (Mastodon, Bluesky, X, Facebook Pages, Instagram, LinkedIn, Threads).
2. Starts W worker processes (threads pool, C threads each) and one beat, then makes N publications due at times
   spread evenly over one minute. Lateness is when the fake network received the post (its first accepted write
   carrying the post's text) minus when it was due.
3. Throughput: N more publications due at once (a backlog, e.g. after a pause), timed until all are published.
4. Floor: N no-op Celery tasks through the same broker and the same workers, timed until all have run.
Duplicates count posts the networks hold beyond one per publication; lost counts publications never published.
CPU is the workers' user + system time over both publishing phases, per publication; the backlog phase's CPU of the
whole machine is also printed by who spent it (workers, PostgreSQL, Redis, the fake networks, the benchmark, the
rest), from /proc. The last line is one JSON object.
"""

from _root import ROOT  # first: the project's root on sys.path, not bench/

# isort: split
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.fake_networks import FakeNetworks
from bench.harness import create_database, percentile


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publications", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=32, help="threads per worker process")
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--error-rate", type=float, default=0.02, help="share of writes answered 503")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/museumcm_bench_publishing"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))
    return parser.parse_args()


def configure(args) -> dict:
    """Production-like settings (DEBUG off) on the benchmark's own database and Redis db; returns the workers' env."""
    data_dir = tempfile.mkdtemp(prefix="museumcm-bench-")
    env = {
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "false",
        "HTTPS": "false",
        "LOG_LEVEL": "WARNING",
        "DATA_DIR": data_dir,
        "MEDIA_ROOT": f"{data_dir}/media",
        "SITE_URL": "https://musee.example",
        "OUTBOUND_ALLOW_HTTP": "true",  # the fake networks serve plain HTTP on loopback
        "OUTBOUND_ALLOWED_HOSTS": "127.0.0.1",
        "PUBLISHING_DISPATCH_INTERVAL": os.environ.get("PUBLISHING_DISPATCH_INTERVAL", "1"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key"),
        "FIELD_ENCRYPTION_KEY": os.environ.get("FIELD_ENCRYPTION_KEY", "uQpJ9XqgU2iGm3cw7j1rN3l0vCq5n8K3yF4sQk2bK2A="),
        "DJANGO_SETTINGS_MODULE": "museumcm.settings",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    create_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {**os.environ}


# Data --------------------------------------------------------------------------------------------------------------


def reset_data():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE publishing_publishattempt, publishing_publication, editorial_media, editorial_post, "
            "publishing_socialaccount, publishing_publishingpause CASCADE"
        )


def make_accounts(fields: list[dict]):
    from publishing.models import SocialAccount

    return [SocialAccount.objects.create(**f) for f in fields]


def make_publications(accounts, first: int, count: int, due: list[datetime]):
    """`count` approved posts, one publication each, round-robin over the accounts; Instagram's get an image."""
    from django.contrib.auth import get_user_model

    from editorial.models import Media, Post
    from publishing.models import Publication

    author, _created = get_user_model().objects.get_or_create(username="bench")
    image = instagram_image()
    posts, publications, media = [], [], []
    for offset in range(count):
        number = first + offset
        text = f"bench-{number:07d}- La Joconde vous attend. #MuseumWeek"
        posts.append(
            Post(title=f"Bench {number}", text=text, author=author, status="approved", scheduled_at=due[offset])
        )
    posts = Post.objects.bulk_create(posts, batch_size=2000)
    for offset, post in enumerate(posts):
        account = accounts[(first + offset) % len(accounts)]
        publications.append(
            Publication(post=post, account=account, text=post.text, state="due", scheduled_at=post.scheduled_at)
        )
        if account.network == "instagram":
            media.append(
                Media(
                    post=post, file=image, content_type="image/jpeg", size=1, width=320, height=320, alt_text="Joconde"
                )
            )
    Media.objects.bulk_create(media, batch_size=2000)
    return Publication.objects.bulk_create(publications, batch_size=2000)


def instagram_image() -> str:
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 320), "#c9a227").save(buffer, format="JPEG")
    return default_storage.save("bench/joconde.jpg", ContentFile(buffer.getvalue()))


# Processes ---------------------------------------------------------------------------------------------------------


def start_workers(env: dict, count: int, concurrency: int, log_dir: str) -> list[subprocess.Popen]:
    workers = []
    for n in range(count):
        log = Path(log_dir) / f"worker{n}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "museumcm", "worker", "--loglevel=WARNING", "--pool=threads",
            f"--concurrency={concurrency}", f"--hostname=bench{n}-{os.getpid()}@%h", "--without-heartbeat",
            "--without-mingle", "--without-gossip",
        ]  # fmt: skip
        workers.append(_spawn(command, env, log))
    try:
        _wait_for_workers(count)
    except SystemExit:
        stop(workers)
        raise
    return workers


def _wait_for_workers(count: int, timeout: float = 90) -> None:
    """Until every worker answers a ping (they log at WARNING, so no "ready" line to wait for)."""
    from museumcm.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0) or []) >= count:
            return
    raise SystemExit("the workers did not start")


def start_beat(env: dict, log_dir: str) -> subprocess.Popen:
    schedule = Path(log_dir) / "beat-schedule"
    command = [sys.executable, "-m", "celery", "-A", "museumcm", "beat", "--loglevel=INFO", "-s", str(schedule)]
    return _spawn(command, env, Path(log_dir) / "beat.log")


def _spawn(command, env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_for_log(path: Path, text: str, process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text():
            return
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise SystemExit(f"{path.name} did not start:\n{path.read_text()[-2000:]}")


def stop(processes) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, 15)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)


def cpu_ticks() -> dict[int, tuple[int, str, int]]:
    """Every process's (process group, command name, user + system ticks; threads count in their process)."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        ticks[int(stat.parent.name)] = (int(fields[2]), name, int(fields[11]) + int(fields[12]))
    return ticks


def cpu_seconds(before: dict, after: dict, processes) -> float:
    """CPU the processes' groups (each started in a session of its own, children included) spent in between."""
    groups = {p.pid for p in processes}
    return _spent(before, after, lambda pid, group, name: group in groups)


def cpu_split(before: dict, after: dict, workers, fakes_pid: int) -> dict[str, float]:
    """CPU seconds of the whole machine in between, by who spent it: the pipeline, its services, the networks."""
    groups = {p.pid for p in workers}
    who = {
        "workers": lambda pid, group, name: group in groups,
        "postgresql": lambda pid, group, name: name == "postgres",
        "redis": lambda pid, group, name: name.startswith("redis-server"),
        "fake networks": lambda pid, group, name: pid == fakes_pid,
        "benchmark": lambda pid, group, name: pid == os.getpid(),
    }
    split = {label: _spent(before, after, test) for label, test in who.items()}
    split["everything else"] = _spent(before, after, lambda *args: True) - sum(split.values())
    return split


def _spent(before: dict, after: dict, test) -> float:
    total = 0
    for pid, (group, name, ticks) in after.items():
        if test(pid, group, name):
            total += ticks - before.get(pid, (group, name, 0))[2]
    return total / os.sysconf("SC_CLK_TCK")


def wait_published(ids: list[int], timeout: float) -> float:
    """Until every publication left the pipeline (published, failed or unconfirmed); returns when (monotonic).

    The ids of one phase are consecutive (one bulk insert): asking by range keeps this poll from costing the
    machine a 10,000-parameter query four times a second while the workers are measured."""
    from publishing.models import Publication

    phase = Publication.objects.filter(pk__range=(min(ids), max(ids)))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        moving = phase.filter(state__in=["due", "sending"]).count()
        if not moving:
            return time.monotonic()
        time.sleep(0.25)
    return time.monotonic()


def floor(count: int) -> float:
    """N no-op tasks through the same broker and workers: tasks per second."""
    from django.core.cache import cache

    from publishing.tasks import bench_noop

    key = f"bench-noop-{time.time_ns()}"
    cache.set(key, 0, timeout=3600)
    started = time.monotonic()
    with bench_noop.app.producer_or_acquire() as producer:
        for _ in range(count):
            bench_noop.apply_async((key,), producer=producer)
    deadline = started + 600
    while (cache.get(key) or 0) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return count / (time.monotonic() - started)


def main() -> None:
    args = parse_args()
    env = configure(args)
    from django.utils import timezone

    from museumcm.celery import app
    from publishing.models import Publication

    log_dir = tempfile.mkdtemp(prefix="museumcm-bench-logs-")
    app.control.purge()
    reset_data()
    fakes = FakeNetworks(args.latency_ms / 1000, args.error_rate)
    accounts = make_accounts(fakes.accounts)
    workers = start_workers(env, args.workers, args.concurrency, log_dir)
    beat = start_beat(env, log_dir)
    _wait_for_log(Path(log_dir) / "beat.log", "beat: Starting", beat)
    n = args.publications
    try:
        ticks_started = cpu_ticks()
        # Phase 1: N publications due at times spread evenly over one minute.
        start = timezone.now() + timedelta(seconds=5)
        due = [start + timedelta(seconds=60 * i / n) for i in range(n)]
        scheduled = make_publications(accounts, 0, n, due)
        print(f"{n} publications due from {start:%H:%M:%S} over one minute", flush=True)
        wait_published([p.pk for p in scheduled], timeout=60 + 300)
        arrivals = fakes.ask("arrivals")
        lateness = [
            arrivals[i] - due[i].timestamp() for i in range(n) if i in arrivals
        ]  # fmt: skip
        # Phase 2: N publications due at once (a backlog), for throughput.
        burst = make_publications(accounts, n, n, [timezone.now()] * n)
        burst_ticks = cpu_ticks()
        burst_started = time.monotonic()
        print(f"{n} publications due at once", flush=True)
        burst_done = wait_published([p.pk for p in burst], timeout=600)
        ticks_done = cpu_ticks()
        cpu = cpu_seconds(ticks_started, ticks_done, workers)
        split = cpu_split(burst_ticks, ticks_done, workers, fakes.process.pid)
        # Floor: no-op tasks through the same broker and workers.
        floor_per_s = floor(n)
    finally:
        stop([beat, *workers])
        texts = fakes.ask("posts")
        fakes.stop()
    published = Publication.objects.filter(pk__in=[p.pk for p in scheduled], state="published").count()
    burst_published = Publication.objects.filter(pk__in=[p.pk for p in burst], state="published").count()
    print(f"backlog phase: {burst_published} of {n} published", flush=True)
    print(
        "backlog phase, machine CPU per publication (ms): "
        + ", ".join(f"{label} {seconds * 1000 / n:.2f}" for label, seconds in split.items())
        + f"; in all {sum(split.values()) * 1000 / n:.2f}",
        flush=True,
    )
    result = {
        "publications": n,
        "published": published,
        "duplicates": len(texts) - len(set(texts)),
        "lost": n - published,
        "throughput_per_s": round(n / (burst_done - burst_started), 1),
        "floor_per_s": round(floor_per_s, 1),
        "lateness_p50_s": round(statistics.median(lateness), 3) if lateness else None,
        "lateness_p99_s": percentile(lateness, 99, digits=3) if lateness else None,
        "cpu_ms_per_publication": round(cpu * 1000 / (2 * n), 2),
    }
    print(
        f"workers={args.workers}x{args.concurrency} threads, latency {args.latency_ms} ms, "
        f"error rate {args.error_rate:.0%}; logs in {log_dir}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
