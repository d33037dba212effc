"""The search index: what it holds, when it changes, and how it reads text."""

import pytest
from django.core.management import CommandError, call_command

from knowledgebase.models import Study
from search import analysis
from search import index as search_index
from search.kinds import ContentKind
from search.models import SearchDocument, SearchTerm, SearchToken
from tests.factories import (
    FindingFactory,
    FrameworkElementFactory,
    FrameworkFactory,
    OrganisationFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def _pks(*args, **kwargs):
    return [pk for pk, _score in search_index.match(*args, **kwargs)]


def _documents(kind):
    return set(SearchDocument.objects.filter(kind=kind).values_list("title", flat=True))


def test_a_draft_has_no_document_until_it_is_published_and_none_after():
    study = StudyFactory(title="Walvisbegeleiding in de praktijk", live=False)
    assert _documents("onderzoek") == set()
    study.save_revision().publish()
    assert _documents("onderzoek") == {"Walvisbegeleiding in de praktijk"}
    study.refresh_from_db()
    study.unpublish()
    assert _documents("onderzoek") == set()
    assert not SearchTerm.objects.filter(kind="onderzoek").exists()


def test_a_draft_edit_of_a_published_record_leaves_its_document_alone():
    study = StudyFactory(title="Walvisbegeleiding in de praktijk")
    study.title = "Conceptversie met een ander woord"
    study.save_revision()
    assert _documents("onderzoek") == {"Walvisbegeleiding in de praktijk"}
    assert not _pks(search_index.read_query("conceptversie", 8), "onderzoek")


def test_a_finding_and_its_study_follow_each_other():
    """A study is found by the statements of its live findings; a deleted finding's words go."""
    study = StudyFactory(title="Evaluatie van regionale centra")
    finding = FindingFactory(study=study, statement="Zeldzaamwoord staat alleen hier.")
    query = search_index.read_query("zeldzaamwoord", 8)
    assert _pks(query, "onderzoek") == [study.pk]
    assert _pks(query, "bevindingen") == [finding.pk]
    finding.delete()
    assert _pks(query, "onderzoek") == []
    assert _pks(query, "bevindingen") == []


def _recount():
    """{(kind, token): documents} counted from the index's rows, as the kept counts must be."""
    counts = {}
    for kind, token in SearchTerm.objects.values_list("kind", "token"):
        counts[kind, token] = counts.get((kind, token), 0) + 1
    for kind in SearchDocument.objects.values_list("kind", flat=True):
        counts[kind, ""] = counts.get((kind, ""), 0) + 1
    return counts


def _kept():
    return {
        (kind, token): n for kind, token, n in SearchToken.objects.values_list("kind", "token", "documents")
    }


def test_the_token_counts_follow_every_write_and_give_the_idf():
    """How many documents hold a token is kept per write, not counted per search: after a
    publish, a live edit, an unpublish, a deletion and a rebuild it equals a recount, and a
    word no document holds any more has no count left."""
    study = StudyFactory(title="Walvisbegeleiding in de praktijk", summary="Over walvissen.")
    other = StudyFactory(title="Havenbegeleiding", summary="Over havens en walvissen.")
    finding = FindingFactory(study=study, statement="Walvissen zwemmen ver.")
    assert _kept() == _recount()
    assert _kept()["onderzoek", ""] == 2
    walvis = analysis.query_tokens("walvissen")[0]
    assert _kept()["onderzoek", walvis] == 2

    study.title = "Zeehondenbegeleiding"
    study.save_revision().publish()
    other.refresh_from_db()
    other.unpublish()
    finding.delete()
    assert _kept() == _recount()
    assert ("onderzoek", analysis.query_tokens("havenbegeleiding")[0]) not in _kept()
    stats = search_index.statistics(search_index.read_query("walvissen", 8))
    assert stats.frequencies[walvis] == 1
    assert stats.total == SearchDocument.objects.count()
    assert stats.absent(walvis, "bevindingen")

    SearchToken.objects.all().delete()
    call_command("rebuild_search_index")
    assert _kept() == _recount()


def test_framework_elements_are_searchable():
    framework = FrameworkFactory(name="Tien principes")
    FrameworkElementFactory(framework=framework, code="P7", name="Samenwerking tussen sectoren")
    framework.save()
    assert _pks(search_index.read_query("samenwerking", 8), "kaders") == [framework.pk]


def test_the_index_is_written_when_the_transaction_commits(
    search_index_on_commit, django_capture_on_commit_callbacks
):
    """Nothing is indexed inside the request's transaction; the commit sends one task."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        StudyFactory(title="Walvisbegeleiding in de praktijk")
        StudyFactory(title="Havenbegeleiding in de praktijk")
    assert _documents("onderzoek") == set()
    for callback in callbacks:
        callback()
    assert _documents("onderzoek") == {"Walvisbegeleiding in de praktijk", "Havenbegeleiding in de praktijk"}


def test_rebuild_writes_what_is_public_and_refuses_an_unknown_kind(capsys):
    StudyFactory(title="Walvisbegeleiding in de praktijk")
    StudyFactory(title="Concept", live=False)
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    call_command("rebuild_search_index", "onderzoek")
    assert _documents("onderzoek") == {"Walvisbegeleiding in de praktijk"}
    assert "onderzoek: 1 documents" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Unknown kind"):
        call_command("rebuild_search_index", "alles")


def test_an_exact_title_comes_first_and_ties_keep_one_order():
    long = StudyFactory(title="Loopbaanbegeleiding en loopbaanbegeleiding", summary="Loopbaanbegeleiding.")
    exact = StudyFactory(title="Loopbaanbegeleiding", summary="Een verkenning.")
    assert _pks(search_index.read_query("loopbaanbegeleiding", 8), "onderzoek") == [
        exact.pk,
        long.pk,
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("loopbaancheques", {"loopbaancheque", "loopban", "cheque"}),
        ("loopbaancheque", {"loopbaancheque", "loopban", "cheque"}),
        ("leerbudgetten", {"leerbudget", "budget"}),
        ("coördinatie", {"coordinatie"}),
        ("bewijzen", {"bewijs"}),
    ],
)
def test_the_dutch_analyzer(text, expected):
    assert expected <= {token.text for token in analysis.tokens(text)}


def test_english_text_gets_english_stems_and_a_query_both():
    assert {token.text for token in analysis.tokens("policies", "en")} == {"polici"}
    assert "polici" in analysis.query_tokens("policy")
    assert "qualiti" in {token.text for token in analysis.tokens("Guidance quality")}


def test_a_typo_is_read_as_the_closest_known_word():
    study = StudyFactory(title="Kwaliteitsborging in de begeleiding")
    query = search_index.read_query("kwaliteitsborgnig", 8, words=search_index.vocabulary())
    assert query.corrected == "kwaliteitsborging"
    assert _pks(query, "onderzoek") == [study.pk]


def test_an_exact_theme_leads_the_best_results_and_its_group_comes_first(client, site_tree):
    """Whatever its kind, the record whose title is the query comes first, above the groups."""
    from tests.factories import ThemeFactory

    theme = ThemeFactory(name="Walvisbegeleiding", slug="walvisbegeleiding")
    for number in range(3):
        StudyFactory(
            title=f"Walvisbegeleiding in haven {number}", summary="Walvisbegeleiding en walvisbegeleiding."
        )
    response = client.get("/zoeken/", {"q": "walvisbegeleiding"})
    best = response.context["best"]
    assert (best[0].kind.key, best[0].pk) == ("themas", theme.pk)
    assert [preview["kind"].key for preview in response.context["previews"]][:2] == ["themas", "onderzoek"]
    html = response.content.decode()
    assert html.index("Beste resultaten") < html.index('id="kind-themas"') < html.index('id="kind-onderzoek"')


def test_with_the_broker_down_an_unpublish_still_leaves_the_index(settings, monkeypatch, caplog):
    """No worker can get the task while Redis is down: the index is updated in the request, so
    an unpublished study is not found."""
    from search import signals, tasks

    study = StudyFactory(title="Walvisbegeleiding in de praktijk")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(signals, "_redis_answers", lambda: False)
    monkeypatch.setattr(tasks.update_search_index, "delay", lambda changes: pytest.fail("queued"))
    study.refresh_from_db()
    study.unpublish()
    assert _documents("onderzoek") == set()
    assert "updating the search index in the request" in caplog.text


def test_a_broker_that_refuses_the_task_leaves_the_index_right(settings, monkeypatch):
    from search import signals, tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(signals, "_redis_answers", lambda: True)

    def refuse(changes):
        raise ConnectionError("broker gone")

    monkeypatch.setattr(tasks.update_search_index, "delay", refuse)
    StudyFactory(title="Walvisbegeleiding in de praktijk")
    assert _documents("onderzoek") == {"Walvisbegeleiding in de praktijk"}


@pytest.mark.parametrize(
    ("allowed_limit", "set_limit", "few_postings"),
    [
        (3_000, 40_000, 1_000),  # a handful of allowed ids: passed as a list
        (2, 40_000, 0),  # more: read into a set and the postings walked in slices
        (2, 3, 0),  # most records pass: the facets stay a subquery
        (3_000, 40_000, 100),  # a rare word: its postings checked through the queryset
    ],
)
def test_a_facet_gives_the_same_matches_however_its_ids_are_read(
    monkeypatch, allowed_limit, set_limit, few_postings
):
    theme = ThemeFactory()
    inside = [
        StudyFactory(title=f"Loopbaancheques in regio {n}", summary="Cheque " * n, themes=[theme])
        for n in range(1, 8)
    ]
    StudyFactory(title="Loopbaancheques buiten het thema", summary="Cheque " * 9)
    StudyFactory(title="Iets anders", themes=[theme])
    monkeypatch.setattr(search_index, "ALLOWED_LIMIT", allowed_limit)
    monkeypatch.setattr(search_index, "ALLOWED_SET_LIMIT", set_limit)
    monkeypatch.setattr(search_index, "FEW_POSTINGS", few_postings)
    monkeypatch.setattr(search_index, "WALK_SLICE", 2)
    monkeypatch.setattr(search_index, "WALK_FACTOR", 0)
    allowed = Study.objects.filter(themes=theme).values_list("pk", flat=True)
    for text, limit in [("loopbaancheques", 1000), ("loopbaancheques", 3), ("cheque regio", 1000)]:
        query = search_index.read_query(text, 8)
        found = _pks(query, "onderzoek", allowed, limit)
        expected = [pk for pk in _pks(query, "onderzoek") if pk in {study.pk for study in inside}][:limit]
        assert found == expected, text
        assert len(found) == min(limit, len(inside))


def test_all_kinds_at_once_match_as_each_kind_on_its_own():
    """The search page asks the index for every kind at once (the small kinds in one
    statement, the titles once): the same matches, scores and order as kind by kind, for a
    compound read as its parts, an exact title, several words and a facet."""
    theme = ThemeFactory(name="Kwaliteitsdomeinen", description="Domeinen van kwaliteit in de begeleiding.")
    ThemeFactory(name="Kwaliteit", description="Over kwaliteit van begeleiding.")
    OrganisationFactory(name="Kwaliteitsraad", description="Bewaakt de kwaliteit van begeleiding.")
    OrganisationFactory(name="Domeinen", description="Een organisatie over domeinen.")
    ResearchQuestionFactory(question="Welke domeinen van kwaliteit tellen?")
    FrameworkElementFactory(framework=FrameworkFactory(name="Kwaliteitsdomeinen"), name="Domein 1")
    for n in range(3):
        StudyFactory(title=f"Kwaliteit van begeleiding {n}", summary="Domeinen " * (n + 1), themes=[theme])
    StudyFactory(title="Kwaliteitsdomeinen", summary="Een studie.")
    for text in ["kwaliteitsdomeinen", "kwaliteit", "domeinen kwaliteit", "kwaliteitsraad", "onbekendwoord"]:
        query = search_index.read_query(text, 8)
        together = search_index.match_kinds(query, dict.fromkeys(ContentKind))
        assert together == {kind: search_index.match(query, kind) for kind in ContentKind}, text
        faceted = {
            ContentKind.STUDIES: Study.objects.filter(themes=theme).values_list("pk", flat=True),
            ContentKind.THEMES: None,
        }
        assert search_index.match_kinds(query, faceted) == {
            kind: search_index.match(query, kind, allowed) for kind, allowed in faceted.items()
        }, text
    assert search_index.match_kinds(
        search_index.read_query("kwaliteitsdomeinen", 8), dict.fromkeys(ContentKind)
    )[ContentKind.THEMES][0] == (theme.pk, search_index.EXACT_SCORE)


def test_a_word_of_several_tokens_scores_as_the_sum_over_all_of_them_whatever_the_limit():
    """A word read as several tokens (here its synonym's too) is scored from each token's
    best postings; a document found through one token gets its weight of the others as well,
    also where a token's postings were cut at the limit."""
    for n in range(1, 5):
        StudyFactory(title=f"Cheque {n}", summary="Cheque en voucher. " * n)
        StudyFactory(title=f"Voucher {n}", summary="Een voucher. " * (5 - n))
    StudyFactory(title="Cheques en vouchers", summary="Cheque voucher cheque voucher.")
    synonyms = {"cheque": set(analysis.query_tokens("voucher"))}
    query = search_index.read_query("cheque", 8, synonyms)
    assert len(query.groups) == 1 and len(query.groups[0]) > 1
    stats = search_index.statistics(query)
    factor = {
        token: stats.idf(token) * (search_index.SYNONYM_WEIGHT if token in query.borrowed else 1)
        for token in query.groups[0]
    }
    scores = {}
    for pk, token, weight in SearchTerm.objects.filter(kind="onderzoek", token__in=factor).values_list(
        "object_id", "token", "weight"
    ):
        scores[pk] = scores.get(pk, 0) + weight * factor[token]
    expected = sorted(((pk, round(score, 6)) for pk, score in scores.items()), key=lambda i: (-i[1], i[0]))
    for limit in [1, 2, 3, 5, 100]:
        assert search_index.match(query, "onderzoek", limit=limit) == expected[:limit], limit


def test_several_words_score_exactly_whatever_the_seed(monkeypatch):
    """With several words, the candidates come from the rarest word's best postings (at most
    ``SEED_LIMIT``); each one found must hold every word and carry its whole score, also where
    the seed was cut."""
    for n in range(1, 6):
        StudyFactory(title=f"Voucher en cheque {n}", summary="Voucher. " * n + "Regio. " * (6 - n))
        StudyFactory(title=f"Iets anders {n}", summary="Ergens een cheque. " + "Vulling. " * 10 * n)
    for n in range(1, 21):
        StudyFactory(title=f"Regio {n}", summary="Regio. " * n)
    synonyms = {"cheque": set(analysis.query_tokens("voucher"))}
    query = search_index.read_query("cheque regio", 8, synonyms)
    stats = search_index.statistics(query)
    tokens = {token for group in query.groups for token in group}
    factor = {
        token: stats.idf(token) * (search_index.SYNONYM_WEIGHT if token in query.borrowed else 1)
        for token in tokens
    }
    held = {}
    for pk, token, weight in SearchTerm.objects.filter(kind="onderzoek", token__in=tokens).values_list(
        "object_id", "token", "weight"
    ):
        held.setdefault(pk, {})[token] = weight
    exact = {
        pk: round(sum(weights[token] * factor[token] for token in sorted(weights)), 6)
        for pk, weights in held.items()
        if all(weights.keys() & group for group in query.groups)
    }
    expected = sorted(exact.items(), key=lambda item: (-item[1], item[0]))
    assert len(expected) == 5
    # The word of two tokens (its own and its synonym's) is the rarer: the seed.
    assert sum(stats.frequencies[token] for token in query.groups[0]) < stats.frequencies["regio"]
    assert search_index.match(query, "onderzoek") == expected
    for seed_limit in [1, 2, 3]:
        monkeypatch.setattr(search_index, "SEED_LIMIT", seed_limit)
        found = search_index.match(query, "onderzoek")
        assert found and len(found) <= seed_limit
        assert all(exact[pk] == score for pk, score in found), seed_limit
