"""The stored search vector of a question and its answer: French and English, accents ignored, computed by the
database as the inbox's is (a generated column over `museumcm_unaccent`, created by inbox's first migration, with a
GIN index on PostgreSQL; NULL on SQLite, where search falls back to `icontains`). Only the public site searches, and
only published answers: the index holds those alone."""

from inbox.models.search import MessageDocument


class QuestionDocument(MessageDocument):
    document = "coalesce(text, '') || ' ' || coalesce(answer, '')"


CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ask_question_search_idx ON ask_question USING gin (search_vector) "
    "WHERE state = 'published';"
)
DROP_INDEX = "DROP INDEX IF EXISTS ask_question_search_idx;"
