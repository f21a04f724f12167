"""The worker's statements, written as SQL once per process instead of compiled by the ORM at every publication.

A publication costs two commits: take the row (with its account and its post's content) and start the attempt, then
complete the attempt and move the row. Built through the ORM, compiling these statements took half of a worker's
Python time (py-spy `--gil` during the publishing benchmark), more than the network calls. The SQL is generated from
the models' metadata, so a new field is picked up as the ORM would; parameters are named and carry their field (which
prepares the value and types the prepared statement); rows are read by column name and converted by the fields
themselves. On PostgreSQL each side is one statement (data-modifying CTEs), prepared once per connection: three round
trips instead of seven, and no planning per publication. The embedded SQLite (`make run`) runs the same steps one
statement at a time, in one transaction (it has UPDATE … RETURNING, not DML inside WITH); both read rows the same way.
The post's content comes from the app that owns posts (publishing/content.py): no table of it is named here.

Private to the pipeline's services (publishing/services.py); adapters store their extras with
`Publication.remember()`.
"""

import re
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from publishing import content
from publishing.models import Publication, PublishAttempt, SocialAccount

Change = tuple[type[Model], dict[str, Any], dict[str, Any]]  # (model, where, values): filter(**where).update(**values)
Given = dict[str, tuple[Any, Any]]  # parameter name → (field, value prepared for the database)
PREFIXES = {Publication: "publication__", SocialAccount: "account__"}
# The attempt's columns PostgreSQL's statement takes from the row it has just taken.
FROM_THE_ROW = {"publication": "taken.id", "number": "taken.attempt_count"}


