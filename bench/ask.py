"""Benchmark of the "Ask the museum" public pages through the real stack: gunicorn on loopback, many clients.

    python bench/ask.py --answers 10000 [--clients 16] [--requests 2000] [--seconds 60] [--database-url …]

Builds N published answers across three themes in the benchmark's own PostgreSQL database (dropped and created
again), serves the project with gunicorn as the production image does (gunicorn.conf.py: 3 workers x 4 threads;
the cache in Redis when REDIS_URL is set), then
`--clients` concurrent keep-alive clients request the home, archive (random pages), search (random words) and answer
(random answers) pages, and, separately, a trivial view on the same server (the floor). Bounded in requests and time.
The last line of output is one JSON object.
"""

import _root  # noqa: F401  first: the project's root on sys.path, not bench/

# isort: split
import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote_plus

from bench.cpu_shares import Shares
from bench.harness import configure_django, percentile

WORDS = [
    "feu",
    "préhistoire",
    "néandertal",
    "évolution",
    "outil",
    "langage",
    "mammouth",
    "grotte",
    "climat",
    "origine",
    "fossile",
    "agriculture",
    "écriture",
    "migration",
    "squelette",
    "dent",
    "art",
    "musique",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=2000, help="requests per page kind (and for the floor)")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per page kind")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="also print each page kind's CPU per request by process (gunicorn, PostgreSQL, Redis, the clients)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/museumcm_bench_ask"),
    )
    return parser.parse_args()


def build(total: int) -> list[str]:
    """N published answers (bulk), their slugs; returns the answer pages' paths."""
    from django.core.management import call_command
    from django.utils import timezone

    from ask.answer_cache import answer_pages_store
    from ask.caching import pages_forget
    from ask.models import Question, Theme
    from ask.rendering import render_answer
    from ask.tasks import render_lists

    call_command("migrate", verbosity=0)
    themes = [
        Theme.objects.create(slug=slug, name_fr=slug.title(), name_en=slug.title(), position=n)
        for n, slug in enumerate(["origins", "history", "future"])
    ]
    rng, now = random.Random(16), timezone.now()
    rows = [
        Question(
            text=f"Question {n} : {' '.join(rng.sample(WORDS, 4))} ?",
            answer=" ".join([*rng.sample(WORDS, 3), *(f"terme{rng.randint(1, 5000)}" for _ in range(120))]),
            language="fr",
            theme=themes[n % 3],
            state=Question.State.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=n),
            created_at=now - timezone.timedelta(minutes=n, days=3),
        )
        for n in range(total)
    ]
    created = Question.objects.bulk_create(rows, batch_size=2000)
    for question in created:
        question.slug, question.answer_html = question.make_slug(), render_answer(question.answer)
    Question.objects.bulk_update(created, ["slug", "answer_html"], batch_size=2000)
    # What autovacuum does after a bulk load, before measuring a steady state: statistics for the planner, the dead
    # row versions of the update above gone, the GIN index's pending list merged, the visibility map set.
    call_command("shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')")
    # The answers appeared at once, as publishing them would say: no list cached by an earlier run is served, and
    # each answer's pages are rendered into the cache as `question_publish` has them (after its transaction), then
    # the lists' pages of the new generation by the task a publication enqueues (run here: no worker).
    generation = pages_forget()
    for question in created:
        answer_pages_store(question.pk)
    started = time.perf_counter()
    rendered = render_lists(generation)
    print(f"rendered {rendered} list pages ahead in {time.perf_counter() - started:.1f} s")
    return [question.get_absolute_url() for question in created]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(database_url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "BENCH_DATABASE_URL": database_url, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.ask_server:application",
        "--config",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def load(port: int, paths, *, clients: int, requests: int, seconds: float) -> tuple[list[float], float]:
    """`clients` keep-alive connections take paths from `paths()` until `requests` are done or time is up."""
    per_client = max(requests // clients, 1)
    deadline = time.monotonic() + seconds

    def client(index: int) -> list[float]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        timings, rng = [], random.Random(index)
        for _ in range(per_client):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            connection.request("GET", paths(rng), headers={"Accept-Language": "fr", "Host": "localhost"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"HTTP {response.status}")
            timings.append((time.perf_counter() - started) * 1000)
        connection.close()
        return timings

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        timings = [t for result in pool.map(client, range(clients)) for t in result]
    return timings, len(timings) / (time.perf_counter() - started)


def main() -> None:
    args = parse_args()
    configure_django(args.database_url, fresh=True)
    built = time.perf_counter()
    answers = build(args.answers)
    print(f"built {args.answers} answers in {time.perf_counter() - built:.1f} s")
    pages = max(args.answers // 20, 1)
    kinds = {
        "home": lambda rng: "/ask/",
        "archive": lambda rng: f"/ask/answers/?page={rng.randint(1, pages)}",
        "search": lambda rng: "/ask/answers/?q=" + quote_plus(f"{rng.choice(WORDS)} {rng.choice(WORDS)}"),
        "answer": lambda rng: rng.choice(answers),
        "floor": lambda rng: "/bench/floor/",
    }
    port = free_port()
    server = serve(args.database_url, port)
    try:
        load(port, kinds["home"], clients=4, requests=40, seconds=10)  # warm up: imports, templates, connections
        shares = Shares(server.pid, args.database_url.rsplit("/", 1)[-1])
        measured, used = {}, {}
        for name, paths in kinds.items():
            shares.take()
            measured[name] = load(port, paths, clients=args.clients, requests=args.requests, seconds=args.seconds)
            used[name] = shares.take()
        mixed, rps = load(
            port,
            lambda rng: kinds[rng.choice(["home", "archive", "search", "answer"])](rng),
            clients=args.clients,
            requests=args.requests,
            seconds=args.seconds,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {args.clients} clients")
    for name, (timings, per_s) in measured.items():
        p50, p95 = percentile(timings, 50), percentile(timings, 95)
        print(f"{name:8} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {per_s:7.0f} req/s   ({len(timings)} requests)")
        if args.cpu:
            cpu = {group: seconds * 1000 / len(timings) for group, seconds in used[name].items()}
            parts = ", ".join(f"{group} {ms:.2f}" for group, ms in cpu.items())
            print(f"{'':8} CPU per request {sum(cpu.values()):.2f} ms: {parts}")
    print(f"mixed    p95 {percentile(mixed, 95):7.1f} ms   {rps:7.0f} req/s   ({len(mixed)} requests)")
    result = {
        "answers": args.answers,
        **{f"{name}_p95_ms": percentile(measured[name][0], 95) for name in ("home", "archive", "search", "answer")},
        "rps": round(rps),
        "floor_rps": round(measured["floor"][1]),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
