"""Issue 21: a theme's bottom line ("Wat we weten"), the strength page and badges, filtering
findings by strength, and evidence apart from lessons for the Netherlands."""

import datetime
import html as html_lib

import pytest
from django.urls import reverse

from knowledgebase.models import BottomLine
from portal.templatetags.evidence import SOFT_HYPHEN
from tests.factories import FindingFactory

pytestmark = pytest.mark.django_db


def text(response):
    """The page as a reader sees its text: without soft hyphens, entities decoded."""
    return html_lib.unescape(response.content.decode()).replace(SOFT_HYPHEN, "")


def claim(text, findings=(), sources=()):
    return {
        "type": "claim",
        "value": {"text": f"<p>{text}</p>", "findings": [f.pk for f in findings], "sources": list(sources)},
    }


def make_bottom_line(theme, claims, live=True, confidence="limited", lessons=()):
    line = BottomLine(
        theme=theme,
        summary=claims,
        lessons=list(lessons),
        confidence=confidence,
        confidence_reason="Eén evaluatie en een paar landenbeschrijvingen.",
        last_reviewed=datetime.date(2026, 12, 4),
        live=live,
    )
    line.save()
    if live:
        line.save_revision().publish()
    return line


@pytest.fixture
def bottom_line(kb):
    return make_bottom_line(
        kb.budgets,
        [
            claim("Leerbudgetten bereiken vooral hoogopgeleiden.", findings=[kb.weak_finding]),
            claim(
                "Landen beschrijven hun regelingen vooral.",
                sources=[{"study": kb.mapping.pk, "locator": "Hoofdstuk 3"}],
            ),
        ],
        lessons=[
            {
                "type": "lesson",
                "value": {
                    "text": "<p>Het portaal leidt af dat een budget kwaliteitsborging vraagt.</p>",
                    "findings": [kb.strong_finding.pk],
                    "sources": [],
                    "drawn_by": "portal",
                },
            }
        ],
    )


def test_theme_hub_opens_with_what_we_know(client, kb, bottom_line):
    page = text(client.get(kb.budgets.get_absolute_url()))
    assert page.index("Wat we weten") < page.index("Bevindingen uit onderzoek")
    assert "Leerbudgetten bereiken vooral hoogopgeleiden." in page
    # Each claim cites its finding (linked, with study and locator) or its study.
    assert f'href="{kb.weak_finding.get_absolute_url()}"' in page
    assert "(Lifelong guidance policies: a European resource kit, p. 12)" in page
    assert f'href="{kb.mapping.get_absolute_url()}"' in page and "Hoofdstuk 3" in page
    assert "Zekerheid: Beperkt" in page
    assert "Eén evaluatie en een paar landenbeschrijvingen." in page
    assert 'datetime="2026-12-04"' in page
    # The lesson stands apart, labelled.
    assert "Les afgeleid door de redactie" in page
    assert "Het portaal leidt af dat een budget kwaliteitsborging vraagt." in page


def test_draft_bottom_line_never_shows(client, kb):
    secret = claim("Geheime conceptsamenvatting.", findings=[kb.weak_finding])
    make_bottom_line(kb.budgets, [secret], live=False)
    urls = [
        kb.budgets.get_absolute_url(),
        reverse("knowledgebase:theme_list"),
        "/zoeken/?q=conceptsamenvatting",  # the query alone is echoed
        f"/api/v1/themas/{kb.budgets.slug}/",
    ]
    for url in urls:
        page = text(client.get(url))
        assert "Geheime conceptsamenvatting" not in page, url
    assert "nog geen samenvatting van het bewijs" in text(client.get(kb.budgets.get_absolute_url()))


def test_draft_changes_to_a_published_bottom_line_stay_in_revisions(client, kb, bottom_line):
    bottom_line.summary = [claim("Nieuwe tekst in concept.", findings=[kb.weak_finding])]
    bottom_line.save_revision()  # a draft: the row keeps the published version
    page = text(client.get(kb.budgets.get_absolute_url()))
    assert "Nieuwe tekst in concept" not in page
    assert "Leerbudgetten bereiken vooral hoogopgeleiden." in page


def test_cited_draft_finding_is_not_named(client, kb):
    draft = FindingFactory(
        statement="Conceptbevinding die niemand mag zien.", live=False, themes=[kb.budgets]
    )
    make_bottom_line(kb.budgets, [claim("Een uitspraak.", findings=[draft])])
    page = text(client.get(kb.budgets.get_absolute_url()))
    assert "Een uitspraak." in page
    assert "Conceptbevinding" not in page and "niet openbaar" in page


def test_bottom_line_of_unpublished_theme_is_hidden(client, kb, bottom_line):
    kb.budgets.live = False
    kb.budgets.save()
    assert client.get("/themas/individuele-leerbudgetten/").status_code == 404
    assert "Leerbudgetten bereiken" not in text(client.get(reverse("knowledgebase:theme_list")))


