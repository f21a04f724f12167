"""Benchmark of Insights in PostgreSQL; the last line of output is one JSON object.

    python bench/insights.py [--publications 25000] [--collect 5000] [--database-url postgres://…/museumcm_bench]

The pages: the Insights page over a year and over a month, the report page over a year (`report_p95_ms`; the month's
printed), p95 of 20 requests each, the PDF's generation (median of 3), and the year page's charts, each fetched from
its own URL cold (drawn) and warm (`charts_cold_p95_ms`; the warm p95 printed), over `--publications` posts with
their six snapshots each and a year of daily snapshots of 13 accounts (bench/insights_pages.py). The collection
rate: `--collect` snapshots collected through the real pipeline and the real Mastodon adapter from the fake servers,
against a floor (the same snapshot rows bulk-inserted; bench/insights_collection.py).
"""

import _root  # noqa: F401  first: the project's root on sys.path, not bench/

# isort: split

import argparse
import json
import os

from bench.harness import configure_django


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--publications", type=int, default=25000)
    parser.add_argument("--collect", type=int, default=5000, help="snapshots collected through the adapters")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/museumcm_bench"),
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    os.environ.setdefault(
        "CELERY_BROKER_URL", "memory://"
    )  # dispatch's messages are not measured (collection runs here)
    configure_django(args.database_url)
    from django.core.management import call_command

    from bench.insights_collection import measure_collection
    from bench.insights_pages import measure_pages

    call_command("migrate", verbosity=0)
    result = {"publications": args.publications}
    result |= measure_pages(args.publications)
    print(f"pages measured: {result}", flush=True)
    collection = measure_collection(args.collect)
    print(
        f"collected {collection['collected']} snapshots in {collection['collect_s']} s;"
        f" floor inserts {collection['floor_s']} s (medians count)",
        flush=True,
    )
    result |= {"collect_per_s": collection["collect_per_s"], "floor_per_s": collection["floor_per_s"]}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
