"""How text becomes the tokens the search index stores and a query looks up.

The same steps run when a document is indexed and when a query is read, in Python, so SQLite
and PostgreSQL only compare finished tokens and find the same documents:

1. words: letters and digits, lower case;
2. stop words are dropped (the Snowball lists for Dutch and English);
3. stemming with the Snowball stemmers of PyStemmer (``dutch_porter`` for Dutch: the newer
   ``dutch`` stemmer cuts ``kwaliteit`` to ``kwaal`` and ``begeleiding`` to ``beleid``), with
   two rules it lacks: a plural in ``-s`` of a word ending in ``e`` (``cheques``, ``studies``)
   becomes its singular when the word list knows that singular or its parts, and a stem ending in ``z`` or
   ``v`` ends in ``s`` or ``f`` (``bewijzen`` and ``bewijs``);
4. accents are folded after stemming (``coördinatie`` and ``coordinatie`` are one token);
5. Dutch compounds, written as one word, are split against a Dutch word list
   (``words.dutch_words``): ``loopbaancheques`` is indexed as itself and as ``loopbaan`` and
   ``cheque``, so a search for a part finds the compound. Only documents are split; a query for
   the whole compound finds the whole word.

English text (a study or page in English) is stemmed with the English stemmer; a word in a
Dutch text that the Dutch word list does not know (an English title or term) gets its English
stem as well. A query is read both ways, since a reader may search English words on the Dutch
site: each word of a query matches its Dutch or its English token.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

import Stemmer

from .words import DUTCH_STOP_WORDS, ENGLISH_STOP_WORDS, dutch_words

WORD = re.compile(r"[^\W_]+")
# Shortest part of a compound, and the shortest word worth splitting.
MIN_PART = 4
MIN_COMPOUND = 2 * MIN_PART
# How often a word must occur in the word list's corpus to count as a part (rarer entries are
# mostly misspellings and names).
MIN_PART_FREQUENCY = 50
# Between the parts of a compound Dutch often writes an "s" (beroepskeuze) or "en"
# (ladenkast); "e" (paardebloem, old spelling) is rare enough to leave out.
LINKS = ("", "s", "en")
MAX_PARTS = 4

LANGUAGES = ("nl", "en")


def fold(text):
    """Lower case without accents."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text):
    """The words of ``text`` in lower case, in order."""
    return WORD.findall((text or "").lower())


@functools.cache
def _stemmer(language):
    return Stemmer.Stemmer("english" if language == "en" else "dutch_porter")


@functools.lru_cache(maxsize=200_000)
def stem(word, language="nl"):
    """The token of one lower-case word."""
    if language == "en":
        return fold(_stemmer("en").stemWord(word))
    if len(word) > 4 and word.endswith("es") and _known(word[:-1]):
        word = word[:-1]
    token = _stemmer("nl").stemWord(word)
    if len(token) > 3 and token[-1] in "zv":
        token = token[:-1] + ("s" if token[-1] == "z" else "f")
    return fold(token)


def _known(word):
    """Whether ``word`` is a Dutch word or a compound of them."""
    return word in dutch_words() or bool(split_compound(word))


def _is_part(word):
    return len(word) >= MIN_PART and dutch_words().get(word, 0) >= MIN_PART_FREQUENCY


@functools.lru_cache(maxsize=100_000)
def split_compound(word):
    """The parts of a Dutch compound (``loopbaancheques`` -> ``("loopbaan", "cheques")``), or
    ``()`` when ``word`` is not one. Of the ways to split, the one with the fewest parts wins,
    and among those the one whose rarest part is most common; the last part may be a compound
    itself."""
    return _split(word, MAX_PARTS)


def _split(word, parts_left):
    if len(word) < MIN_COMPOUND or parts_left < 2:
        return ()
    best, best_rank = (), None
    frequencies = dutch_words()
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        for link in LINKS:
            head, rest = word[:cut], word[cut:]
            if not rest.startswith(link):
                continue
            tail = rest[len(link) :]
            if not _is_part(head) or len(tail) < MIN_PART:
                continue
            if _is_part(tail):
                parts = (head, tail)
            else:
                tail_parts = _split(tail, parts_left - 1)
                if not tail_parts:
                    continue
                parts = (head, *tail_parts)
            rank = (len(parts), -min(frequencies.get(part, MIN_PART_FREQUENCY) for part in parts))
            if best_rank is None or rank < best_rank:
                best, best_rank = parts, rank
    return best


@dataclass(frozen=True)
class Token:
    text: str
    # A part of a compound weighs less than a whole word.
    part: bool = False


def tokens(text, language="nl"):
    """The tokens of a document's text: each word's stem, and for a Dutch compound the stems
    of its parts as well."""
    stop_words = ENGLISH_STOP_WORDS if language == "en" else DUTCH_STOP_WORDS
    result = []
    for word in words(text):
        if word in stop_words or (word.isdigit() and len(word) < 4):
            continue
        token = stem(word, language)
        result.append(Token(token))
        if language != "en" and word not in dutch_words():
            # Not a Dutch word: English (titles and terms in Dutch texts), or a name.
            english = stem(word, "en")
            if english != token:
                result.append(Token(english))
        if language != "en" and len(word) >= MIN_COMPOUND and not word.isdigit():
            result.extend(
                Token(stem(part), part=True) for part in split_compound(word) if part not in DUTCH_STOP_WORDS
            )
    return result


def query_words(text, limit):
    """The words of a query that are searched for, at most ``limit`` (stop words of both
    languages left out unless the query has nothing else)."""
    found = words(text)
    kept = [word for word in found if word not in DUTCH_STOP_WORDS and word not in ENGLISH_STOP_WORDS]
    return (kept or found)[:limit]


def query_tokens(word):
    """The tokens one word of a query matches: its Dutch and its English stem."""
    return sorted({stem(word, language) for language in LANGUAGES})
