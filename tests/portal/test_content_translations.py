"""English translations of pages: served at the Dutch address to a visitor who chose English,
never listed twice, never a draft, and linked to the same knowledge-base records."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, PageViewRestriction

from countries.models import CountryPage
from models_infra.models import InfrastructureModelPage
from portal.attention import stale_profiles
from portal.models import HomePage
from portal.services import EDITORS, WORKFLOW_NAME
from tests.factories import FindingFactory, StudyFactory, make_country, make_model

pytestmark = pytest.mark.django_db

NOTICE_EN = "This page has not been translated yet: the text below is in Dutch."


def _english():
    return Locale.objects.get(language_code="en")


def _translate(page, live=True, **fields):
    """An English translation of ``page`` (and of its untranslated parents, left as drafts),
    with ``fields`` set and published unless ``live=False``."""
    translation = page.copy_for_translation(_english(), copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    revision = translation.save_revision()
    if live:
        revision.publish()
    return type(page).objects.get(pk=translation.pk)


def _in_english(client):
    client.post("/taal/", {"language": "en", "next": "/"})
    return client


def _main(html):
    return html[html.index('<main id="inhoud"') :]


def test_english_visitor_reads_the_live_translation_at_the_dutch_address(client, site_tree):
    finland = make_country("FI", title="Finland", summary="Finland werkt met een netwerk.")
    english = _translate(finland, summary="Finland works with a network.")
    assert english.url == finland.url == "/landen/fi/"

    dutch_html = client.get("/landen/fi/").content.decode()
    assert "Finland werkt met een netwerk." in dutch_html
    assert "Finland works with a network." not in dutch_html

    html = _in_english(client).get("/landen/fi/").content.decode()
    assert "Finland works with a network." in html
    assert "Finland werkt met een netwerk." not in html
    # The text is English, as is the interface: nothing is marked Dutch, nothing apologises.
    assert _main(html).startswith('<main id="inhoud" class="container" tabindex="-1">')
    assert NOTICE_EN not in html


def test_untranslated_page_says_so_and_stays_marked_dutch(client, site_tree):
    make_country("FI", title="Finland", summary="Finland werkt met een netwerk.")
    html = _in_english(client).get("/landen/fi/").content.decode()
    assert "Finland werkt met een netwerk." in html
    assert 'tabindex="-1" lang="nl">' in html
    assert f'<p class="language-notice" lang="en">{NOTICE_EN}</p>' in html
    # A Dutch visitor is told nothing.
    client.cookies.clear()
    assert "language-notice" not in client.get("/landen/fi/").content.decode()


def test_a_draft_translation_is_never_served(client, site_tree):
    finland = make_country("FI", title="Finland", summary="Finland werkt met een netwerk.")
    _translate(finland, live=False, summary="CONCEPTVERTALING")
    html = _in_english(client).get("/landen/fi/").content.decode()
    assert "CONCEPTVERTALING" not in html
    assert "Finland werkt met een netwerk." in html
    assert NOTICE_EN in html


def test_every_address_works_in_english_once_the_home_page_is_translated(client, site_tree):
    """With an English home page, English visitors are still routed through the Dutch tree:
    a page that has no translation (nor its parents) is served in Dutch, not a 404."""
    finland = make_country("FI", title="Finland", summary="Finland werkt met een netwerk.")
    make_country("NO", title="Noorwegen", summary="Noorwegen heeft regionale centra.")
    _translate(finland, summary="Finland works with a network.")
    # Its parents were copied as English aliases of the Dutch pages: there is an English tree.
    assert HomePage.objects.filter(locale__language_code="en", live=True).exists()

    _in_english(client)
    assert "Finland works with a network." in client.get("/landen/fi/").content.decode()
    # The English home page is an alias of the Dutch one: it is served as what it is, Dutch.
    assert NOTICE_EN in client.get("/").content.decode()
    norway = client.get("/landen/no/")
    assert norway.status_code == 200
    assert "Noorwegen heeft regionale centra." in norway.content.decode()
    assert client.get("/landen/bestaat-niet/").status_code == 404


def test_a_translation_is_listed_once_and_only_as_the_dutch_page(client, site_tree):
    make_country("NL", title="Nederland")
    finland = make_country("FI", title="Finland")
    _translate(finland, title="Finland (EN)")
    for language in ["nl", "en"]:
        client.cookies["django_language"] = language
        index = client.get("/landen/").content.decode()
        assert index.count('href="/landen/fi/"') >= 1
        # The index names the profile once per card, table row and map area, in the visitor's
        # language, at the Dutch address.
        assert ("Finland (EN)" in index) == (language == "en")
        compare = client.get("/vergelijken/?landen=nl,fi")
        assert compare.status_code == 200
        assert "Finland (EN)" not in compare.content.decode()
        results = client.get("/zoeken/", {"q": "Finland", "kind": "landen"}).content.decode()
        assert results.count('href="/landen/fi/"') == 1
        assert "Finland (EN)" not in results
    sitemap = client.get("/sitemap-paginas.xml").content.decode()
    assert sitemap.count("/landen/fi/</loc>") == 1
    # The staff's list of profiles to check again names the Dutch profile only.
    assert [page.title for page in stale_profiles()] == ["Finland", "Nederland"]


def test_the_index_pages_show_english_visitors_the_translated_titles_and_summaries(
    client, site_tree, django_assert_max_num_queries
):
    """An English visitor's country and model lists read the live translations, ordered by
    their titles and marked English while the index page around them is Dutch; a draft
    translation is never shown and an untranslated page keeps its Dutch text."""
    network = make_model("network", title="Netwerk", summary="Organisaties werken samen.")
    make_model("linking-pin", title="Spilorganisatie", summary="Eén organisatie verbindt.")
    norway = make_country("NO", title="Noorwegen", summary="Noorwegen heeft regionale centra.")
    flanders = make_country(
        "BE-VLG",
        title="België (Vlaanderen)",
        summary="Vlaanderen kent een netwerk.",
        infrastructure_model=network,
    )
    _translate(norway, title="Norway", summary="Norway has regional centres.")
    _translate(flanders, title="Belgium (Flanders)", summary="Flanders has a network.")
    _translate(network, title="Network", summary="Organisations work together.")
    _translate(make_country("FI", title="Finland", summary="Fins."), live=False, title="CONCEPTVERTALING")

    dutch = client.get("/landen/").content.decode()
    assert "Norway" not in dutch and "Belgium (Flanders)" not in dutch
    dutch_cards = dutch[dutch.index('id="landenprofielen"') :]
    assert dutch_cards.index("België (Vlaanderen)") < dutch_cards.index("Noorwegen")

    _in_english(client)
    # Routing an English visitor through the Dutch tree, then one query per page type listed
    # (countries, models) for their translations, whatever their number.
    with django_assert_max_num_queries(21):
        countries = client.get("/landen/").content.decode()
    assert "CONCEPTVERTALING" not in countries
    assert '<a href="/landen/no/" lang="en">Norway</a>' in countries
    assert '<p lang="en">Norway has regional centres.</p>' in countries
    assert "<p>Fins.</p>" in countries
    assert '<a href="/kennisinfrastructuur/network/" lang="en">Network</a>' in countries
    assert "Noorwegen" not in countries
    cards = countries[countries.index('id="landenprofielen"') :]
    assert cards.index("Belgium (Flanders)") < cards.index("Finland") < cards.index("Norway")

    models = client.get("/kennisinfrastructuur/").content.decode()
    assert '<p lang="en">Organisations work together.</p>' in models
    assert "<p>Eén organisatie verbindt.</p>" in models
    assert '<a href="/landen/be-vlg/" lang="en">Belgium (Flanders)</a>' in models


def test_the_pages_api_lists_translations_with_their_language(client, site_tree):
    finland = make_country("FI", title="Finland")
    english = _translate(finland, title="Finland (EN)")
    draft = _translate(make_country("NO", title="Noorwegen"), live=False, title="CONCEPTVERTALING")

    listing = client.get("/api/v1/paginas/?type=countries.CountryPage&fields=*").json()
    by_id = {item["id"]: item for item in listing["items"]}
    assert by_id[english.pk]["meta"]["locale"] == "en"
    assert by_id[finland.pk]["meta"]["locale"] == "nl"
    assert draft.pk not in by_id
    dutch_only = client.get("/api/v1/paginas/?type=countries.CountryPage&locale=nl").json()
    assert english.pk not in {item["id"] for item in dutch_only["items"]}


def test_a_translation_shows_the_records_linked_to_the_dutch_page(client, site_tree):
    network = make_model("network", title="Netwerk")
    finland = make_country("FI", title="Finland", infrastructure_model=network)
    study = StudyFactory(title="Fins onderzoek naar begeleiding")
    study.countries.add(finland)
    study.infrastructure_models.add(network)
    study.save()
    _translate(finland, summary="Finland works with a network.")
    _translate(network, summary="A network of organisations.")

    _in_english(client)
    profile = client.get("/landen/fi/").content.decode()
    assert "Finland works with a network." in profile
    assert "Fins onderzoek naar begeleiding" in profile
    model_page = client.get("/kennisinfrastructuur/network/").content.decode()
    assert "A network of organisations." in model_page
    assert "Fins onderzoek naar begeleiding" in model_page
    assert 'href="/landen/fi/"' in model_page


def test_text_in_another_language_than_the_page_is_marked(client, site_tree):
    """On an English translation, the Dutch records from the knowledge base carry lang="nl"
    and English ones nothing; on the Dutch page it is the other way round."""
    finland = make_country("FI", title="Finland")
    dutch = StudyFactory(title="Nederlandstalig onderzoek", language="nl")
    english = StudyFactory(title="English-language study", language="en")
    finding = FindingFactory(statement="Begeleiding werkt beter met een netwerk.", study=dutch)
    for record in [dutch, english, finding]:
        record.countries.add(finland)
        record.save()
    _translate(finland, summary="Finland works with a network.")

    dutch_url, english_url = dutch.get_absolute_url(), english.get_absolute_url()
    html = client.get("/landen/fi/").content.decode()
    assert f'<a href="{dutch_url}">' in html
    assert f'<a href="{english_url}" lang="en">' in html
    assert f'<a href="{finding.get_absolute_url()}">' in html

    html = _in_english(client).get("/landen/fi/").content.decode()
    assert f'<a href="{dutch_url}" lang="nl">' in html
    assert f'<a href="{english_url}">' in html
    assert f'<a href="{finding.get_absolute_url()}" lang="nl">' in html


def test_a_private_page_stays_private_in_english(client, site_tree):
    """The restriction on the Dutch page holds even if its translation has none of its own."""
    finland = make_country("FI", title="Finland")
    PageViewRestriction.objects.create(page=finland, restriction_type=PageViewRestriction.LOGIN)
    _translate(finland, summary="GEHEIME VERTALING")
    response = _in_english(client).get("/landen/fi/")
    assert response.status_code == 302
    assert "GEHEIME VERTALING" not in response.content.decode()


def test_code_and_model_are_unique_per_language(site_tree):
    finland = make_country("FI", title="Finland")
    network = make_model("network", title="Netwerk")
    english_finland = _translate(finland)  # Keeps the code FI: no clash across languages.
    english_finland.full_clean()
    _translate(network).full_clean()

    twin = CountryPage(title="Finland 2", slug="fi-2", code="FI", summary="Nog een.")
    with pytest.raises(ValidationError) as error:
        finland.get_parent().add_child(instance=twin)
    assert "code" in error.value.message_dict
    model_twin = InfrastructureModelPage(
        title="Netwerk 2", slug="netwerk-2", key="network", summary="x", definition="<p>x</p>"
    )
    with pytest.raises(ValidationError) as error:
        network.get_parent().add_child(instance=model_twin)
    assert "key" in error.value.message_dict


def test_a_translation_keeps_the_dutch_address(site_tree):
    english = _translate(make_country("FI", title="Finland"), title="Finland (EN)")
    english.slug = "finland"
    with pytest.raises(ValidationError) as error, translation.override("nl"):
        english.full_clean()
    assert error.value.message_dict["slug"] == [
        "Een vertaling houdt het adres van de Nederlandse pagina: fi."
    ]
    english.slug = "fi"
    english.full_clean()


def test_an_editor_translates_a_page_and_the_translation_goes_through_review(client, site_tree):
    """From the top down, as the admin's form leads: the home page, the country index, then
    the profile. The new translation is a draft, in the review workflow, and editable."""
    editor = get_user_model().objects.create_user(username="redacteur", password="geheim-wachtwoord")
    editor.groups.add(Group.objects.get(name=EDITORS))
    finland = make_country("FI", title="Finland")
    client.force_login(editor)

    def translate(page):
        url = reverse("simple_translation:submit_page_translation", args=[page.pk])
        return client.post(url, {"locales": [_english().pk]})

    response = translate(finland)  # Its parent has no English version yet.
    assert response.status_code == 400
    assert "Vertaal eerst de bovenliggende pagina" in response.content.decode()
    assert not CountryPage.objects.filter(locale__language_code="en").exists()

    url = reverse("simple_translation:submit_page_translation", args=[finland.pk])
    assert client.get(url).status_code == 200
    for page in [*finland.get_ancestors().filter(depth__gt=1), finland]:
        assert translate(page).status_code == 302, page

    english = CountryPage.objects.get(locale__language_code="en", translation_key=finland.translation_key)
    assert not english.live
    assert english.get_workflow().name == WORKFLOW_NAME
    assert client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).status_code == 200


def _hide(page, how):
    if how == "unpublished":
        page.unpublish()
    elif how == "password":
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    else:
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


@pytest.mark.parametrize(
    "hidden, how",
    [
        ("dutch", "unpublished"),
        ("dutch", "login"),
        ("dutch", "password"),
        ("translation", "password"),
        ("translation", "login"),
    ],
)
def test_a_translation_is_public_only_while_it_and_its_dutch_page_are(client, site_tree, hidden, how):
    """A translation whose Dutch page was unpublished or made private, or that is itself
    behind a view restriction, shows nowhere: not in the pages API (list, detail, search), not
    on the English index page, the English profile, the search or the sitemap. A public
    translation next to it still shows everywhere it did."""
    norway = make_country("NO", title="Noorwegen", summary="Noorwegen heeft regionale centra.")
    public_english = _translate(norway, title="Norway", summary="Norway has regional centres.")
    finland = make_country("FI", title="Finland", summary="Finland werkt met een netwerk.")
    english = _translate(finland, title="Finland VERBORGENVERTALING", summary="VERBORGENSAMENVATTING")
    _hide(finland if hidden == "dutch" else english, how)
    markers = ["VERBORGENVERTALING", "VERBORGENSAMENVATTING"]

    assert client.get(f"/api/v1/paginas/{english.pk}/").status_code == 404
    assert client.get(f"/api/v1/paginas/{public_english.pk}/").status_code == 200
    for url in [
        "/api/v1/paginas/?limit=100&fields=*",
        "/api/v1/paginas/?type=countries.CountryPage&fields=*&locale=en",
        "/api/v1/paginas/?search=Finland&fields=*",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        ids = {item["id"] for item in response.json()["items"]}
        assert english.pk not in ids, url
        assert not any(marker in response.content.decode() for marker in markers), url
    listed = client.get("/api/v1/paginas/?type=countries.CountryPage&locale=en").json()["items"]
    assert public_english.pk in {item["id"] for item in listed}

    _in_english(client)
    pages = {
        url: client.get(url)
        for url in ["/landen/", "/landen/fi/", "/zoeken/?q=Finland", "/sitemap-paginas.xml"]
    }
    for url, response in pages.items():
        assert response.status_code in {200, 302, 404}, url
        assert not any(marker in response.content.decode() for marker in markers), url
    assert "Norway has regional centres." in pages["/landen/"].content.decode()
    if hidden == "translation":
        # The Dutch page is public: it is served and listed in the translation's place.
        assert pages["/landen/fi/"].status_code == 200
        assert "Finland werkt met een netwerk." in pages["/landen/fi/"].content.decode()
        assert "Finland werkt met een netwerk." in pages["/landen/"].content.decode()
