"""The Insights page's, the report's and the PDF's timings over a year of history (bench/insights.py runs it).

History: 13 accounts with a year of daily snapshots, `publications` posts over the year (one publication each), with
their six snapshots (+1 h … +30 d), a third of them from curators' ideas, a fifth in campaigns, a year of answered
messages. Seeded once per database (bulk inserts), found again by its campaign's name on the next run.
"""

import os
import random
import re
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import percentile

SEED_MARK = "Bench: MuseumWeek"
ACCOUNTS = 13
NETWORKS = ["mastodon", "bluesky", "facebook", "instagram", "x", "linkedin", "threads"]
ROUNDS = 20


def seed(publications: int, year_end: datetime) -> None:
    from django.db import connection

    from editorial.models import Campaign, Idea, Post
    from insights.models import AccountSnapshot, CadenceTarget, Checkpoint, PublicationSnapshot
    from insights.models.latest import refresh_measured
    from publishing.models import Publication, SocialAccount
    from tests.factories import user_with_role

    if Campaign.objects.filter(name=SEED_MARK).exists():
        return
    rng = random.Random(15)
    start = year_end - timedelta(days=365)
    author = user_with_role("community_manager", username="bench-cm", email="bench-cm@museum.example")
    curators = [user_with_role("curator", username=f"bench-cur{i}", email=f"bench-cur{i}@m.example") for i in range(4)]
    campaigns = [Campaign.objects.create(name=SEED_MARK)] + [
        Campaign.objects.create(name=f"Bench {i}") for i in range(4)
    ]
    accounts = [
        SocialAccount.objects.create(
            network=NETWORKS[i % len(NETWORKS)], handle=f"bench-{i}", display_name=f"Bench {i}"
        )
        for i in range(ACCOUNTS)
    ]
    CadenceTarget.objects.bulk_create([CadenceTarget(account=a, posts_per_week=rng.randint(3, 12)) for a in accounts])
    AccountSnapshot.objects.bulk_create(
        [
            AccountSnapshot(
                account=a,
                day=(start + timedelta(days=d)).date(),
                taken_at=start + timedelta(days=d),
                followers=5000 + i * 300 + d * rng.randint(0, 5),
                following=100,
                posts=d,
            )
            for i, a in enumerate(accounts)
            for d in range(366)
        ],
        batch_size=5000,
    )
    moments = sorted(start + timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(publications))
    posts = Post.objects.bulk_create(
        [
            Post(
                title=f"Bench post {n}",
                author=author,
                status="approved",
                scheduled_at=at,
                campaign=campaigns[n % len(campaigns)] if n % 5 == 0 else None,
            )
            for n, at in enumerate(moments)
        ],
        batch_size=5000,
    )
    rows = Publication.objects.bulk_create(
        [
            Publication(
                post=p,
                account=accounts[n % ACCOUNTS],
                state="published",
                scheduled_at=p.scheduled_at,
                published_at=p.scheduled_at,
                text=p.title,
            )
            for n, p in enumerate(posts)
        ],
        batch_size=5000,
    )
    Idea.objects.bulk_create(
        [
            Idea(
                title=f"Idea {n}",
                pitch="…",
                kind=Idea.Kind.values[n % 6],
                proposer=curators[n % 4],
                post=p,
                status="used",
            )
            for n, p in enumerate(posts)
            if n % 3 == 0
        ],
        batch_size=5000,
    )
    snapshots = []
    for publication in rows:
        likes = rng.randint(0, 400)
        gives_views = publication.account.network in ("x", "instagram", "threads", "facebook")
        for step, checkpoint in enumerate(Checkpoint):
            share = (step + 1) / 6
            snapshots.append(
                PublicationSnapshot(
                    publication=publication,
                    checkpoint=checkpoint,
                    taken_at=publication.published_at + checkpoint.offset,
                    likes=int(likes * share),
                    reposts=int(likes * share / 5),
                    replies=int(likes * share / 10),
                    views=int(likes * share * 30) if gives_views else None,
                )
            )
        if len(snapshots) >= 30000:
            PublicationSnapshot.objects.bulk_create(snapshots)
            snapshots = []
    PublicationSnapshot.objects.bulk_create(snapshots)
    refresh_measured(publication__account__in=accounts)  # what recording them one batch at a time keeps
    _messages(accounts, moments, rng, publications)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after bulk loads: the planner sees the real table sizes


