"""The board's synonym sets (``SynonymSet``), as the index reads a query."""

from . import analysis
from .models import SynonymSet


def _token(entry):
    """The token an entry of a set is looked up by: a word's own tokens, or for a phrase
    those of its longest word (``loopbaanoriëntatie en -begeleiding``: ``loopbaanoriëntatie``),
    which says the most of it."""
    words = [word for word in analysis.query_words(entry, 8)]
    if not words:
        return set()
    return set(analysis.query_tokens(max(words, key=len)))


def synonym_tokens():
    """{folded word: the tokens of its synonyms}, for every one-word entry of a set (a query
    is read word by word, so a phrase is found through the others but does not itself lead to
    them)."""
    result = {}
    for synonym_set in SynonymSet.objects.all():
        entries = synonym_set.entries()
        tokens = {entry: _token(entry) for entry in entries}
        for entry in entries:
            words = analysis.words(entry)
            if len(words) != 1:
                continue
            others = set().union(*(tokens[other] for other in entries if other != entry))
            result.setdefault(analysis.fold(words[0]), set()).update(others)
    return result