def test_theme_list_shows_first_sentence_studies_and_strongest_level(client, kb, bottom_line):
    page = text(client.get(reverse("knowledgebase:theme_list")))
    assert "Wat we weten:</strong> Leerbudgetten bereiken vooral hoogopgeleiden." in page
    assert "Landen beschrijven hun regelingen vooral." not in page  # only the first sentence
    # Kwaliteitsborging: strongest finding of a study is limited (the strong one is a lesson).
    assert "Sterkste bewijs: Beperkt" in page
    assert 'href="/kaders/"' in page and 'href="/bewijskracht/"' in page and 'href="/themas/kaart/"' in page


def test_theme_list_sorts_by_studies_and_strength(client, kb):
    FindingFactory(strength="strong", themes=[kb.budgets], study=kb.elgpn)
    by_name = [t.slug for t in client.get("/themas/").context["themes"]]
    assert by_name == ["individuele-leerbudgetten", "kwaliteitsborging"]
    by_strength = [t.slug for t in client.get("/themas/?sort=strength").context["themes"]]
    assert by_strength == ["individuele-leerbudgetten", "kwaliteitsborging"]
    by_studies = [t.slug for t in client.get("/themas/?sort=studies").context["themes"]]
    assert by_studies == ["kwaliteitsborging", "individuele-leerbudgetten"]  # 2 studies against 1
    bad = client.get("/themas/?sort=DROP")
    assert bad.status_code == 400
    assert "Deze volgorde bestaat niet" in text(bad)


def test_theme_list_queries_are_capped(client, kb, bottom_line, django_assert_max_num_queries):
    for _index in range(12):
        FindingFactory(themes=[kb.quality], strength="moderate")
    with django_assert_max_num_queries(10):
        assert client.get("/themas/?sort=strength").status_code == 200


def test_findings_filtered_and_sorted_by_strength(client, kb):
    FindingFactory(
        statement="Een redelijke bevinding over kwaliteit.", strength="moderate", themes=[kb.quality]
    )
    url = kb.quality.get_absolute_url()
    page = text(client.get(url))
    assert page.index("Een redelijke bevinding") < page.index(kb.weak_finding.statement)
    page = text(client.get(url, {"sort": "weakest"}))
    assert page.index(kb.weak_finding.statement) < page.index("Een redelijke bevinding")
    page = text(client.get(url, {"strength": "limited"}))
    assert kb.weak_finding.statement in page and "Een redelijke bevinding" not in page
    bad = client.get(url, {"strength": "super"})
    assert bad.status_code == 400
    assert "Dit filter of deze volgorde bestaat niet" in text(bad)


def test_evidence_and_lessons_apart_on_theme_study_and_country_pages(client, kb):
    lesson, finding = kb.strong_finding.statement, kb.weak_finding.statement
    kb.weak_finding.countries.set([kb.finland])
    kb.weak_finding.save()
    for url in [kb.quality.get_absolute_url(), kb.finland.url]:
        page = text(client.get(url))
        evidence_at = page.index("Bevindingen uit onderzoek")
        lessons_at = page.index("Lessen voor Nederland (1)")
        assert evidence_at < page.index(finding) < lessons_at < page.index(lesson), url
    page = text(client.get(kb.mapping.get_absolute_url()))
    evidence_at = page.index("Bevindingen uit dit onderzoek")
    assert evidence_at < page.index("Lessen voor Nederland") < page.index(lesson)


def test_strength_badges_link_to_the_strength_page_with_text_and_shape(client, kb):
    page = client.get(kb.quality.get_absolute_url()).content.decode()
    assert '<a class="badge badge--limited" href="/bewijskracht/#beperkt">' in page
    assert "strength-limited" in page and "Bewijskracht: Beperkt" in page


def test_header_search_on_every_page(client, kb):
    for url in ["/", "/themas/", kb.quality.get_absolute_url(), "/onderzoek/", kb.finland.url]:
        page = client.get(url).content.decode()
        assert 'class="header-search" method="get" action="/zoeken/"' in page, url
        assert '<label for="header-q"' in page, url


def test_home_links_the_evidence_pages(client, kb):
    page = client.get("/").content.decode()
    assert 'href="/vergelijken/">Landen' in page
    for url in ["/themas/kaart/", "/kaders/", "/bewijskracht/"]:
        assert f'href="{url}"' in page


def test_long_words_get_soft_hyphens_numbers_do_not(client, kb):
    page = client.get("/themas/").content.decode()
    assert f"Kwa{SOFT_HYPHEN}li{SOFT_HYPHEN}teits{SOFT_HYPHEN}bor{SOFT_HYPHEN}ging</a></h2>" in page
    assert "<dd>2</dd>" in page


def test_strength_page_sections_have_the_anchors_badges_link_to(client, site_tree):
    from portal.models import ContentPage

    page = ContentPage(
        title="Bewijskracht",
        slug="bewijskracht",
        intro="Wat de niveaus betekenen.",
        body="<h2>Sterk</h2><p>Veel onderzoek.</p><h2>Indicatief</h2><p>Praktijk.</p>",
    )
    site_tree.add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/bewijskracht/").content.decode()
    assert 'id="sterk">Sterk</h2>' in html and 'id="indicatief">Indicatief</h2>' in html
    # A legend of the four badges, each linking to its section.
    for anchor in ("sterk", "redelijk", "beperkt", "indicatief"):
        assert f'href="/bewijskracht/#{anchor}"' in html
