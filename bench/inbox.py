"""Benchmark of the inbox: ingest N messages through the real sync path, then time search and the list page.

    python bench/inbox.py --messages 1000000 [--requests 60] [--database-url postgres://…/museumcm_bench_inbox]
    python bench/inbox.py --measure-only   # the pages again, over what the last run left in the database

A fake Mastodon instance on loopback (tests/fakes), in its own process, serves N mention notifications, 100 per
page, generated on the fly; `account_sync` pulls them through the real Mastodon adapter and the bulk upsert into
PostgreSQL, in the benchmark's own database (dropped and created again). The floor is the same rows, parsed by the
same adapter beforehand, written by a bare `bulk_create` (batches of 1,000) into the same table. Then the server
time of the inbox list and of full-text searches is measured through Django's test client: each URL's first
request apart (`list_first_ms`: what a page costs while its rows and the connection are still cold), then the
timed requests of the p95s. The last line of output is one JSON object.
"""

import _root  # noqa: F401  first: the project's root on sys.path, not bench/

# isort: split

import argparse
import json
import multiprocessing
import os
import random
import time
from datetime import UTC, datetime, timedelta

from bench.harness import configure_django, percentile

PAGE = 100
WORDS_FR = [
    "musée",
    "tableau",
    "exposition",
    "horaires",
    "lundi",
    "visite",
    "guidée",
    "enfants",
    "détrempe",
    "huile",
    "sculpture",
    "salle",
    "billet",
    "restauration",
    "peinture",
    "fresque",
    "jardin",
    "nocturne",
    "gratuit",
    "accessible",
    "fauteuil",
    "audioguide",
    "collection",
]
WORDS_EN = [
    "museum",
    "painting",
    "exhibition",
    "hours",
    "monday",
    "guided",
    "tour",
    "children",
    "tempera",
    "oil",
    "sculpture",
    "room",
    "ticket",
    "restoration",
    "fresco",
    "garden",
    "late",
    "free",
    "accessible",
    "wheelchair",
    "audio",
    "guide",
    "collection",
]
ACCOUNTS = 13
ROOTS = 200  # museum posts that visitors answer


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per measured page")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="skip the ingestion: time the pages again over the messages the last run left in the database",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_INBOX_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/museumcm_bench_inbox"),
    )
    return parser.parse_args()


# The fake network -------------------------------------------------------------------------------------------------


def visitor_text(n: int) -> str:
    rng = random.Random(n)
    words = WORDS_FR if n % 3 else WORDS_EN
    return " ".join(rng.choice(words) for _ in range(rng.randint(6, 18))) + f" #{n % 97}"


