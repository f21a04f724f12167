"""CPU of one request to each "Ask the museum" public page, cache miss and hit, in one process (Django's test client).

    python bench/ask.py …            # builds the benchmark's database first (kept after the run)
    python bench/ask_cpu.py [--requests 50] [--first-views] [--database-url …]

On a machine shared with other work the wall-clock benchmark (bench/ask.py) is noise; this counts what a request
costs the web process: Python function calls (cProfile's count, the same whatever the load) and CPU time (min and
first quartile of `--requests`). A miss is measured right after the pages' generation is bumped, with the themes'
figures already cached as in the benchmark, or with `--first-views` as a page not stored yet in the generation (an
answer's page: after its stored pages were forgotten, as a withdrawal does, in both modes); the floor is the site's
colours stylesheet (no cache, no database).
The database's own time is not counted. Needs REDIS_URL as bench/ask.py does.
"""

import _root  # noqa: F401  first: the project's root on sys.path, not bench/

# isort: split
import argparse
import cProfile
import itertools
import os
import pstats
import random
import time
from urllib.parse import quote_plus

from bench.ask import WORDS
from bench.harness import configure_django

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/museumcm_bench_ask")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50, help="requests per page kind, miss and hit")
    parser.add_argument("--database-url", default=DATABASE_URL, help="the database bench/ask.py built")
    parser.add_argument(
        "--first-views",
        action="store_true",
        help="a miss is a page not stored yet in the current generation (a query parameter of its own) requested "
        "after another page, as most misses come in a server's stream, instead of the first request after the "
        "generation was bumped (whose figures, made again by the ORM just before, leave the CPU's caches cold)",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    configure_django(args.database_url)
    from django.test import Client

    from ask.answer_cache import answer_number, answer_pages_forget
    from ask.caching import pages_forget, pages_generation
    from ask.models import Question
    from ask.selectors import figures

    rng = random.Random(16)
    slugs = list(Question.objects.published().values_list("slug", flat=True)[:5000])
    pages = max(len(slugs) // 20, 1)
    kinds = {
        "home": lambda: "/ask/",
        "archive": lambda: f"/ask/answers/?page={rng.randint(1, pages)}",
        "search": lambda: "/ask/answers/?q=" + quote_plus(f"{rng.choice(WORDS)} {rng.choice(WORDS)}"),
        "answer": lambda: f"/ask/answers/{rng.choice(slugs)}/",
        "floor": lambda: "/ask/colours.css",
    }
    client = Client(HTTP_ACCEPT_LANGUAGE="fr", HTTP_HOST="localhost")

    fresh = itertools.count(time.time_ns())  # paths no earlier run stored

    def ready(path: str, miss: bool) -> str:
        """The path to request next, the cache as the measure wants it."""
        if not miss:
            client.get(path)  # stored: the next request of it is a hit
        elif "?" not in path and path.startswith("/ask/answers/"):  # an answer's page, stored under its own key
            answer_pages_forget(answer_number(path.rstrip("/").rsplit("/", 1)[1]))
            client.get("/ask/colours.css")
        elif args.first_views:
            client.get("/ask/colours.css")
            return f"{path}{'&' if '?' in path else '?'}first={next(fresh)}"
        else:
            pages_forget()
            figures(pages_generation())
        return path

    for make in [*kinds.values()] * 5:  # imports, templates, connections
        client.get(make())
    for kind, make in kinds.items():
        for miss in (True, False) if kind != "floor" else (False,):
            paths = [make() for _ in range(args.requests)]
            calls, cpu = 0, []
            for path in paths:
                profile = cProfile.Profile()
                profile.runcall(client.get, ready(path, miss))
                calls += pstats.Stats(profile).total_calls
                path = ready(path, miss)
                started = time.process_time()
                assert client.get(path).status_code == 200, path
                cpu.append((time.process_time() - started) * 1000)
            cpu.sort()
            label = "miss" if miss else "hit"
            print(
                f"{kind:8} {label:4} {calls / len(paths):7.0f} calls   "
                f"CPU min {cpu[0]:5.2f} ms   p25 {cpu[len(cpu) // 4]:5.2f} ms"
            )


if __name__ == "__main__":
    main()
