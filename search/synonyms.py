"""The board's synonym sets (``SynonymSet``): as the index reads a query, and the rules an entry
follows (``clean_entries``, for the admin form and the starter content)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


# An entry is a word or a short phrase (a token is at most 100 characters too).
MAX_ENTRY_LENGTH = 100


def clean_entries(text):
    """The entries of a set as the board typed them (one per line or separated by commas), or a
    ``ValidationError`` with every problem in Dutch: an empty entry (two commas in a row, a
    comma at the start of a line), an entry longer than ``MAX_ENTRY_LENGTH`` or without a letter
    or digit, an entry typed twice, fewer than two entries. A blank line and a comma at the end
    of a line are harmless."""
    entries, errors = [], []
    for line in text.splitlines():
        line = line.strip().removesuffix(",")
        if not line.strip():
            continue
        for piece in line.split(","):
            entry = piece.strip()
            if not entry:
                errors.append(
                    _("Er staat een leeg synoniem tussen twee komma's of aan het begin van een regel.")
                )
            elif len(entry) > MAX_ENTRY_LENGTH:
                errors.append(
                    _(
                        "„%(entry)s…” is langer dan %(max)s tekens: een synoniem is een woord "
                        "of een korte woordgroep."
                    )
                    % {"entry": entry[:30], "max": MAX_ENTRY_LENGTH}
                )
            elif not any(character.isalnum() for character in entry):
                errors.append(_("„%(entry)s” bevat geen letter of cijfer.") % {"entry": entry})
            elif entry.casefold() in {seen.casefold() for seen in entries}:
                errors.append(_("„%(entry)s” staat twee keer in de set.") % {"entry": entry})
            else:
                entries.append(entry)
    if not errors and len(entries) < 2:
        errors.append(
            _("Geef minstens twee synoniemen, gescheiden door een komma of elk op een eigen regel.")
        )
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    return entries
