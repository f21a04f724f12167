"""The worker's statements, written as SQL once per process instead of compiled by the ORM at every publication.

A publication costs two commits: take the row (with its account and post) and start the attempt, then complete the
attempt and move the row. Built through the ORM, compiling these statements took half of a worker's Python time
(py-spy `--gil` during the publishing benchmark), more than the network calls. The SQL is generated from the models'
metadata, so a new field is picked up as the ORM would, and values are prepared and rows converted by the fields
themselves. On PostgreSQL each side is one statement (data-modifying CTEs), prepared once per connection: three
round trips instead of seven, and no planning per publication. The embedded SQLite (`make run`) runs the same steps
one statement at a time, in one transaction (it has UPDATE … RETURNING, not DML inside WITH).
"""

from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from publishing.models import Publication, PublishAttempt, SocialAccount

Post = Publication._meta.get_field("post").related_model
Media = Post._meta.get_field("media").related_model
FROM_THE_ROW = {"publication": "taken.id", "number": "taken.attempt_count"}  # the attempt's, in PostgreSQL's statement
Change = tuple[type[Model], dict[str, Any], dict[str, Any]]  # (model, where, values): filter(**where).update(**values)


def publication_start(pk: int, *, now, lease_until) -> tuple[Publication, PublishAttempt | None] | None:
    """Own a SENDING row nobody holds, for one lease, and write its attempt's row unless the account is not connected.

    Returns the publication (its `attempt_count` is this attempt's number) with its account and post loaded and two
    facts known, `interrupted` (an earlier attempt never finished: a worker died mid-call) and `has_media`, and the
    attempt; None if another worker owns the row.
    """
    take = _take_params(pk, now=now, lease_until=lease_until)
    started = PublishAttempt(started_at=now)
    if connection.vendor == "postgresql":
        status, outcome = SocialAccount._meta.get_field("status"), PublishAttempt._meta.get_field("outcome")
        given = [*take, *_attempt_params(started, from_the_row=True)]
        given += [(status, SocialAccount.Status.CONNECTED), (outcome, PublishAttempt.Outcome.STARTED)]
        with connection.cursor() as cursor:
            _run(cursor, _start_sql(), *_split(given))
            row = cursor.fetchone()
        if row is None:
            return None
        publication = _loaded(row)
        return publication, _started(started, publication, row[-1])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_take_sql(), [*_split(take)[1], PublishAttempt.Outcome.STARTED])
        row = cursor.fetchone()
        if row is None:
            return None
        taken = _instance(Publication, row)
        cursor.execute(_load_sql(), [taken.account_id, taken.post_id])
        width = len(Publication._meta.concrete_fields)
        publication = _loaded([*row[:width], *cursor.fetchone(), *row[width:]])
        if publication.account.status != SocialAccount.Status.CONNECTED:
            return publication, None
        started.publication, started.number = publication, publication.attempt_count
        cursor.execute(_insert_sql(), _split(_attempt_params(started))[1])
        return publication, _started(started, publication, cursor.fetchone()[0])


def update(model: type[Model], where: dict[str, Any], **values: Any) -> int:
    """`model.objects.filter(**where).update(**values)` for plain equalities and values; returns the rows changed."""
    return updates((model, where, values))


def updates(*changes: Change) -> int:
    """Several updates in one commit: one statement on PostgreSQL (the first ones as data-modifying CTEs, which run
    once and to completion), one transaction elsewhere. Returns how many rows the last one changed."""
    statements = [_update(*change) for change in changes]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ctes = ", ".join(f"change{n} AS ({sql})" for n, (sql, _given) in enumerate(statements[:-1]))
            sql = f"WITH {ctes} {statements[-1][0]}" if ctes else statements[-1][0]
            _run(cursor, sql, *_split([pair for _sql, given in statements for pair in given]))
            return cursor.rowcount
        with transaction.atomic():
            for sql, given in statements:
                cursor.execute(sql, _split(given)[1])
            return cursor.rowcount


# SQL and conversions, made once per process ------------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model: type[Model], alias: str = "") -> str:
    prefix = f"{alias or _q(model._meta.db_table)}."
    return ", ".join(f"{prefix}{_q(f.column)}" for f in model._meta.concrete_fields)


