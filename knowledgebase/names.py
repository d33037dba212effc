"""Author names: a person (family name, particle, given names) or an organisation.

``parse_name`` reads a name written as one string the way reference managers do: "Family,
Given" is a person; "Given Family" is a person when every word looks like part of a personal
name; anything else (an acronym, a name with an organisation word, parentheses or digits) is
an organisation. When in doubt the result is an organisation: a person exported as an
organisation still reads correctly ("Tristram Hooley"), an organisation split into name parts
does not ("Development, O. f. E. C.").

Dutch particles ("van", "de", "van der", ...) are kept with the family name as CSL's
``non-dropping-particle``: "van Bochove, P.J." sorts and cites as "van Bochove".
"""

import re
from dataclasses import dataclass

# Lower-case words that start a Dutch, Flemish, German or French family name.
PARTICLES = {
    "van", "de", "der", "den", "het", "ten", "ter", "te", "op", "in", "'t", "von", "zu", "du", "des",
    "la", "le", "da", "di", "del", "della", "dos",
}  # fmt: skip
# Words that make a name an organisation's, in lower case (matched as whole words).
ORGANISATION_WORDS = {
    "agency", "association", "board", "bureau", "centre", "center", "centrum", "college", "commission",
    "commissie", "committee", "council", "department", "dienst", "european", "europese", "federation",
    "forum", "foundation", "fund", "gemeente", "group", "groep", "institute", "instituut", "inspectie",
    "ministerie", "ministry", "network", "netwerk", "office", "organisation", "organization", "partners",
    "platform", "programme", "program", "raad", "school", "service", "services", "society", "stichting",
    "training", "union", "universiteit", "university", "vereniging", "werk", "and", "en", "&", "careers",
    "development", "education", "employment", "guidance", "kennis", "loopbaan", "research", "skills",
}  # fmt: skip
# Organisations the portal's sources name that a word list does not recognise.
KNOWN_ORGANISATIONS = {"noloc", "euroguidance", "cedefop", "eurostat", "unesco", "saxion", "gatsby", "nos"}
# Place names: a name with one of them is an organisation's ("Kompetanse Norge").
PLACES = {
    "nederland", "netherlands", "vlaanderen", "flanders", "belgië", "belgium", "norge", "norway", "finland",
    "suomi", "scotland", "schotland", "ireland", "ierland", "wales", "england", "engeland", "sverige",
    "sweden", "zweden", "danmark", "denmark", "ísland", "iceland", "europe", "europa",
}  # fmt: skip
# One word of a given name: "Jouke", "P.J.", "A.-M.", "Anne-Marie", "É."
GIVEN_WORD = re.compile(r"^(?:[A-ZÀ-Þ][\w'\u2019-]*\.?|(?:[A-ZÀ-Þ]\.-?)+)$")
FAMILY_WORD = re.compile(r"^[A-ZÀ-Þ][\w'\u2019-]*$")


@dataclass(frozen=True)
class ParsedName:
    family_name: str = ""
    particle: str = ""
    given_names: str = ""
    organisation: str = ""

    @property
    def is_person(self):
        return bool(self.family_name)


def _words(text):
    return text.split()


def _looks_like_organisation(text):
    words = [word.strip(".,;:()").casefold() for word in _words(text)]
    return any(char in text for char in "()&/@0123456789") or any(
        word in ORGANISATION_WORDS or word in KNOWN_ORGANISATIONS or word in PLACES for word in words
    )


def _is_acronym(word):
    """ "OECD", "NAV": not initials such as "P.J.", which have their dots."""
    return len(word) >= 2 and "." not in word and word.isupper()


def _split_family(words):
    """(particle, family) from the words of a family name: leading lower-case particles."""
    particles = []
    while len(words) > 1 and words[0] in PARTICLES:
        particles.append(words.pop(0))
    return " ".join(particles), " ".join(words)


def _is_family(words):
    return (
        bool(words)
        and all(FAMILY_WORD.match(word) for word in words)
        and not any(_is_acronym(word) for word in words)
    )