def publication_start(pk: int, *, now, lease_until) -> tuple[Publication, PublishAttempt | None] | None:
    """Own a SENDING row nobody holds, for one lease, and write its attempt's row unless the account is not connected.

    Returns the publication (its `attempt_count` is this attempt's number) with its account and post loaded and two
    facts known, `interrupted` (an earlier attempt never finished: a worker died mid-call) and `has_media`, and the
    attempt; None if another worker owns the row.
    """
    given = _take_params(pk, now=now, lease_until=lease_until)
    started = PublishAttempt(started_at=now)
    if connection.vendor == "postgresql":
        given |= _attempt_params(started, from_the_row=True)
        given["connected"] = (SocialAccount._meta.get_field("status"), SocialAccount.Status.CONNECTED)
        with connection.cursor() as cursor:
            _run(cursor, _start_sql(), given)
            row = _fetch(cursor)
        if row is None:
            return None
        publication = _loaded(row)
        return publication, _started(started, publication, row["attempt_id"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_take_sql(), _values(given))
        row = _fetch(cursor)
        if row is None:
            return None
        cursor.execute(_load_sql(), {"account": row["publication__account_id"], "post": row["publication__post_id"]})
        publication = _loaded(row | _fetch(cursor))
        if publication.account.status != SocialAccount.Status.CONNECTED:
            return publication, None
        started.publication, started.number = publication, publication.attempt_count
        cursor.execute(_insert_sql(), _values(_attempt_params(started)))
        return publication, _started(started, publication, _fetch(cursor)["id"])


def updates(*changes: Change) -> int:
    """Several updates in one commit: one statement on PostgreSQL (the first ones as data-modifying CTEs, which run
    once and to completion), one transaction elsewhere. Returns how many rows the last one changed."""
    statements = [_update(n, *change) for n, change in enumerate(changes)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ctes = ", ".join(f"change{n} AS ({sql})" for n, (sql, _given) in enumerate(statements[:-1]))
            sql = f"WITH {ctes} {statements[-1][0]}" if ctes else statements[-1][0]
            _run(cursor, sql, {name: pair for _sql, given in statements for name, pair in given.items()})
            return cursor.rowcount
        with transaction.atomic():
            for sql, given in statements:
                cursor.execute(sql, _values(given))
            return cursor.rowcount


# SQL, made once per process ----------------------------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model: type[Model], alias: str) -> str:
    """The model's columns as `alias.column AS "<prefix><attname>"`: rows are read by these names."""
    prefix = PREFIXES[model]
    return ", ".join(f"{alias}.{_q(f.column)} AS {_q(prefix + f.attname)}" for f in model._meta.concrete_fields)


def _content_columns(alias: str) -> str:
    return ", ".join(f"{sql} AS {_q('content__' + name)}" for name, sql in content.source().columns(alias).items())


def _attempt_fields() -> list:
    return [f for f in PublishAttempt._meta.concrete_fields if not f.primary_key]


@cache
def _start_sql() -> str:
    """PostgreSQL: the take, the attempt's insert and the load in one statement. The main query and the CTEs see the
    same snapshot, so `interrupted` only counts attempts started before this one."""
    accounts, attempts = _q(SocialAccount._meta.db_table), _q(PublishAttempt._meta.db_table)
    columns = ", ".join(_q(f.column) for f in _attempt_fields())
    values = ", ".join(FROM_THE_ROW.get(f.name, f"%(attempt_{f.name})s") for f in _attempt_fields())
    on_account = f"JOIN {accounts} ON {accounts}.{_q('id')} = taken.{_q('account_id')}"
    on_post = content.source().join(f"taken.{_q('post_id')}", "post")
    return (
        f"WITH taken AS ({_claim_sql()} RETURNING *), "
        f"attempt AS (INSERT INTO {attempts} ({columns}) SELECT {values} FROM taken {on_account} "
        f"WHERE {accounts}.{_q('status')} = %(connected)s RETURNING {_q('id')}) "
        f"SELECT {_columns(Publication, 'taken')}, {_columns(SocialAccount, accounts)}, {_content_columns('post')}, "
        f"{_facts('taken')}, (SELECT {_q('id')} FROM attempt) AS {_q('attempt_id')} FROM taken {on_account} {on_post}"
    )


@cache
def _claim_sql() -> str:
    lease, count, updated = _q("lease_until"), _q("attempt_count"), _q("updated_at")
    return (
        f"UPDATE {_q(Publication._meta.db_table)} SET {lease} = %(lease_until)s, {count} = {count} + 1, "
        f"{updated} = %(now)s WHERE {_q('id')} = %(pk)s AND {_q('state')} = %(sending)s "
        f"AND ({lease} IS NULL OR {lease} < %(now)s)"
    )


def _facts(alias: str) -> str:
    """`interrupted` (an attempt of this publication never finished) and `has_media`."""
    attempts = _q(PublishAttempt._meta.db_table)
    has_media = content.source().has_media(f"{alias}.{_q('post_id')}")
    return (
        f"EXISTS (SELECT 1 FROM {attempts} WHERE {attempts}.{_q('publication_id')} = {alias}.{_q('id')} "
        f"AND {attempts}.{_q('outcome')} = %(attempt_started)s) AS {_q('interrupted')}, "
        f"{has_media} AS {_q('has_media')}"
    )


@cache
def _take_sql() -> str:
    table = _q(Publication._meta.db_table)
    return f"{_claim_sql()} RETURNING {_columns(Publication, table)}, {_facts(table)}"


@cache
def _load_sql() -> str:
    accounts = _q(SocialAccount._meta.db_table)
    return (
        f"SELECT {_columns(SocialAccount, accounts)}, {_content_columns('post')} FROM {accounts} "
        f"{content.source().join('%(post)s', 'post')} WHERE {accounts}.{_q('id')} = %(account)s"
    )


@cache
def _insert_sql() -> str:
    fields = _attempt_fields()
    columns = ", ".join(_q(f.column) for f in fields)
    values = ", ".join(f"%(attempt_{f.name})s" for f in fields)
    return f"INSERT INTO {_q(PublishAttempt._meta.db_table)} ({columns}) VALUES ({values}) RETURNING {_q('id')}"


@cache
def _update_sql(model: type[Model], n: int, columns: tuple[str, ...], keys: tuple[str, ...]) -> str:
    sets = ", ".join(f"{_q(c)} = %(c{n}_set_{c})s" for c in columns)
    where = " AND ".join(f"{_q(c)} = %(c{n}_where_{c})s" for c in keys)
    return f"UPDATE {_q(model._meta.db_table)} SET {sets} WHERE {where}"


# Parameters --------------------------------------------------------------------------------------------------------


def _attempt_params(attempt: PublishAttempt, *, from_the_row: bool = False) -> Given:
    """The attempt's insert; `from_the_row`: less what PostgreSQL's statement takes from the taken row."""
    fields = [f for f in _attempt_fields() if not (from_the_row and f.name in FROM_THE_ROW)]
    return {f"attempt_{f.name}": (f, f.get_db_prep_save(f.pre_save(attempt, True), connection)) for f in fields}


def _take_params(pk: int, *, now, lease_until) -> Given:
    """The claim's, and `attempt_started` (the outcome `interrupted` looks for)."""
    field = Publication._meta.get_field
    given = {
        "lease_until": (field("lease_until"), lease_until),
        "now": (field("updated_at"), now),
        "pk": (Publication._meta.pk, pk),
        "sending": (field("state"), Publication.State.SENDING),
        "attempt_started": (PublishAttempt._meta.get_field("outcome"), PublishAttempt.Outcome.STARTED),
    }
    return {name: (f, f.get_db_prep_value(value, connection)) for name, (f, value) in given.items()}


def _update(n: int, model: type[Model], where: dict[str, Any], values: dict[str, Any]) -> tuple[str, Given]:
    """The `n`th statement of `updates` and its parameters."""
    fields = {model._meta.get_field(name): value for name, value in values.items()}
    keys = {model._meta.pk if name == "pk" else model._meta.get_field(name): value for name, value in where.items()}
    sql = _update_sql(model, n, tuple(f.column for f in fields), tuple(f.column for f in keys))
    given = {f"c{n}_set_{f.column}": (f, f.get_db_prep_save(v, connection)) for f, v in fields.items()}
    return sql, given | {f"c{n}_where_{f.column}": (f, f.get_db_prep_value(v, connection)) for f, v in keys.items()}


def _values(given: Given) -> dict[str, Any]:
    return {name: value for name, (_field, value) in given.items()}


def _run(cursor, sql: str, given: Given) -> None:
    """PostgreSQL: execute `sql` as a statement prepared once per connection. Planning the claim took 0.4 to 0.6 ms
    and running it 0.1 ms (`EXPLAIN ANALYZE`, warm connection): most of the database's time per publication.
    Statements are PREPAREd in SQL, so a PgBouncer in front must pool by session, not by transaction."""
    prepared = getattr(connection, "museumcm_prepared", None)
    if prepared is None or prepared[0] is not connection.connection:  # a new connection knows none of them
        prepared = connection.museumcm_prepared = (connection.connection, {})
    execute = prepared[1].get(sql)
    if execute is None:
        numbered, names = _numbered(sql)
        name = f"museumcm_{len(prepared[1])}"
        cursor.execute(f"PREPARE {name} ({', '.join(_type(given[n][0]) for n in names)}) AS {numbered}")
        execute = prepared[1][sql] = f"EXECUTE {name} ({', '.join(f'%({n})s' for n in names)})"
    cursor.execute(execute, _values(given))


@cache
def _type(field) -> str:
    return field.db_type(connection).split("(")[0]


@cache
def _numbered(sql: str) -> tuple[str, tuple[str, ...]]:
    """Named `%(name)s` parameters as PostgreSQL's `$1, $2…` (one number per name), and the names in that order."""
    names: dict[str, int] = {}

    def number(match: re.Match) -> str:
        return f"${names.setdefault(match[1], len(names) + 1)}"

    return re.sub(r"%\((\w+)\)s", number, sql), tuple(names)


# Rows --------------------------------------------------------------------------------------------------------------


def _fetch(cursor) -> dict[str, Any] | None:
    """The next row as column name → value."""
    row = cursor.fetchone()
    return None if row is None else dict(zip([column[0] for column in cursor.description], row, strict=True))


@cache
def _readers(model: type[Model], vendor: str) -> list[tuple[str, str, list, Any]]:
    """Per field: its attname, its column's name in our rows, and what the ORM would apply to the value read
    (SQLite's text dates, JSON, decryption…)."""
    readers = []
    for f in model._meta.concrete_fields:
        column = f.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        readers.append((f.attname, PREFIXES[model] + f.attname, converters, column))
    return readers


@cache
def _content_names() -> tuple[tuple[str, str], ...]:
    return tuple((name, f"content__{name}") for name in content.source().columns("post"))


def _instance(model: type[Model], row: dict[str, Any]) -> Model:
    names, values = [], []
    for attname, name, converters, column in _readers(model, connection.vendor):
        value = row[name]
        for converter in converters:
            value = converter(value, column, connection)
        names.append(attname)
        values.append(value)
    return model.from_db(connection.alias, names, values)


def _loaded(row: dict[str, Any]) -> Publication:
    """`select_related` by hand: the publication, its account and its post's content, and the two facts."""
    publication = _instance(Publication, row)
    publication.account = _instance(SocialAccount, row)
    post = content.source().post({name: row[column] for name, column in _content_names()})
    publication._state.fields_cache["post"] = post  # the content's own object, as the FK would have loaded it
    publication.interrupted, publication.has_media = bool(row["interrupted"]), bool(row["has_media"])
    return publication


def _started(attempt: PublishAttempt, publication: Publication, pk: int | None) -> PublishAttempt | None:
    if pk is None:
        return None
    attempt.pk, attempt.publication, attempt.number = pk, publication, publication.attempt_count
    attempt._state.adding = False
    return attempt
