"""The stored search vector of a question and its answer: French and English, accents ignored, computed by the
database as the inbox's is (a generated column over `museumcm_unaccent`, created by inbox's first migration; NULL on
SQLite, where search falls back to `icontains`). Only the public site searches, and only published answers.

A search reads `ask_search` (`SearchedAnswer`): each published answer's id, date and vector, kept by a trigger
from the question's row in the same statement, so it is never out of step. Its rows are narrow (the vector out of
line): the dates of a common pair's 1,100-3,500 matches, for the newest-first order and the count, are read from
84 pages instead of the question table's 233."""

import re

from inbox.models.search import MessageDocument

# Words `websearch_to_tsquery` reads as plain terms joined by AND, whatever their order or case: letters (French
# ones too) and digits, lower-cased; "or" is its operator.
PLAIN_WORD = re.compile(r"[0-9a-zß-öø-ÿœ]+")


class QuestionDocument(MessageDocument):
    document = "coalesce(text, '') || ' ' || coalesce(answer, '')"


# The question table's own index, which searches read before `ask_search` (migrations 0001, 0003; dropped by 0006).
CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ask_question_search_idx ON ask_question USING gin (search_vector) "
    "WHERE state = 'published';"
)
DROP_INDEX = "DROP INDEX IF EXISTS ask_question_search_idx;"

# The vector's row stored beside the date and id only (out of line past 128 bytes), and its GIN index.
CREATE_SEARCHED = """
ALTER TABLE ask_search SET (toast_tuple_target = 128);
CREATE INDEX ask_search_idx ON ask_search USING gin (search_vector);
CREATE FUNCTION ask_search_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM ask_search WHERE question_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.state = 'published' THEN
        INSERT INTO ask_search (question_id, published_at, search_vector)
        VALUES (NEW.id, NEW.published_at, NEW.search_vector);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ask_search_keep AFTER INSERT OR DELETE OR UPDATE OF state, published_at, text, answer
    ON ask_question FOR EACH ROW EXECUTE FUNCTION ask_search_keep();
INSERT INTO ask_search (question_id, published_at, search_vector)
    SELECT id, published_at, search_vector FROM ask_question WHERE state = 'published';
"""
DROP_SEARCHED = """
DROP TRIGGER IF EXISTS ask_search_keep ON ask_question;
DROP FUNCTION IF EXISTS ask_search_keep();
"""


def search_address(request) -> str:
    """The address a search's page is stored under (`ask.caching.cached_page`): its words lower-cased, once each and
    in order, when they are plain words (they find the same answers); "" (the address as requested) otherwise."""
    params, query = request.GET, request.GET.get("q", "")
    words = query.lower().split()
    plain = words and len(query) <= 200 and all(PLAIN_WORD.fullmatch(word) and word != "or" for word in words)
    if not plain or set(params) - {"q", "page"} or any(len(params.getlist(name)) > 1 for name in params):
        return ""
    return f"{request.path}?q={' '.join(sorted(set(words)))}&page={params.get('page', '')}"
