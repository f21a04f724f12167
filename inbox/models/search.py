"""The stored search vector of a message: French and English, accent-insensitive, computed by the database.

On PostgreSQL it is a generated column over `museumcm_unaccent` (an immutable wrapper around the `unaccent`
extension, created by migration 0001) with a GIN index. SQLite has no full-text vectors: the column stays NULL
and search falls back to `icontains` (see `MessageQuerySet.search`).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

_DOCUMENT = "coalesce(text, '') || ' ' || coalesce(author_name, '') || ' ' || coalesce(author_handle, '')"


class MessageDocument(models.Expression):
    """The expression of the generated column; rendered per database vendor."""

    output_field = SearchVectorField()
    document = _DOCUMENT  # the columns searched, as SQL (ask's questions search their own)

    def as_sql(self, compiler, connection):
        return "NULL", []

    def as_postgresql(self, compiler, connection):
        document = f"museumcm_unaccent({self.document})"
        return (
            f"(to_tsvector('french'::regconfig, {document}) || to_tsvector('english'::regconfig, {document}))",
            [],
        )

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self))


CREATE_UNACCENT = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE OR REPLACE FUNCTION museumcm_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""
CREATE_INDEX = "CREATE INDEX IF NOT EXISTS message_search_idx ON inbox_message USING gin (search_vector);"
DROP_UNACCENT = "DROP FUNCTION IF EXISTS museumcm_unaccent(text);"
