"""The counts public pages show, kept up to date per change instead of counted again.

A theme page, a country profile, the list of themes and the gap map show how many public
findings, studies and open questions there are per theme, country or model, how strong they
are, and how many studies there are per theme and country. Counted from the records, each of
those numbers reads every public finding and study; at 100,000 studies that takes seconds
after every publish. Here each number is a row of ``Tally``, and a change adds or subtracts
what the changed records count for:

- A *unit* is one study with its findings, or one research question. ``TallySource`` keeps
  what each unit adds to the tallies now; ``refresh(studies, questions)`` works out what the
  units add after a change, and applies the difference. A unit that is not public (a draft
  study, and with it all its findings) adds nothing.
- ``refresh`` runs where the search index is updated (``search.tasks``), for the same
  records: a publish, an unpublish, a live edit or a delete of a study, a finding or a
  research question. ``rebuild()`` counts everything again (``rebuild_search_index``, a bulk
  load).

What the rows count (``key``: a theme, country or model page id; ``column``: the second id of
a gap-map cell):

- ``finding:<path>``: public findings per theme, country or model (a finding reaches a model
  through its study), bucket ``<strength>|<lesson 0 or 1>``;
- ``study:<path>``: public studies per theme, country or model;
- ``question:countries``: public research questions per country; ``open-question:<path>``:
  those still open or being researched, per theme and per country;
- ``cell:<axis>``: public studies per theme and country (or model), a study once per cell
  whether it or one of its findings carries both, bucket ``<rank>|<type of study>`` with the
  rank of the strongest of them (0 for strong) that carries both; lessons for the Netherlands
  do not count;
- ``strength:<axis>``: public findings (not lessons) per theme and country (or model), bucket
  ``<strength>|<type of study>``.

Which pages, themes, countries and models are public is asked when the counts are read: a
tally only depends on studies, findings and questions.
"""

from collections import Counter, defaultdict
from types import SimpleNamespace

from django.apps import apps as installed_apps
from django.db import connection, transaction

from .models import EvidenceStrength
from .models.questions import QuestionStatus

STUDY = "study"
QUESTION = "question"

# What a finding or study is counted by; a finding reaches a model through its study.
PATHS = ("themes", "countries", "infrastructure_models")
# The gap map's columns.
AXES = ("countries", "infrastructure_models")
STRENGTHS = list(EvidenceStrength.values)
OPEN_STATUSES = (QuestionStatus.OPEN, QuestionStatus.IN_PROGRESS)
# Ids per query (SQLite allows 999 parameters in one statement on old builds).
CHUNK = 500


def _models(apps=None):
    """The models counted and counted into: those of ``apps`` (a migration's), else the
    installed ones."""
    apps = apps or installed_apps
    names = ("Study", "Finding", "ResearchQuestion", "Tally", "TallySource")
    return SimpleNamespace(**{name: apps.get_model("knowledgebase", name) for name in names})


def rank(strength):
    """0 for strong to 3 for indicative; after them for none."""
    return STRENGTHS.index(strength) if strength in STRENGTHS else len(STRENGTHS)


# Counting ------------------------------------------------------------------------------------


def _links(queryset, path):
    """{record id: [linked ids]} of ``queryset``'s ``path``."""
    links = defaultdict(list)
    for pk, linked in queryset.filter(**{f"{path}__isnull": False}).values_list("pk", path):
        links[pk].append(linked)
    return links


def _study_units(ids, m):
    """{study id: Counter of tally rows} for the studies ``ids`` (every study for None); a
    study that is not public adds nothing and is left out."""
    by_id = {} if ids is None else {"pk__in": ids}
    studies = m.Study.objects.filter(live=True, **by_id).order_by()
    info = {
        pk: (strength, study_type)
        for pk, strength, study_type in studies.values_list("pk", "strength", "study_type")
    }
    if not info:
        return {}
    study_links = {path: _links(studies, path) for path in PATHS}
    findings = m.Finding.objects.filter(live=True, study__live=True).order_by()
    if ids is not None:
        findings = findings.filter(study_id__in=ids)
    finding_rows = list(findings.values_list("pk", "study_id", "strength", "lesson_for_nl"))
    finding_links = {path: _links(findings, path) for path in ("themes", "countries")}
    by_study = defaultdict(list)
    for row in finding_rows:
        by_study[row[1]].append(row)

    units = {}
    for pk, (strength, study_type) in info.items():
        rows = Counter()
        own = {path: study_links[path].get(pk, []) for path in PATHS}
        for path in PATHS:
            for linked in own[path]:
                rows[(f"study:{path}", linked, 0, "")] += 1
        best = {axis: {} for axis in AXES}
        if strength in STRENGTHS:
            for axis in AXES:
                for theme in own["themes"]:
                    for column in own[axis]:
                        best[axis][(theme, column)] = rank(strength)
        for finding, _study, finding_strength, lesson in by_study.get(pk, ()):
            themes = finding_links["themes"].get(finding, [])
            reaches = {
                "themes": themes,
                "countries": finding_links["countries"].get(finding, []),
                "infrastructure_models": own["infrastructure_models"],
            }
            bucket = f"{finding_strength}|{int(lesson)}"
            for path in PATHS:
                for linked in reaches[path]:
                    rows[(f"finding:{path}", linked, 0, bucket)] += 1
            if lesson or finding_strength not in STRENGTHS:
                continue
            for axis in AXES:
                cells = best[axis]
                for theme in themes:
                    for column in reaches[axis]:
                        rows[(f"strength:{axis}", theme, column, f"{finding_strength}|{study_type}")] += 1
                        cell = (theme, column)
                        cells[cell] = min(cells.get(cell, len(STRENGTHS)), rank(finding_strength))
        for axis in AXES:
            for (theme, column), best_rank in best[axis].items():
                rows[(f"cell:{axis}", theme, column, f"{best_rank}|{study_type}")] += 1
        units[pk] = rows
    return units


