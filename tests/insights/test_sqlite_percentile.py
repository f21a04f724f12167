"""The embedded default (`make run`) computes the Insights medians on SQLite with its own registered aggregate."""

import sqlite3

from django.db.backends.signals import connection_created


def test_every_new_sqlite_connection_gets_the_percentile_aggregate_from_start_up():
    """Registered from the app's ready(), not when a view first imports the selectors: a connection opened by an
    earlier page had no `percentile` and the Insights page failed on SQLite."""

    class Connection:
        vendor = "sqlite"
        connection = sqlite3.connect(":memory:")

    connection_created.send(sender=None, connection=Connection)

    rows = Connection.connection.execute(
        "SELECT percentile(v, 0.5), percentile(v, 0.9) FROM (SELECT 1 AS v UNION ALL SELECT 2 UNION ALL SELECT 4)"
    ).fetchone()
    assert rows == (2.0, 3.6)
