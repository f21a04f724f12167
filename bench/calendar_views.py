"""Benchmark of the calendar views: a year of a large museum in PostgreSQL, timed through Django's test client.

    python bench/calendar_views.py --publications 25000 [--requests 60] [--database-url postgres://…/museumcm_bench]

Builds 13 accounts and N publications spread over a year (bulk_create, in its own database), then measures the
server time of the month, week and list views of the current month and of a trivial view on the same middleware
stack (the floor). The last line of output is one JSON object.
"""

import _root  # noqa: F401  first: the project's root on sys.path, not bench/

# isort: split
import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta

from bench.harness import configure_django, percentile


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publications", type=int, default=25000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per view")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/museumcm_bench"),
    )
    return parser.parse_args()


def configure(database_url: str) -> None:
    """The shared production-like settings, plus the floor view added to the project's URLs."""
    configure_django(database_url)
    from django.conf import settings

    settings.ROOT_URLCONF = "bench_urls"
    sys.modules["bench_urls"] = _urls_module()


def _urls_module():
    import types

    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import include, path

    @login_required
    def floor(request):
        return HttpResponse("ok")

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bench/floor/", floor, name="bench_floor"), path("", include("museumcm.urls"))]
    return module


NETWORKS = [
    "bluesky",
    "mastodon",
    "x",
    "facebook",
    "instagram",
    "linkedin",
    "threads",
    "facebook",
    "instagram",
    "x",
    "mastodon",
    "bluesky",
    "sandbox",
]


def build(publications: int):
    """A year of a large museum: 13 accounts, `publications` publications on posts of 1 to 4 targets."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from editorial.models import Campaign, Post, PostChange, PostComment, WeekApproval
    from publishing.models import Publication, SocialAccount

    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    with transaction.atomic():
        for model in (Publication, PostChange, PostComment, Post, WeekApproval, Campaign):
            model.objects.all().delete()
        SocialAccount.objects.filter(handle__startswith="bench-").delete()
        authors = [_user(User, Role.COMMUNITY_MANAGER, f"bench-cm{i}") for i in range(5)]
        manager = _user(User, Role.MANAGER, "bench-manager")
        accounts = SocialAccount.objects.bulk_create(
            SocialAccount(network=network, handle=f"bench-{i}-{network}", display_name=f"Musée {network} {i}")
            for i, network in enumerate(NETWORKS)
        )
        campaigns = Campaign.objects.bulk_create(Campaign(name=f"Campagne {i}") for i in range(8))
        now = timezone.now()
        start = now - timedelta(days=182)
        posts, targets, left = [], [], publications
        while left > 0:
            count = min(left, rng.randint(1, 4))
            left -= count
            when = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
            past = when < now
            status = Post.Status.APPROVED if past else rng.choice(list(Post.Status))
            posts.append(
                Post(
                    title=f"Publication {len(posts)}",
                    text="Texte du jour #MuséeMarceau",
                    status=status,
                    author=rng.choice(authors),
                    campaign=rng.choice([None, *campaigns]),
                    scheduled_at=when,
                )
            )
            targets.append((rng.sample(accounts, count), past, status))
        posts = Post.objects.bulk_create(posts, batch_size=2000)
        rows = []
        for post, (chosen, past, status) in zip(posts, targets, strict=True):
            for account in chosen:
                state = _state(rng, past, status)
                rows.append(
                    Publication(post=post, account=account, text=post.text, state=state, scheduled_at=post.scheduled_at)
                )
        Publication.objects.bulk_create(rows, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return manager, len(posts)


def _state(rng, past: bool, status: str) -> str:
    if past:
        return rng.choices(["published", "failed", "unconfirmed"], weights=[96, 3, 1])[0]
    return "due" if status == "approved" else "pending"


def _user(model, role, username):
    user, created = model.objects.get_or_create(username=username, defaults={"email": f"{username}@bench.example"})
    if created:
        user.set_role(role)
    return user


def measure(client, url: str, requests: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each request (CPU time tells a busy machine from a slow view)."""
    for _ in range(5):  # warm up: template cache, connection
        assert client.get(url).status_code == 200, url
    wall, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, url
    return wall, cpu


def main() -> None:
    args = parse_args()
    configure(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    built = time.perf_counter()
    manager, posts = build(args.publications)
    print(f"built {args.publications} publications on {posts} posts in {time.perf_counter() - built:.1f} s")
    client = Client()
    client.force_login(manager)
    today = timezone.localdate()
    iso = today.isocalendar()
    urls = {
        "month": f"/calendar/?month={today:%Y-%m}",
        "week": f"/calendar/week/?week={iso.year}-W{iso.week}",
        "list": f"/calendar/list/?month={today:%Y-%m}",
        "floor": "/bench/floor/",
    }
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        client.get(urls["month"])
    measured = {name: measure(client, url, args.requests) for name, url in urls.items()}
    timings = {name: wall for name, (wall, _cpu) in measured.items()}
    print(f"load average (1 min) while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, (wall, cpu) in measured.items():
        p50, p95, cpu50 = percentile(wall, 50), percentile(wall, 95), percentile(cpu, 50)
        print(f"{name:6} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   cpu p50 {cpu50:6.1f} ms   ({len(wall)} requests)")
    result = {
        "publications": args.publications,
        "month_p50_ms": percentile(timings["month"], 50),
        "month_p95_ms": percentile(timings["month"], 95),
        "week_p95_ms": percentile(timings["week"], 95),
        "list_p95_ms": percentile(timings["list"], 95),
        "floor_p95_ms": percentile(timings["floor"], 95),
        "month_queries": len(queries),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