def bench_fake_class(total: int):
    """A Mastodon instance holding `total` mentions (ids 1…total) built on demand, 100 per notifications page."""
    from tests.fakes.base import Response, route
    from tests.fakes.mastodon import FakeMastodon

    start = datetime.now(UTC) - timedelta(days=40)

    class BenchMastodon(FakeMastodon):
        def notification(self, n: int) -> dict:
            author = {
                "id": str(1_000_000 + n % 50_000),
                "acct": f"visitor{n % 50_000}@example.social",
                "display_name": f"Visiteur {n % 50_000}",
                "avatar": "",
            }
            created = (start + timedelta(seconds=n * 3)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            replying = n % 2 == 0
            status = {
                "id": str(n),
                "created_at": created,
                "in_reply_to_id": str(n % ROOTS + 10**12) if replying else None,
                "in_reply_to_account_id": self.account["id"] if replying else None,
                "visibility": "public",
                "url": f"https://fake.social/@{author['acct']}/{n}",
                "content": f"<p>@museum {visitor_text(n)}</p>",
                "account": author,
                "media_attachments": [],
            }
            return {"id": str(n), "type": "mention", "created_at": created, "account": author, "status": status}

        @route("GET", r"/api/v1/notifications")
        def list_notifications(self, request):
            after = int(request.query.get("min_id", ["0"])[0])
            self.requests.clear()  # a million requests need not be remembered
            page = [self.notification(n) for n in range(after + 1, min(after + PAGE, total) + 1)]
            return Response(200, list(reversed(page)))

    return BenchMastodon


def start_fake(fake_class):
    """Serve the fake from its own process, as a network would: its JSON work does not share our interpreter."""
    from django.db import connections

    connections.close_all()  # the child must not inherit a database connection
    receiving, sending = multiprocessing.Pipe()

    def serve():
        fake = fake_class().start()
        sending.send(fake.url)
        fake.thread.join()

    process = multiprocessing.get_context("fork").Process(target=serve, daemon=True)
    process.start()
    return process, receiving.recv()


# Phases -----------------------------------------------------------------------------------------------------------


def setup(url: str, museum_id: str):
    from django.core.management import call_command

    from accounts.models import User
    from accounts.roles import Role
    from editorial.models import Post
    from publishing.models import Network, Publication, SocialAccount

    call_command("migrate", verbosity=0)
    user = User.objects.create(username="bench-cm", email="cm@bench.example")
    user.set_role(Role.COMMUNITY_MANAGER)
    account = SocialAccount.objects.create(
        network=Network.MASTODON,
        handle="museum@bench.social",
        server_url=url,
        external_id=museum_id,
        credentials={"access_token": "mastodon-token"},
    )
    for i in range(1, ACCOUNTS):  # the other accounts a large museum has, quiet during the run
        SocialAccount.objects.create(network=Network.SANDBOX, handle=f"bench-{i}")
    posts = Post.objects.bulk_create(Post(title=f"Post {i}", text="Texte", author=user) for i in range(ROOTS))
    Publication.objects.bulk_create(
        Publication(post=post, account=account, text=post.text, state="published", external_id=str(i + 10**12))
        for i, post in enumerate(posts)
    )
    return user, account


def floor(fake, account, total: int) -> float:
    """The same rows, parsed by the same adapter, written by a bare bulk_create: what the database can take."""
    from django.db import connection

    from inbox.models import Message
    from publishing.adapters import get_adapter

    adapter = get_adapter(account)
    rows = []
    for n in range(1, total + 1):
        item = fake.notification(n)
        m = adapter._message(item, {})
        rows.append(
            Message(
                account=account,
                external_id=m.external_id,
                kind=m.kind,
                author_id=m.author_id,
                author_handle=m.author_handle,
                author_name=m.author_name,
                text=m.text,
                created_at=m.created_at,
                url=m.url,
                parent_external_id=m.parent_external_id,
                root_external_id=m.root_external_id,
                extra=m.extra,
            )
        )
    started = time.perf_counter()
    for i in range(0, len(rows), 1000):
        Message.objects.bulk_create(rows[i : i + 1000])
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE inbox_message CASCADE")
    return total / elapsed


def ingest(account, total: int) -> float:
    from inbox.models import Message
    from inbox.sync import account_sync

    started = time.perf_counter()
    result = account_sync(account=account, max_pages=total // PAGE + 2)
    elapsed = time.perf_counter() - started
    stored = Message.objects.filter(account=account).count()
    assert result.error == "" and stored == total, (result, stored)
    return total / elapsed


def measure(client, urls: list[str], requests: int) -> tuple[list[float], list[float]]:
    """The first request of each URL (templates, connection, the page's rows not yet in the database's cache), then
    `requests` timed requests over the URLs in turn: both lists of server times in ms, reported apart."""
    first, timings = [], []
    for i in range(len(urls) + requests):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        (first if i < len(urls) else timings).append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return first, timings


def ingest_phase(total: int):
    """The floor, then the sync of `total` messages; returns the user the pages are measured for, and both rates."""
    fake_class = bench_fake_class(total)
    local = fake_class()  # builds the floor's rows; the served twin answers the sync
    process, url = start_fake(fake_class)
    user, account = setup(url, local.account["id"])
    floor_per_s = floor(local, account, total)
    print(f"floor: {floor_per_s:.0f} rows/s (bulk_create, batches of 1000)")
    # No ANALYZE of our own: the sync refreshes the table's statistics after a burst, as in production (and its
    # VACUUM is inside the ingest's time).
    ingest_per_s = ingest(account, total)
    print(f"ingest: {ingest_per_s:.0f} messages/s through account_sync ({PAGE} per page)")
    process.terminate()
    local.server.server_close()
    return user, floor_per_s, ingest_per_s


def main() -> None:
    args = parse_args()
    configure_django(args.database_url, fresh=not args.measure_only)
    from django.core.cache import cache
    from django.test import Client

    from accounts.models import User
    from inbox.models import Message

    if args.measure_only:
        user, floor_per_s, ingest_per_s = User.objects.get(username="bench-cm"), None, None
        args.messages = Message.objects.count()
    else:
        user, floor_per_s, ingest_per_s = ingest_phase(args.messages)

    client = Client()
    client.force_login(user)
    cache.clear()
    terms = [
        "détrempe",
        "audioguide",
        "horaires lundi",
        "wheelchair",
        "visite guidée enfants",
        "fresco garden",
        "nocturne",
        "tempera",
        "restauration",
        "#42",
        "Visiteur 123",
        "accessible",
    ]
    search_first, search = measure(client, [f"/inbox/?q={term}" for term in terms], args.requests)
    list_first, listing = measure(
        client,
        ["/inbox/", "/inbox/?status=", "/inbox/?network=mastodon", "/inbox/?kind=reply", "/inbox/?page=3"],
        args.requests,
    )
    search_p95, list_p95 = percentile(search, 95), percentile(listing, 95)
    print(f"search p95 {search_p95} ms, list p95 {list_p95} ms over {args.requests} requests each")
    firsts = {"search": [round(t) for t in search_first], "list": [round(t) for t in list_first]}
    print(f"first request of each URL (not in the p95s), ms: {firsts}")
    print(
        json.dumps(
            {
                "messages": args.messages,
                "ingest_per_s": ingest_per_s and round(ingest_per_s),
                "floor_per_s": floor_per_s and round(floor_per_s),
                "search_p95_ms": search_p95,
                "list_p95_ms": list_p95,
                "list_first_ms": [round(t, 1) for t in list_first],  # before the p95's requests, not in it
            }
        )
    )


if __name__ == "__main__":
    main()
