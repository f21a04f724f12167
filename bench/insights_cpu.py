"""Django's CPU per request of the Insights page and the report over a year, in one process (Django's test client).

    python bench/insights.py …                 # builds the benchmark's database first (kept after the run)
    python bench/insights_cpu.py [--requests 30] [--database-url …]

On a machine shared with other work the wall times of bench/insights.py mostly measure the queue for the CPUs; this
counts what a request costs the web process (time.process_time, the database's own time not counted): median, mean
and p95 of `--requests` requests to each page, taken in turn, after one untimed request each. The mean and the p95
include the garbage collector's full collections, which fall on some requests and not others.
"""

import _root  # noqa: F401  first: the project's root on sys.path, not bench/

# isort: split
import argparse
import statistics
import time

from bench.harness import INSIGHTS_DATABASE, configure_django, percentile

YEAR = "?start=2025-12-01&end=2026-11-30"
PAGES = {"insights": "/insights/" + YEAR, "report": "/insights/report/" + YEAR}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    parser.add_argument("--database-url", default=INSIGHTS_DATABASE, help="the database bench/insights.py built")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    configure_django(args.database_url)
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-cm"))
    cpu: dict[str, list[float]] = {page: [] for page in PAGES}
    for url in PAGES.values():
        assert client.get(url).status_code == 200  # untimed: a server process has loaded its templates long before
    for _ in range(args.requests):
        for page, url in PAGES.items():
            started = time.process_time()
            assert client.get(url).status_code == 200
            cpu[page].append((time.process_time() - started) * 1000)
    for page, times in cpu.items():
        print(
            f"{page} over a year: Django CPU per request median {statistics.median(times):.1f} ms, "
            f"mean {statistics.mean(times):.1f} ms, p95 {percentile(times, 95):.1f} ms"
        )


if __name__ == "__main__":
    main()