def _attempt_fields() -> list:
    return [f for f in PublishAttempt._meta.concrete_fields if not f.primary_key]


def _attempt_params(attempt: PublishAttempt, *, from_the_row: bool = False) -> list[tuple]:
    """(field, value) of the attempt's insert; `from_the_row`: less those PostgreSQL's statement takes from the
    taken row."""
    fields = [f for f in _attempt_fields() if not (from_the_row and f.name in FROM_THE_ROW)]
    return [(f, f.get_db_prep_save(f.pre_save(attempt, True), connection)) for f in fields]


def _take_params(pk: int, *, now, lease_until) -> list[tuple]:
    """(field, value) of `_claim_sql`'s parameters, in order."""
    field = Publication._meta.get_field
    given = [(field("lease_until"), lease_until), (field("updated_at"), now), (Publication._meta.pk, pk)]
    given += [(field("state"), Publication.State.SENDING), (field("lease_until"), now)]
    return [(f, f.get_db_prep_value(value, connection)) for f, value in given]


def _split(given: list[tuple]) -> tuple[tuple, list]:
    """(field, value) pairs as the fields (for the parameters' types) and the values."""
    return tuple(f for f, _value in given), [value for _f, value in given]


@cache
def _start_sql() -> str:
    """PostgreSQL: the take, the attempt's insert and the load in one statement. The main query and the CTEs see the
    same snapshot, so `interrupted` only counts attempts started before this one."""
    accounts, posts, attempts = (_q(m._meta.db_table) for m in (SocialAccount, Post, PublishAttempt))
    columns = ", ".join(_q(f.column) for f in _attempt_fields())
    values = ", ".join(FROM_THE_ROW.get(f.name, "%s") for f in _attempt_fields())
    return (
        f"WITH taken AS ({_claim_sql()} RETURNING *), "
        f"attempt AS (INSERT INTO {attempts} ({columns}) SELECT {values} FROM taken "
        f"JOIN {accounts} ON {accounts}.{_q('id')} = taken.{_q('account_id')} WHERE {accounts}.{_q('status')} = %s "
        f"RETURNING {_q('id')}) "
        f"SELECT {_columns(Publication, 'taken')}, {_columns(SocialAccount)}, {_columns(Post)}, "
        f"{_interrupted_and_media('taken')}, (SELECT {_q('id')} FROM attempt) FROM taken "
        f"JOIN {accounts} ON {accounts}.{_q('id')} = taken.{_q('account_id')} "
        f"JOIN {posts} ON {posts}.{_q('id')} = taken.{_q('post_id')}"
    )


@cache
def _claim_sql() -> str:
    return (
        f"UPDATE {_q(Publication._meta.db_table)} SET {_q('lease_until')} = %s, "
        f"{_q('attempt_count')} = {_q('attempt_count')} + 1, {_q('updated_at')} = %s "
        f"WHERE {_q('id')} = %s AND {_q('state')} = %s AND ({_q('lease_until')} IS NULL OR {_q('lease_until')} < %s)"
    )


def _interrupted_and_media(alias: str) -> str:
    attempts, media = _q(PublishAttempt._meta.db_table), _q(Media._meta.db_table)
    return (
        f"EXISTS (SELECT 1 FROM {attempts} WHERE {attempts}.{_q('publication_id')} = {alias}.{_q('id')} "
        f"AND {attempts}.{_q('outcome')} = %s), "
        f"EXISTS (SELECT 1 FROM {media} WHERE {media}.{_q('post_id')} = {alias}.{_q('post_id')})"
    )


@cache
def _take_sql() -> str:
    table = _q(Publication._meta.db_table)
    return f"{_claim_sql()} RETURNING {_columns(Publication)}, {_interrupted_and_media(table)}"


@cache
def _load_sql() -> str:
    accounts, posts = _q(SocialAccount._meta.db_table), _q(Post._meta.db_table)
    return (
        f"SELECT {_columns(SocialAccount)}, {_columns(Post)} FROM {accounts}, {posts} "
        f"WHERE {accounts}.{_q('id')} = %s AND {posts}.{_q('id')} = %s"
    )


