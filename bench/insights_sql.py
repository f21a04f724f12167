"""Where the PostgreSQL time of the Insights page and the report over a year goes, statement by statement.

    python bench/insights.py …                 # builds the benchmark's database first (kept after the run)
    python bench/insights_sql.py [--requests 10] [--explain 10] [--database-url …]

Per page: the statements of one request in their order, each with its median wall time over `--requests` requests
(Django's cursor call: the round trip, the database's planning and execution, psycopg2 reading the rows), then the
`--explain` slowest replayed with their parameters inlined under EXPLAIN (ANALYZE, TIMING OFF) in one connection:
the planning and execution times PostgreSQL reports (medians of five), which the wall times of a shared machine
blur. Statements are told apart by their text without parameters.
"""

import _root  # noqa: F401  first: the project's root on sys.path, not bench/

# isort: split
import argparse
import re
import statistics
import time
from collections import defaultdict

from bench.harness import INSIGHTS_DATABASE, configure_django

YEAR = "?start=2025-12-01&end=2026-11-30"
PAGES = {"insights": "/insights/" + YEAR, "report": "/insights/report/" + YEAR}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10, help="requests per page")
    parser.add_argument("--explain", type=int, default=10, help="how many of the slowest statements to replay")
    parser.add_argument("--database-url", default=INSIGHTS_DATABASE, help="the database bench/insights.py built")
    return parser.parse_args()


class Recorder:
    """An execute wrapper that times each statement and keeps its text with the parameters inlined."""

    def __init__(self):
        self.order: list[str] = []
        self.times: dict[str, list[float]] = defaultdict(list)
        self.inlined: dict[str, str] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times[sql].append((time.perf_counter() - started) * 1000)
            if sql not in self.inlined:
                self.order.append(sql)
                cursor = context["cursor"].cursor
                self.inlined[sql] = cursor.mogrify(sql, params).decode() if params is not None else sql


def replayed(sql: str) -> tuple[float, float] | None:
    """Median planning and execution times (ms) of five EXPLAIN ANALYZE runs of a read; None for a write."""
    from django.db import connection

    if not sql.lstrip().upper().startswith(("SELECT", "WITH")) or "DELETE" in sql or "INSERT" in sql:
        return None
    planning, execution = [], []
    with connection.cursor() as cursor:
        for _ in range(5):
            cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql)  # no parameters: no % substitution
            plan = "\n".join(row[0] for row in cursor.fetchall())
            planning.append(float(re.search(r"Planning Time: ([\d.]+)", plan).group(1)))
            execution.append(float(re.search(r"Execution Time: ([\d.]+)", plan).group(1)))
    return statistics.median(planning), statistics.median(execution)


def profile(client, url: str, requests: int, explain: int) -> None:
    from django.db import connection

    recorder = Recorder()
    assert client.get(url).status_code == 200  # untimed: templates loaded, the day rows rebuilt
    with connection.execute_wrapper(recorder):
        for _ in range(requests):
            assert client.get(url).status_code == 200
    medians = {sql: statistics.median(times) for sql, times in recorder.times.items()}
    print(f"{url}: {len(recorder.order)} statements, {sum(medians.values()):.1f} ms of wall time (medians)")
    slowest = sorted(medians, key=medians.get, reverse=True)[:explain]
    for sql in recorder.order:
        shown = " ".join(sql.split())[:90]
        figures = replayed(recorder.inlined[sql]) if sql in slowest else None
        plan = f"  planning {figures[0]:5.2f}  execution {figures[1]:6.2f}" if figures else ""
        print(f"  {medians[sql]:6.2f} ms{plan}  {shown}")


def main() -> None:
    args = parse_args()
    configure_django(args.database_url)
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-cm"))
    for url in PAGES.values():
        profile(client, url, args.requests, args.explain)


if __name__ == "__main__":
    main()
