"""How each network counts a text, and the hashtag check every network shares.

Networks disagree on what a "character" is: Bluesky counts graphemes (a family emoji is one), Mastodon counts
graphemes but every URL as 23 and `@user@domain` as `@user`, X weighs characters (most CJK and emoji weigh 2, a URL
23), Threads counts an emoji as its UTF-8 byte length. Counting the network's way is what lets the editor warn
before the network refuses.
"""

import itertools
import re
import unicodedata
from functools import lru_cache

import grapheme
from django.utils.translation import gettext
from twitter_text import parse_tweet
from twitter_text.extract_emojis import extract_emojis_with_indices
from twitter_text.extract_urls import extract_urls_with_indices

from publishing.adapters.base import Problem
from publishing.vocabulary import ProblemLevel

WARNING = ProblemLevel.WARNING

MASTODON_URL_LENGTH = 23
# Mastodon's Account::MENTION_RE: in `@user@domain` only `@user` counts.
_MASTODON_MENTION = re.compile(r"(?<![=/\w])@(([a-z0-9_]+)(?:@[\w.-]+\w+)?)", re.IGNORECASE)
HASHTAG = re.compile(r"(?<![\w&#])#(\w*[^\W\d_]\w*)")
# Longer tags get no CamelCase suggestion (the split's work grows with the square of the length) but a warning:
# nobody reads a 60-letter hashtag, and a pasted run of letters must not cost the page its answer.
HASHTAG_MAX_LENGTH = 60


def plain_length(text: str) -> int:
    """Unicode code points: what most REST APIs (Facebook, LinkedIn, Instagram) measure."""
    return len(text)


def grapheme_length(text: str) -> int:
    """User-perceived characters: `👨‍👩‍👧` and `é` written as e + accent are one each."""
    return grapheme.length(text)


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def mastodon_length(text: str, *, url_length: int = MASTODON_URL_LENGTH) -> int:
    """Mastodon's StatusLengthValidator: every URL counts `url_length`, remote mentions count as local ones."""
    countable = text
    for found in reversed(extract_urls_with_indices(text, False)):
        start, end = found["indices"]
        countable = countable[:start] + "x" * url_length + countable[end:]
    countable = _MASTODON_MENTION.sub(lambda match: f"@{match.group(2)}", countable)
    return grapheme_length(countable)


def x_length(text: str) -> int:
    """X's weighted length (twitter-text: NFC, CJK and emoji weigh 2, URLs 23); the limit is 280."""
    return parse_tweet(text).weightedLength


def threads_length(text: str) -> int:
    """Threads: an emoji counts its UTF-8 byte length, every other character counts one."""
    length = len(text)
    for found in extract_emojis_with_indices(text):
        start, end = found["indices"]
        length += utf8_length(text[start:end]) - (end - start)
    return length


# Hashtags -----------------------------------------------------------------------------------------------------------


def hashtags(text: str) -> list[str]:
    """The hashtags of a text, without `#`, in order of appearance."""
    return HASHTAG.findall(text)


def hashtag_problems(text: str) -> list[Problem]:
    """A warning per hashtag of several words written in one case: screen readers spell `#jourdefermeture` out,
    they read `#JourDeFermeture` as words. A hashtag too long to read gets a warning of its own."""
    problems = []
    for tag in dict.fromkeys(hashtags(text)):
        if len(tag) > HASHTAG_MAX_LENGTH:
            problems.append(_too_long(tag))
        elif suggestion := camel_case_suggestion(tag):
            message = gettext(
                "Write the hashtag #%(tag)s as #%(suggestion)s: screen readers then read its words "
                "instead of spelling it out."
            )
            problems.append(
                Problem(message % {"tag": tag, "suggestion": suggestion}, level=WARNING, code="hashtag_case")
            )
    return problems


def _too_long(tag: str) -> Problem:
    message = gettext("The hashtag #%(start)s… is %(count)s characters long: shorten it so that people can read it.")
    return Problem(message % {"start": tag[:20], "count": len(tag)}, level=WARNING, code="hashtag_too_long")


def camel_case_suggestion(tag: str) -> str | None:
    """`jourdefermeture` → `JourDeFermeture`; None when the tag is one word or already mixes cases."""
    if not 5 <= len(tag) <= HASHTAG_MAX_LENGTH or not (tag == tag.lower() or tag == tag.upper()):
        return None
    words = split_words(tag)
    if not words or sum(not word.isdigit() for word in words) < 2 or _has_run_of_short_words(words):
        return None
    return "".join(word[:1].upper() + word[1:].lower() for word in words)


def _has_run_of_short_words(words: list[str]) -> bool:
    """`monet` split as `mon` + `et` is a guess, not a reading: two short words in a row are not trusted."""
    return any(len(first) <= 3 and len(second) <= 3 for first, second in itertools.pairwise(words))