def _messages(accounts, moments, rng, publications) -> None:
    from inbox.models import Message

    Message.objects.bulk_create(
        [
            Message(
                account=accounts[n % ACCOUNTS],
                external_id=f"bench-{n}",
                kind="comment",
                author_id=f"v{n}",
                author_handle=f"v{n}",
                text="Ouvert lundi ?",
                created_at=moments[n * 5],
                first_response_at=moments[n * 5] + timedelta(minutes=rng.randint(5, 600)) if n % 4 else None,
            )
            for n in range(publications // 5)
        ],
        batch_size=5000,
    )


def _backend_cpu() -> tuple[int, float | None]:
    """The PostgreSQL backend serving Django's connection, and the CPU seconds it has used so far (read from /proc:
    a local server on Linux; None elsewhere)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return pid, None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(client, url: str, rounds: int = ROUNDS) -> float:
    """p95 of the wall time of `rounds` requests after a first one (untimed). Also prints the median wall time and
    the median CPU time a request costs (Django's process, and the PostgreSQL backend when it can be read): on a
    loaded machine the wall times mostly measure the queue for the CPUs, the CPU times what a quiet machine would
    spend."""
    walls, django_cpu, database_cpu = [], [], []
    assert client.get(url).status_code == 200  # untimed: a server process has loaded the page's templates long before
    for _ in range(rounds):
        pid, database_before = _backend_cpu()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        walls.append((time.perf_counter() - started) * 1000)
        django_cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        pid_after, database_after = _backend_cpu()
        if database_before is not None and pid_after == pid:
            database_cpu.append((database_after - database_before) * 1000)
    database = f"{statistics.median(database_cpu):.0f} ms" if database_cpu else "unknown"
    print(
        f"{url}: wall p95 {percentile(walls, 95):.0f} ms, median {statistics.median(walls):.0f} ms; CPU per request "
        f"(median) Django {statistics.median(django_cpu):.0f} ms + PostgreSQL {database}",
        flush=True,
    )
    return percentile(walls, 95)


def chart_fetches(client, page_url: str) -> float:
    """p95 of fetching every chart of a page cold (the cache emptied, then the page asked once so that it publishes
    their specs again: each fetch draws) and warm (each fetch serves the cached drawing); prints both, returns the
    cold one. The page no longer draws its charts: the browser asks for them, and this is what that costs."""
    from django.core.cache import cache

    cache.clear()
    page = client.get(page_url).content.decode()
    urls = re.findall(r'<img src="(/insights/charts/[0-9a-f]+\.svg)"', page)
    times = {}
    for state in ("cold", "warm"):
        walls = []
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and b"reload the page" not in response.content, url
        times[state] = percentile(walls, 95)
    print(f"{len(urls)} charts of {page_url}: p95 cold {times['cold']:.0f} ms, warm {times['warm']:.0f} ms", flush=True)
    return times["cold"]


def measure_pages(publications: int) -> dict:
    """Seed (once) and time the pages; returns the JSON keys of the report's half."""
    from django.test import Client

    from accounts.models import User

    year_end = datetime(2026, 12, 1, tzinfo=UTC)
    started = time.perf_counter()
    seed(publications, year_end)
    print(f"history ready in {time.perf_counter() - started:.0f} s", flush=True)
    client = Client()
    client.force_login(User.objects.get(username="bench-cm"))
    year = "?start=2025-12-01&end=2026-11-30"
    month = "?start=2026-11-01&end=2026-11-30"
    pdf_walls = []
    for _ in range(3):
        started = time.perf_counter()
        assert client.get("/insights/report.pdf" + month).status_code == 200
        pdf_walls.append(time.perf_counter() - started)
    figures = {
        "insights_year_p95_ms": timed(client, "/insights/" + year),
        "insights_month_p95_ms": timed(client, "/insights/" + month),
        "report_p95_ms": timed(client, "/insights/report/" + year),  # the target is the year's; the month's printed
    }
    timed(client, "/insights/report/" + month)
    return {
        **figures,
        "pdf_s": round(sorted(pdf_walls)[1], 2),
        "charts_cold_p95_ms": chart_fetches(client, "/insights/" + year),
    }
