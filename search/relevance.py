"""The relevance test set: what a reader expects a query to find, and how well the search does.

``tests/search/relevance_set.yaml`` lists queries, each with the addresses a reader expects
among the first five results (the most relevant first; a ``grade`` says how relevant, 1 when
left out). ``evaluate`` runs every query through the search index and scores it:

- **recall@5**: the share of a query's expected addresses that are among its first five
  results, averaged over the queries;
- **nDCG@10**: the discounted gain of the first ten results (gain = grade, discount =
  log2(rank + 1)) divided by that of the ideal order of the expected addresses, averaged.

The test suite (``tests/search/test_relevance.py``) and ``make bench-relevance``
(``bench/relevance_benchmark.py``) both use it.
"""

import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledgebase.models import ResearchQuestion
from search import index

SET_PATH = Path(__file__).resolve().parent.parent / "tests" / "search" / "relevance_set.yaml"
TOP = 5
DEPTH = 10


@dataclass(frozen=True)
class Query:
    query: str
    language: str
    why: str
    # Expected address -> grade, in the order the set gives them (the most relevant first).
    expected: dict


@dataclass
class Row:
    query: Query
    top: list  # the first DEPTH addresses, best first
    recall: float
    ndcg: float

    @property
    def top5(self):
        return self.top[:TOP]

    @property
    def hits(self):
        return [url for url in self.query.expected if url in self.top5]

    @property
    def missed(self):
        return [url for url in self.query.expected if url not in self.top5]


@dataclass
class Report:
    rows: list = field(default_factory=list)

    def _mean(self, name, language=None):
        values = [getattr(row, name) for row in self.rows if language in (None, row.query.language)]
        return sum(values) / len(values) if values else 0.0

    @property
    def recall(self):
        return self._mean("recall")

    @property
    def ndcg(self):
        return self._mean("ndcg")

    def recall_for(self, language):
        return self._mean("recall", language)

    def ndcg_for(self, language):
        return self._mean("ndcg", language)

    @property
    def failures(self):
        """The queries that missed an expected address in their first five."""
        return [row for row in self.rows if row.missed]


def load_set(path=SET_PATH):
    """The queries of the set, as ``Query`` records."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    queries = []
    for entry in entries:
        expected = {}
        for item in entry["expected"]:
            if isinstance(item, str):
                expected[item] = 1
            else:
                expected[item["url"]] = int(item.get("grade", 1))
        queries.append(Query(entry["query"], entry["language"], entry["why"], expected))
    return queries


def recall_at(top, expected, k=TOP):
    """The share of the expected addresses among the first ``k`` results."""
    if not expected:
        return 1.0
    return sum(1 for url in expected if url in top[:k]) / len(expected)


def ndcg_at(top, expected, k=DEPTH):
    """Normalised discounted cumulative gain of the first ``k`` results; ``expected`` maps an
    address to its grade. An address found twice counts once."""
    seen = set()
    gain = 0.0
    for rank, url in enumerate(top[:k], start=1):
        if url in expected and url not in seen:
            seen.add(url)
            gain += expected[url] / math.log2(rank + 1)
    ideal_grades = sorted(expected.values(), reverse=True)[:k]
    ideal = sum(grade / math.log2(rank + 1) for rank, grade in enumerate(ideal_grades, start=1))
    return gain / ideal if ideal else 1.0


QUESTION = "vraag:"


def run_query(query):
    """The addresses of the first ``DEPTH`` results of ``query``, best first. A research
    question's address holds its primary key, which differs between databases (and between
    test runs on one PostgreSQL): it is named ``vraag:<import key>`` instead, as in the set."""
    docs = index.top(query, limit=DEPTH)
    questions = [doc.object_id for doc in docs if doc.kind == "vragen"]
    keys = dict(ResearchQuestion.objects.filter(pk__in=questions).values_list("pk", "import_key"))
    return [
        f"{QUESTION}{keys[doc.object_id]}" if doc.kind == "vragen" and keys.get(doc.object_id) else doc.url
        for doc in docs
    ]


def address(expected):
    """The public address of an expected entry (a path, or ``vraag:<import key>``)."""
    if not expected.startswith(QUESTION):
        return expected
    return ResearchQuestion.objects.get(import_key=expected.removeprefix(QUESTION)).get_absolute_url()


def evaluate(queries=None):
    """Run every query of the set (or ``queries``) and score it."""
    report = Report()
    for query in load_set() if queries is None else queries:
        top = run_query(query.query)
        report.rows.append(Row(query, top, recall_at(top, query.expected), ndcg_at(top, query.expected)))
    return report


def describe_failures(report):
    """One line per query that missed an expected address: what it found instead."""
    return "\n".join(
        f"{row.query.query!r} ({row.query.why}): missed {row.missed}, top 5 {row.top5}"
        for row in report.failures
    )