@cache
def _insert_sql() -> str:
    fields = _attempt_fields()
    columns = ", ".join(_q(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {_q(PublishAttempt._meta.db_table)} ({columns}) VALUES ({values}) RETURNING {_q('id')}"


def _update(model: type[Model], where: dict[str, Any], values: dict[str, Any]) -> tuple[str, list[tuple]]:
    """The statement and its parameters as (field, value)."""
    fields = [model._meta.get_field(name) for name in values]
    keys = [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in where]
    sql = _update_sql(model, tuple(f.column for f in fields), tuple(f.column for f in keys))
    given = [(f, f.get_db_prep_save(v, connection)) for f, v in zip(fields, values.values(), strict=True)]
    given += [(f, f.get_db_prep_value(v, connection)) for f, v in zip(keys, where.values(), strict=True)]
    return sql, given


def _run(cursor, sql: str, fields: tuple, params: list) -> None:
    """PostgreSQL: execute `sql` as a statement prepared once per connection. Planning the claim took 0.4 to 0.6 ms
    and running it 0.1 ms (`EXPLAIN ANALYZE`, warm connection): most of the database's time per publication.
    Statements are PREPAREd in SQL, so a PgBouncer in front must pool by session, not by transaction."""
    prepared = getattr(connection, "museumcm_prepared", None)
    if prepared is None or prepared[0] is not connection.connection:  # a new connection knows none of them
        prepared = connection.museumcm_prepared = (connection.connection, {})
    name = prepared[1].get(sql)
    if name is None:
        name = f"museumcm_{len(prepared[1])}"
        cursor.execute(f"PREPARE {name} ({_types(fields)}) AS {_numbered(sql)}")
        prepared[1][sql] = name
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)


@cache
def _types(fields: tuple) -> str:
    return ", ".join(f.db_type(connection).split("(")[0] for f in fields)


@cache
def _numbered(sql: str) -> str:
    """psycopg2's `%s` placeholders as PostgreSQL's `$1, $2…` (our statements hold no other percent sign)."""
    parts = sql.split("%s")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)) + parts[-1]


@cache
def _update_sql(model: type[Model], columns: tuple[str, ...], keys: tuple[str, ...]) -> str:
    sets = ", ".join(f"{_q(c)} = %s" for c in columns)
    where = " AND ".join(f"{_q(c)} = %s" for c in keys)
    return f"UPDATE {_q(model._meta.db_table)} SET {sets} WHERE {where}"


@cache
def _converters(model: type[Model], vendor: str) -> list[tuple[list, Any]]:
    """Per column, what the ORM would apply to the value read (SQLite's text dates, JSON, decryption…)."""
    columns = [f.get_col(model._meta.db_table) for f in model._meta.concrete_fields]
    return [(connection.ops.get_db_converters(c) + c.get_db_converters(connection), c) for c in columns]


def _loaded(row) -> Publication:
    """`select_related` by hand: the publication's columns, its account's, its post's, then `interrupted` and
    `has_media` (and, from PostgreSQL's statement, the attempt's id, read by the caller)."""
    columns = [len(m._meta.concrete_fields) for m in (Publication, SocialAccount, Post)]
    publication = _instance(Publication, row[: columns[0]])
    account_end = columns[0] + columns[1]
    publication.account = _instance(SocialAccount, row[columns[0] : account_end])
    publication.post = _instance(Post, row[account_end : account_end + columns[2]])
    publication.interrupted, publication.has_media = (bool(fact) for fact in row[sum(columns) : sum(columns) + 2])
    return publication


def _started(attempt: PublishAttempt, publication: Publication, pk: int | None) -> PublishAttempt | None:
    if pk is None:
        return None
    attempt.pk, attempt.publication, attempt.number = pk, publication, publication.attempt_count
    attempt._state.adding = False
    return attempt


def _instance(model: type[Model], row) -> Model:
    values = []
    for value, (converters, column) in zip(row, _converters(model, connection.vendor), strict=False):
        for converter in converters:
            value = converter(value, column, connection)
        values.append(value)
    return model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields], values)
