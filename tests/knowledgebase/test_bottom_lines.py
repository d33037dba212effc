"""Issue 21: a theme's bottom line ("Wat we weten"), the strength page and badges, filtering
findings by strength, and evidence apart from lessons for the Netherlands."""

import datetime
import html as html_lib

import pytest
from django.urls import reverse

from knowledgebase.models import BottomLine
from portal.templatetags.evidence import SOFT_HYPHEN
from tests.factories import FindingFactory, StudyFactory, ThemeFactory, make_country

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
def budgets(site_tree):
    """The published theme whose bottom line the tests read."""
    return ThemeFactory(name="Individuele leerbudgetten", slug="individuele-leerbudgetten")


@pytest.fixture
def budget_finding(budgets):
    """A published finding of limited strength on ``budgets``, from a study on the theme:
    the claims cite it."""
    study = StudyFactory(title="Lifelong guidance policies: a European resource kit", themes=[budgets])
    return FindingFactory(
        statement="Het effect van leerbudgetten op loopbaankeuzes is onduidelijk.",
        study=study,
        locator="p. 12",
        strength="limited",
        themes=[budgets],
    )


@pytest.fixture
def cited_study(site_tree):
    """A published study on no theme, cited by a claim as a whole: on the theme's page only
    that claim links to it."""
    return StudyFactory(title="Kennisinfrastructuur loopbaanbegeleiding in Europa")


@pytest.fixture
def bottom_line(budgets, budget_finding, cited_study):
    """The published bottom line of ``budgets``: a claim citing ``budget_finding``, a claim
    citing ``cited_study`` and a lesson drawn by the portal from a strong lesson for the
    Netherlands on the theme (a lesson, so it does not make the theme's evidence strong)."""
    lesson = FindingFactory(
        statement="Een leerbudget werkt beter met een kwaliteitskader.",
        strength="strong",
        lesson_for_nl=True,
        themes=[budgets],
    )
    return make_bottom_line(
        budgets,
        [
            claim("Leerbudgetten bereiken vooral hoogopgeleiden.", findings=[budget_finding]),
            claim(
                "Landen beschrijven hun regelingen vooral.",
                sources=[{"study": cited_study.pk, "locator": "Hoofdstuk 3"}],
            ),
        ],
        lessons=[
            {
                "type": "lesson",
                "value": {
                    "text": "<p>Het portaal leidt af dat een budget kwaliteitsborging vraagt.</p>",
                    "findings": [lesson.pk],
                    "sources": [],
                    "drawn_by": "portal",
                },
            }
        ],
    )


def test_theme_hub_opens_with_what_we_know(client, budgets, budget_finding, cited_study, bottom_line):
    """The theme's page opens with its bottom line: each claim with the finding or study it
    cites, the confidence with its reason, the date of the last review, and the lesson apart."""
    page = text(client.get(budgets.get_absolute_url()))
    assert page.index("Wat we weten") < page.index("Bevindingen uit onderzoek")
    assert "Leerbudgetten bereiken vooral hoogopgeleiden." in page
    # Each claim cites its finding (linked, with study and locator) or its study.
    assert f'href="{budget_finding.get_absolute_url()}"' in page
    assert "(Lifelong guidance policies: a European resource kit, p. 12)" in page
    assert f'href="{cited_study.get_absolute_url()}"' in page and "Hoofdstuk 3" in page
    assert "Zekerheid: Beperkt" in page
    assert "Eén evaluatie en een paar landenbeschrijvingen." in page
    assert 'datetime="2026-12-04"' in page
    # The lesson stands apart, labelled.
    assert "Les afgeleid door de redactie" in page
    assert "Het portaal leidt af dat een budget kwaliteitsborging vraagt." in page


def test_draft_bottom_line_never_shows(client, budgets, budget_finding):
    """A bottom line that was never published shows nowhere: not on the theme's page, the
    list of themes, the search or the API; the theme's page says there is none yet."""
    secret = claim("Geheime conceptsamenvatting.", findings=[budget_finding])
    make_bottom_line(budgets, [secret], live=False)
    urls = [
        budgets.get_absolute_url(),
        reverse("knowledgebase:theme_list"),
        "/zoeken/?q=conceptsamenvatting",  # the query alone is echoed
        f"/api/v1/themas/{budgets.slug}/",
    ]
    for url in urls:
        page = text(client.get(url))
        assert "Geheime conceptsamenvatting" not in page, url
    assert "nog geen samenvatting van het bewijs" in text(client.get(budgets.get_absolute_url()))