def parse_name(text):
    """A ``ParsedName`` for ``text`` (see the module docstring)."""
    text = " ".join(str(text or "").split())
    if not text:
        return ParsedName()
    organisation = ParsedName(organisation=text)
    if _looks_like_organisation(text) or text.count(",") > 1:
        return organisation
    if "," in text:
        family_part, given_part = (part.strip() for part in text.split(",", 1))
        family_words, given_words = _words(family_part), _words(given_part)
        # "Vries, B. de": the particle written after the given names.
        trailing = []
        while given_words and given_words[-1] in PARTICLES:
            trailing.insert(0, given_words.pop())
        particle, family = _split_family(family_words)
        if trailing and not particle:
            particle = " ".join(trailing)
        elif trailing:
            return organisation
        if not given_words or len(given_words) > 4 or not all(GIVEN_WORD.match(w) for w in given_words):
            return organisation
        if len(_words(family)) > 3 or not _is_family(_words(family)):
            return organisation
        return ParsedName(family_name=family, particle=particle, given_names=" ".join(given_words))
    words = _words(text)
    if not 2 <= len(words) <= 5:
        return organisation
    # "Given [particles] Family": the given names are capitalised words up to the first
    # particle, or all but the last word.
    first_particle = next((i for i, word in enumerate(words) if i > 0 and word in PARTICLES), None)
    if first_particle is not None:
        given_words, rest = words[:first_particle], words[first_particle:]
    else:
        given_words, rest = words[:-1], words[-1:]
    particle, family = _split_family(rest)
    if not all(GIVEN_WORD.match(word) for word in given_words) or not _is_family(_words(family)):
        return organisation
    if len(_words(family)) > 2 or any(_is_acronym(word) for word in given_words):
        return organisation
    # Two or more written-out given names without a comma read as much like an organisation
    # ("Skills Development Scotland") as like a person: an organisation, then.
    if sum(not word.endswith(".") for word in given_words) > 1:
        return organisation
    return ParsedName(family_name=family, particle=particle, given_names=" ".join(given_words))


def display_name(*, family_name="", particle="", given_names="", organisation=""):
    """The name as one line, family name first: "van Bochove, P.J.", or the organisation."""
    if not family_name:
        return organisation
    family = f"{particle} {family_name}".strip()
    return f"{family}, {given_names}" if given_names else family


def csl_name(*, family_name="", particle="", given_names="", organisation=""):
    """A CSL name variable: ``family``/``given``/``non-dropping-particle`` or ``literal``."""
    if not family_name:
        return {"literal": organisation}
    name = {"family": family_name}
    if given_names:
        name["given"] = given_names
    if particle:
        name["non-dropping-particle"] = particle
    return name


def parse_ris_name(text):
    """A RIS ``AU`` value as reference managers read it: "Family, Given[, Suffix]" is a
    person (leading lower-case particles kept apart); a name without a comma is an
    organisation's, entered as one field."""
    text = " ".join(str(text or "").split())
    if "," not in text:
        return ParsedName(organisation=text) if text else ParsedName()
    family_part, given_part = (part.strip() for part in text.split(",", 1))
    if not family_part:
        return ParsedName(organisation=text)
    particle, family = _split_family(family_part.split())
    return ParsedName(family_name=family, particle=particle, given_names=given_part.strip(" ,"))


def _whole_in_braces(text):
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for position, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return False
    return True


def parse_bibtex_name(text, decode=lambda value: value):
    """One BibTeX name (already separated from its co-authors) as BibTeX splits it into
    First, von, Last and Jr (``bibtexparser``'s splitter); a name in braces as a whole
    ("{OECD}") or of one word only is an organisation. ``decode`` turns the LaTeX of each
    part into text."""
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    text = " ".join(str(text or "").split())
    if not text:
        return ParsedName()
    if _whole_in_braces(text):
        return ParsedName(organisation=decode(text[1:-1]))
    try:
        parts = parse_single_name_into_parts(text, strict=False)
    except InvalidNameError:
        return ParsedName(organisation=decode(text))
    if not parts.first and not parts.von and len(parts.last) == 1 and not parts.jr:
        return ParsedName(organisation=decode(text))
    given = " ".join(parts.first)
    if parts.jr:
        given = f"{given}, {' '.join(parts.jr)}" if given else " ".join(parts.jr)
    return ParsedName(
        family_name=decode(" ".join(parts.last)),
        particle=decode(" ".join(parts.von)),
        given_names=decode(given),
    )