def split_words(tag: str) -> list[str] | None:
    """Split a run-together hashtag into known French or English words (fewest words wins), or None."""
    folded = "".join(_fold(char) for char in tag.lower())
    pieces = _segment(folded)
    if pieces is None:
        return None
    words, position = [], 0
    for piece in pieces:  # cut the original (accented) tag at the same places: folding keeps one char per char
        words.append(tag[position : position + len(piece)])
        position += len(piece)
    return words


def _fold(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed[0] if decomposed else char


@lru_cache(maxsize=2048)
def _segment(folded: str) -> tuple[str, ...] | None:
    """Fewest known words (or numbers) that make up `folded`, or None; among equals the longest first word wins.

    Iterative, from the end of the tag towards its start: `best[i]` is the best split of `folded[i:]`. (A recursion
    ran out of stack on a long tag.) Words are at most `_LONGEST_WORD` long, so the work grows with the length.
    """
    if not folded:
        return ()
    n = len(folded)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    digits = [0] * (n + 1)  # digits[i]: how many digits follow position i
    for start in range(n - 1, -1, -1):
        digits[start] = digits[start + 1] + 1 if folded[start].isdigit() else 0
        if _is_word(folded[start:]):
            best[start] = (folded[start:],)
            continue
        longest = start + max(_LONGEST_WORD, digits[start])
        for end in range(min(n - 1, longest), start + 1, -1):  # words of two letters or more, longest first
            rest = best[end]
            if rest is None or not _is_word(folded[start:end]):
                continue
            if best[start] is None or len(rest) + 1 < len(best[start]):
                best[start] = (folded[start:end], *rest)
    return best[0]


def _is_word(piece: str) -> bool:
    return piece in WORDS or piece.isdigit()


# Common French and English words of a museum's hashtags (accents folded). Small on purpose: a tag we cannot split
# gets no warning rather than a wrong suggestion.
_WORD_LIST = """
    a au aux ce ces cet cette de des du en et la le les leur ma mes mon nos notre on ou par pas pour sa ses son sur
    ta te tes ton un une vos votre il elle ils nous vous je tu qui que quoi ne se y est sont avec sans chez entre
    jour jours nuit nuits semaine mois an annee annees matin soir soiree midi dimanche lundi mardi mercredi jeudi
    vendredi samedi aujourdhui demain hier ete hiver printemps automne noel paques fete fetes vacances
    musee musees museum museums art arts artiste artistes oeuvre oeuvres tableau tableaux peinture peintures
    sculpture sculptures dessin dessins photo photos photographie collection collections exposition expositions expo
    expos visite visites visiteur visiteurs visite guide guides atelier ateliers conference patrimoine histoire
    archeologie antique antiquite moyen age renaissance moderne contemporain contemporaine classique ancien ancienne
    fermeture ouverture ouvert ouverte ferme fermee gratuit gratuite entree billet billets nocturne nocturnes
    reserve reserves coulisse coulisses restauration restaurateur conservation conservateur conservatrice
    mediation public publics famille familles enfant enfants jeune jeunes jeunesse ecole ecoles scolaire
    europeenne europeennes journee journees nationale nationales internationale international mondial mondiale
    femme femmes homme hommes portrait portraits paysage paysages nature morte vivante ville ville paris france
    petit petite grand grande grands grandes beau belle beaux nouveau nouvelle nouvelles secret secrets tresor tresors
    objet objets piece pieces chef chefs chefdoeuvre lumiere couleur couleurs bleu rouge vert noir blanc or
    question questions quiz jeu jeux concours decouverte decouvrir decouvrez saviez savez vous le
    the and of in on at to for with by from my our your their this that these those is are be it its an as or
    day days night nights week weeks month year today tomorrow morning evening weekend sunday monday tuesday
    wednesday thursday friday saturday summer winter spring autumn fall holiday holidays christmas easter
    art arts artist artists artwork artworks painting paintings sculpture drawing drawings photography gallery
    galleries exhibition exhibitions collection collections visit visitor visitors tour tours guided workshop
    heritage history ancient modern contemporary classic closing closed opening open free ticket tickets late
    behind scenes scene backstage conservation conservator curator curators curated restoration
    family families kid kids child children young youth school schools education learning
    international national world global women woman men man portrait landscape still life city
    small little big great beautiful new secret secrets treasure treasures object objects piece masterpiece
    light colour color colours colors blue red green black white gold
    ask question questions quiz game games contest discover did know you me we us
    throwback thursday tbt follow friday ff share love like best top fun fact facts inspiration
"""
WORDS = frozenset(_WORD_LIST.split())
_LONGEST_WORD = max(map(len, WORDS))
