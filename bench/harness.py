"""What the benchmarks share: their own PostgreSQL database, production-like settings, percentiles."""

import os
import statistics
from urllib.parse import urlparse

BENCH_SECRETS = {
    "SECRET_KEY": "benchmark-only-secret-key",
    "FIELD_ENCRYPTION_KEY": "uQpJ9XqgU2iGm3cw7j1rN3l0vCq5n8K3yF4sQk2bK2A=",
}


INSIGHTS_DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/museumcm_bench")


def create_database(url: str, *, fresh: bool = False) -> None:
    """Create the benchmark's database if it is missing (dropped first when `fresh`)."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    connection = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def configure_django(database_url: str, *, fresh: bool = False) -> None:
    """Production-like settings (DEBUG off) on the benchmark's own database, static URLs without a manifest."""
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "HTTPS": "false",
            "ALLOWED_HOSTS": "testserver,localhost",
            "LOG_LEVEL": "WARNING",
            "OUTBOUND_ALLOW_HTTP": "true",  # the fake networks serve plain HTTP on loopback
            "OUTBOUND_ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    for key, value in BENCH_SECRETS.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "museumcm.settings")
    create_database(database_url, fresh=fresh)
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def percentile(values: list[float], p: int, digits: int = 1) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], digits)
