"""Rows written by one multi-row INSERT of plain values, and arrays of them in PostgreSQL's text form, for
collection's batches.

`bulk_create` prepares every value through its field and builds model instances first: for a batch of 160 snapshots
and their latest figures, most of the batch's Python time (25 prepared values per snapshot). Collection's values are
already what the database stores (integers, NULLs, one moment adapted once), so they go in as they are. The same
statement runs on PostgreSQL and on the embedded SQLite (`ON CONFLICT` and multi-row `VALUES` exist in both).
"""

import uuid
from collections.abc import Iterable, Sequence

from django.db import connections, router

MAX_PARAMETERS = 65535  # PostgreSQL's limit per statement (SQLite's lower one is the backend's batch size)


def insert_rows(model, fields: Sequence[str], rows: Sequence[tuple], *, unique: Sequence[str], update=()) -> None:
    """INSERT `rows` (tuples in the order of `fields`, database values) into `model`'s table; a row whose `unique`
    columns already exist is left alone, or has its `update` fields overwritten by the new values."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote, meta = connection.ops.quote_name, model._meta
    columns = [quote(meta.get_field(name).column) for name in fields]
    conflict = ", ".join(quote(meta.get_field(name).column) for name in unique)
    if update:
        changed = [quote(meta.get_field(name).column) for name in update]
        action = "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in changed)
    else:
        action = "DO NOTHING"
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = connection.ops.bulk_batch_size([meta.get_field(name) for name in fields], rows)
    size = min(size, MAX_PARAMETERS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) VALUES "
                f"{', '.join([placeholder] * len(chunk))} ON CONFLICT ({conflict}) {action}",
                [value for row in chunk for value in row],
            )


def array_literal(values: Iterable[int | uuid.UUID | None]) -> str:
    """A one-dimensional array of numbers or UUIDs in PostgreSQL's text form (`'{1,2,NULL}'`, a bound parameter cast
    to `bigint[]` or `uuid[]`): the server reads it in one go, where psycopg2 sends a list as `ARRAY[…]` of as many
    constants, each parsed and cast (a quarter of the recording statement's time for a batch of 160, a fifth of a
    dispatch's claim of 5,000 rows)."""
    return "{" + ",".join("NULL" if v is None else str(v if isinstance(v, uuid.UUID) else int(v)) for v in values) + "}"