def _question_units(ids, m):
    """{question id: Counter of tally rows} for the questions ``ids`` (every one for None)."""
    by_id = {} if ids is None else {"pk__in": ids}
    questions = m.ResearchQuestion.objects.filter(live=True, **by_id).order_by()
    status = dict(questions.values_list("pk", "status"))
    themes = _links(questions, "themes")
    countries = _links(questions, "countries")
    units = {}
    for pk, question_status in status.items():
        rows = Counter()
        for country in countries.get(pk, ()):
            rows[("question:countries", country, 0, "")] += 1
        if question_status in OPEN_STATUSES:
            for theme in themes.get(pk, ()):
                rows[("open-question:themes", theme, 0, "")] += 1
            for country in countries.get(pk, ()):
                rows[("open-question:countries", country, 0, "")] += 1
        units[pk] = rows
    return units


UNITS = {STUDY: _study_units, QUESTION: _question_units}


# Keeping them up to date --------------------------------------------------------------------


def _lock():
    """One refresh or rebuild at a time (two workers must not both read a tally and write it
    back); SQLite lets one writer in anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('knowledgebase.tallies'))")


def _rows(counter):
    return [[*key, n] for key, n in sorted(counter.items()) if n]


def _counter(rows):
    return Counter({tuple(row[:4]): row[4] for row in rows})


def refresh(studies=(), questions=()):
    """Bring the tallies in line with the studies (each with its findings) and research
    questions whose ids are given, as they are now: public or not, or deleted."""
    m = _models()
    with transaction.atomic():
        _lock()
        delta = Counter()
        for unit, ids in ((STUDY, studies), (QUESTION, questions)):
            ids = sorted({pk for pk in ids or () if pk is not None})
            for start in range(0, len(ids), CHUNK):
                delta.update(_refresh_units(unit, ids[start : start + CHUNK], m))
        _apply(delta, m)


def _refresh_units(unit, ids, m):
    now = UNITS[unit](ids, m)
    sources = {source.unit_id: source for source in m.TallySource.objects.filter(unit=unit, unit_id__in=ids)}
    delta = Counter()
    changed, created, gone = [], [], []
    for pk in ids:
        after = now.get(pk, Counter())
        source = sources.get(pk)
        before = _counter(source.rows) if source else Counter()
        if after == before:
            continue
        delta.update(after)
        delta.subtract(before)
        if source is None:
            created.append(m.TallySource(unit=unit, unit_id=pk, rows=_rows(after)))
        elif after:
            source.rows = _rows(after)
            changed.append(source)
        else:
            gone.append(source.pk)
    m.TallySource.objects.bulk_create(created)
    m.TallySource.objects.bulk_update(changed, ["rows"])
    m.TallySource.objects.filter(pk__in=gone).delete()
    return delta


def _apply(delta, m):
    delta = {key: n for key, n in delta.items() if n}
    if not delta:
        return
    names = {key[0] for key in delta}
    keys = {key[1] for key in delta}
    existing = {
        (tally.name, tally.key, tally.column, tally.bucket): tally
        for tally in m.Tally.objects.filter(name__in=names, key__in=keys)
    }
    changed, created, emptied = [], [], []
    for key, n in delta.items():
        tally = existing.get(key)
        if tally is None:
            created.append(m.Tally(name=key[0], key=key[1], column=key[2], bucket=key[3], n=n))
            continue
        tally.n += n
        (changed if tally.n else emptied).append(tally)
    m.Tally.objects.bulk_create(created, batch_size=CHUNK)
    m.Tally.objects.bulk_update(changed, ["n"], batch_size=CHUNK)
    m.Tally.objects.filter(pk__in=[tally.pk for tally in emptied]).delete()


def rebuild(apps=None):
    """Count everything again, from the records as they are (``apps``: a migration's)."""
    m = _models(apps)
    with transaction.atomic():
        _lock()
        m.Tally.objects.all().delete()
        m.TallySource.objects.all().delete()
        total = Counter()
        sources = []
        for unit, count in UNITS.items():
            for pk, rows in count(None, m).items():
                if rows:
                    total.update(rows)
                    sources.append(m.TallySource(unit=unit, unit_id=pk, rows=_rows(rows)))
        m.TallySource.objects.bulk_create(sources, batch_size=1000)
        m.Tally.objects.bulk_create(
            [
                m.Tally(name=key[0], key=key[1], column=key[2], bucket=key[3], n=n)
                for key, n in total.items()
                if n
            ],
            batch_size=1000,
        )


# Reading them --------------------------------------------------------------------------------


def read(*names):
    """[(name, key, column, bucket, n)] of the tallies ``names``."""
    return list(
        _models().Tally.objects.filter(name__in=names).values_list("name", "key", "column", "bucket", "n")
    )


def per_key(name):
    """{id: n} of the tally ``name``, all its buckets together."""
    counts = Counter()
    for _name, key, _column, _bucket, n in read(name):
        counts[key] += n
    return dict(counts)


def findings_by_strength(path, key=None):
    """[(id, strength, lesson, n)] of the public findings per ``path`` (of one id if given)."""
    queryset = _models().Tally.objects.filter(name=f"finding:{path}")
    if key is not None:
        queryset = queryset.filter(key=key)
    result = []
    for linked, bucket, n in queryset.values_list("key", "bucket", "n"):
        strength, lesson = bucket.rsplit("|", 1)
        result.append((linked, strength, lesson == "1", n))
    return result