def test_draft_changes_to_a_published_bottom_line_stay_in_revisions(
    client, budgets, budget_finding, bottom_line
):
    """A draft revision of a published bottom line does not show: the page keeps the
    published text."""
    bottom_line.summary = [claim("Nieuwe tekst in concept.", findings=[budget_finding])]
    bottom_line.save_revision()  # a draft: the row keeps the published version
    page = text(client.get(budgets.get_absolute_url()))
    assert "Nieuwe tekst in concept" not in page
    assert "Leerbudgetten bereiken vooral hoogopgeleiden." in page


def test_cited_draft_finding_is_not_named(client, budgets):
    """A claim that cites a draft finding shows "niet openbaar" in place of its statement."""
    draft = FindingFactory(statement="Conceptbevinding die niemand mag zien.", live=False, themes=[budgets])
    make_bottom_line(budgets, [claim("Een uitspraak.", findings=[draft])])
    page = text(client.get(budgets.get_absolute_url()))
    assert "Een uitspraak." in page
    assert "Conceptbevinding" not in page and "niet openbaar" in page


def test_bottom_line_of_unpublished_theme_is_hidden(client, budgets, bottom_line):
    """Unpublishing a theme hides its page and its bottom line on the list of themes."""
    budgets.live = False
    budgets.save()
    assert client.get("/themas/individuele-leerbudgetten/").status_code == 404
    assert "Leerbudgetten bereiken" not in text(client.get(reverse("knowledgebase:theme_list")))


def test_theme_list_shows_first_sentence_studies_and_strongest_level(client, bottom_line):
    """A theme's card on the list of themes shows the first sentence of its bottom line, its
    number of studies and its strongest level of evidence; the list links the other evidence
    pages."""
    page = text(client.get(reverse("knowledgebase:theme_list")))
    assert "Wat we weten:</strong> Leerbudgetten bereiken vooral hoogopgeleiden." in page
    assert "Landen beschrijven hun regelingen vooral." not in page  # only the first sentence
    # One study is on the theme: that of the cited finding (the other studies are on none).
    assert "<dt>Onderzoeken</dt><dd>1</dd>" in page
    # Individuele leerbudgetten, the only theme: its strongest finding of a study is limited
    # (the strong one is a lesson).
    assert "Sterkste bewijs: Beperkt" in page
    assert 'href="/kaders/"' in page and 'href="/bewijskracht/"' in page and 'href="/themas/kaart/"' in page


