"""The worker's statements, written as SQL once per process instead of compiled by the ORM at every publication.

A publication costs five statements: take the row (with its account and post), start the attempt, then complete the
attempt and move the row. Built through the ORM, compiling them took half of a worker's Python time (py-spy `--gil`
during the publishing benchmark), more than the network calls. The SQL is generated from the models' metadata, so a
new field is picked up as the ORM would; values are prepared and rows converted by the fields themselves, so the same
statements run on PostgreSQL and on the embedded SQLite (both have UPDATE … RETURNING).
"""

from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from publishing.models import Publication, PublishAttempt, SocialAccount

Post = Publication._meta.get_field("post").related_model
Media = Post._meta.get_field("media").related_model


def publication_take(pk: int, *, now, lease_until) -> Publication | None:
    """Own a SENDING row nobody holds, for one lease: returns it (its `attempt_count` is this attempt's number) with
    its account and post loaded and two facts known, `interrupted` (an earlier attempt never finished: a worker died
    mid-call) and `has_media`; None if another worker owns it."""
    with connection.cursor() as cursor:
        cursor.execute(_take_sql(), [
            _prep(Publication, "lease_until", lease_until), _prep(Publication, "updated_at", now), pk,
            Publication.State.SENDING, _prep(Publication, "lease_until", now), PublishAttempt.Outcome.STARTED,
        ])  # fmt: skip
        row = cursor.fetchone()
        if row is None:
            return None
        publication = _instance(Publication, row)
        publication.interrupted, publication.has_media = bool(row[-2]), bool(row[-1])
        cursor.execute(_load_sql(), [publication.account_id, publication.post_id])
        row = cursor.fetchone()
    width = len(SocialAccount._meta.concrete_fields)
    publication.account = _instance(SocialAccount, row[:width])
    publication.post = _instance(Post, row[width:])
    return publication


def attempt_start(publication: Publication, number: int) -> PublishAttempt:
    """The attempt's row, written before the network call."""
    attempt = PublishAttempt(publication=publication, number=number, started_at=timezone.now())
    fields = [f for f in PublishAttempt._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), [f.get_db_prep_save(f.pre_save(attempt, True), connection) for f in fields])
        attempt.pk = cursor.fetchone()[0]
    attempt._state.adding = False
    return attempt


def update(model: type[Model], where: dict[str, Any], **values: Any) -> int:
    """`model.objects.filter(**where).update(**values)` for plain equalities and values; returns the rows changed."""
    fields = [model._meta.get_field(name) for name in values]
    keys = [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in where]
    sql = _update_sql(model, tuple(f.column for f in fields), tuple(f.column for f in keys))
    params = [f.get_db_prep_save(v, connection) for f, v in zip(fields, values.values(), strict=True)]
    params += [f.get_db_prep_value(v, connection) for f, v in zip(keys, where.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# SQL and conversions, made once per process ------------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model: type[Model], table: bool = True) -> str:
    prefix = f"{_q(model._meta.db_table)}." if table else ""
    return ", ".join(f"{prefix}{_q(f.column)}" for f in model._meta.concrete_fields)


@cache
def _take_sql() -> str:
    table, attempts, media = (_q(m._meta.db_table) for m in (Publication, PublishAttempt, Media))
    return (
        f"UPDATE {table} SET {_q('lease_until')} = %s, {_q('attempt_count')} = {_q('attempt_count')} + 1, "
        f"{_q('updated_at')} = %s WHERE {_q('id')} = %s AND {_q('state')} = %s "
        f"AND ({_q('lease_until')} IS NULL OR {_q('lease_until')} < %s) RETURNING {_columns(Publication)}, "
        f"EXISTS (SELECT 1 FROM {attempts} WHERE {attempts}.{_q('publication_id')} = {table}.{_q('id')} "
        f"AND {attempts}.{_q('outcome')} = %s), "
        f"EXISTS (SELECT 1 FROM {media} WHERE {media}.{_q('post_id')} = {table}.{_q('post_id')})"
    )


@cache
def _load_sql() -> str:
    accounts, posts = _q(SocialAccount._meta.db_table), _q(Post._meta.db_table)
    return (
        f"SELECT {_columns(SocialAccount)}, {_columns(Post)} FROM {accounts}, {posts} "
        f"WHERE {accounts}.{_q('id')} = %s AND {posts}.{_q('id')} = %s"
    )


@cache
def _insert_sql() -> str:
    fields = [f for f in PublishAttempt._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(_q(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {_q(PublishAttempt._meta.db_table)} ({columns}) VALUES ({values}) RETURNING {_q('id')}"


@cache
def _update_sql(model: type[Model], columns: tuple[str, ...], keys: tuple[str, ...]) -> str:
    sets = ", ".join(f"{_q(c)} = %s" for c in columns)
    where = " AND ".join(f"{_q(c)} = %s" for c in keys)
    return f"UPDATE {_q(model._meta.db_table)} SET {sets} WHERE {where}"


def _prep(model: type[Model], name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_value(value, connection)


@cache
def _converters(model: type[Model], vendor: str) -> list[tuple[list, Any]]:
    """Per column, what the ORM would apply to the value read (SQLite's text dates, JSON, decryption…)."""
    columns = [f.get_col(model._meta.db_table) for f in model._meta.concrete_fields]
    return [(connection.ops.get_db_converters(c) + c.get_db_converters(connection), c) for c in columns]


def _instance(model: type[Model], row) -> Model:
    values = []
    for value, (converters, column) in zip(row, _converters(model, connection.vendor), strict=False):
        for converter in converters:
            value = converter(value, column, connection)
        values.append(value)
    return model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields], values)