def test_theme_list_sorts_by_studies_and_strength(client, budgets):
    """The list of themes is ordered by name, by strongest evidence (lessons for the
    Netherlands do not count) or by number of studies; another order is a 400."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    FindingFactory(strength="strong", themes=[budgets], study=StudyFactory(themes=[budgets]))
    first_study, second_study = StudyFactory.create_batch(2, themes=[quality])
    FindingFactory(strength="limited", themes=[quality], study=first_study)
    # A strong lesson on quality: were it counted, quality would tie on strength and come
    # first (it has more studies).
    FindingFactory(strength="strong", lesson_for_nl=True, themes=[quality], study=second_study)
    by_name = [t.slug for t in client.get("/themas/").context["themes"]]
    assert by_name == ["individuele-leerbudgetten", "kwaliteitsborging"]
    by_strength = [t.slug for t in client.get("/themas/?sort=strength").context["themes"]]
    assert by_strength == ["individuele-leerbudgetten", "kwaliteitsborging"]
    by_studies = [t.slug for t in client.get("/themas/?sort=studies").context["themes"]]
    assert by_studies == ["kwaliteitsborging", "individuele-leerbudgetten"]  # 2 studies against 1
    bad = client.get("/themas/?sort=DROP")
    assert bad.status_code == 400
    assert "Deze volgorde bestaat niet" in text(bad)


def test_theme_list_queries_are_capped(client, bottom_line, django_assert_max_num_queries):
    """The list of themes needs at most 10 queries, also with a dozen findings on a theme."""
    # A second theme, with many findings, next to the one with the bottom line.
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    for _index in range(12):
        FindingFactory(themes=[quality], strength="moderate")
    with django_assert_max_num_queries(10):
        assert client.get("/themas/?sort=strength").status_code == 200


def test_findings_filtered_and_sorted_by_strength(client, budgets, budget_finding):
    """A theme's findings are sorted strongest (or weakest) first and can be filtered by
    strength; an unknown strength is a 400 that says so."""
    FindingFactory(statement="Een redelijke bevinding over budgetten.", strength="moderate", themes=[budgets])
    url = budgets.get_absolute_url()
    page = text(client.get(url))
    assert page.index("Een redelijke bevinding") < page.index(budget_finding.statement)
    page = text(client.get(url, {"sort": "weakest"}))
    assert page.index(budget_finding.statement) < page.index("Een redelijke bevinding")
    page = text(client.get(url, {"strength": "limited"}))
    assert budget_finding.statement in page and "Een redelijke bevinding" not in page
    bad = client.get(url, {"strength": "super"})
    assert bad.status_code == 400
    assert "Dit filter of deze volgorde bestaat niet" in text(bad)


def test_evidence_and_lessons_apart_on_theme_study_and_country_pages(client, budgets):
    """The pages of a theme, a country and a study list the findings of studies first and
    the lessons for the Netherlands apart, after them."""
    finland = make_country("FI", title="Finland")
    lesson = FindingFactory(
        statement="Een landelijk kwaliteitskader maakt begeleiding vergelijkbaar.",
        strength="strong",
        lesson_for_nl=True,
        themes=[budgets],
    )
    finding = FindingFactory(
        statement="Het effect van leerbudgetten op loopbaankeuzes is onduidelijk.",
        strength="limited",
        themes=[budgets],
    )
    for record in (lesson, finding):
        record.countries.set([finland])
        record.save()
    for url in [budgets.get_absolute_url(), finland.url]:
        page = text(client.get(url))
        evidence_at = page.index("Bevindingen uit onderzoek")
        lessons_at = page.index("Lessen voor Nederland (1)")
        assert evidence_at < page.index(finding.statement) < lessons_at < page.index(lesson.statement), url
    page = text(client.get(lesson.study.get_absolute_url()))
    evidence_at = page.index("Bevindingen uit dit onderzoek")
    assert evidence_at < page.index("Lessen voor Nederland") < page.index(lesson.statement)


def test_strength_badges_link_to_the_strength_page_with_text_and_shape(client, budgets, budget_finding):
    """A strength badge links to its section of the strength page and shows its level in
    words and with its icon, not by colour alone."""
    page = client.get(budgets.get_absolute_url()).content.decode()
    assert '<a class="badge badge--limited" href="/bewijskracht/#beperkt">' in page
    assert "strength-limited" in page and "Bewijskracht: Beperkt" in page


def test_header_search_on_every_page(client, budgets):
    """Every page has the search form in its header."""
    finland = make_country("FI", title="Finland")
    for url in ["/", "/themas/", budgets.get_absolute_url(), "/onderzoek/", finland.url]:
        page = client.get(url).content.decode()
        assert 'class="header-search" method="get" action="/zoeken/"' in page, url
        assert '<label for="header-q"' in page, url


def test_home_links_the_evidence_pages(client, site_tree):
    """The home page links the comparison of countries and the pages on reading evidence."""
    page = client.get("/").content.decode()
    assert 'href="/vergelijken/">Landen' in page
    for url in ["/themas/kaart/", "/kaders/", "/bewijskracht/"]:
        assert f'href="{url}"' in page


def test_long_words_get_soft_hyphens_numbers_do_not(client, site_tree):
    """Long words in the theme cards get soft hyphens; the numbers on them do not."""
    quality = ThemeFactory(name="Kwaliteitsborging", slug="kwaliteitsborging")
    StudyFactory.create_batch(2, themes=[quality])  # the card's number of studies: 2
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
