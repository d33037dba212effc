"""The English interface: every Dutch text has an English translation, and the compiled
catalogue the site loads is the one in the source catalogue."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_interface_text_is_translated():
    """No text is left untranslated or marked fuzzy (a fuzzy guess is not used, so the
    English interface would show the Dutch text)."""
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    """``django.mo`` holds exactly the translations of ``django.po`` (run ``make messages``
    after editing it)."""
    source = polib.pofile(str(CATALOGUE))
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))

    def translations(entries):
        return {(entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr for entry in entries}

    assert translations(compiled) == translations(source.translated_entries())


def test_country_profile_links_read_in_english(client, site_tree):
    """A text added with the capped lists reads in English when English is chosen."""
    from knowledgebase.models import Study
    from knowledgebase.selectors import PREVIEW_LIMIT
    from tests.factories import link_many, make_country

    page = make_country("FI", title="Finland")
    studies = Study.objects.bulk_create(
        Study(title=f"S {i}", slug=f"s-{i}", study_type="report", summary="-", strength="limited", live=True)
        for i in range(PREVIEW_LIMIT + 1)
    )
    link_many(Study, "countries", [study.pk for study in studies], page)
    client.post("/taal/", {"language": "en", "next": "/landen/fi/"})
    html = client.get("/landen/fi/").content.decode()
    assert f"All {PREVIEW_LIMIT + 1} studies on Finland" in html


def test_the_chosen_language_holds_for_the_request_only(client, site_tree):
    """An English visitor gets English; what runs after the request in the same thread (a task,
    the next test) runs in the language it ran in before."""
    from django.utils import translation

    client.post("/taal/", {"language": "en", "next": "/"})
    with translation.override("nl"):
        response = client.get("/")
        assert response["Content-Language"] == "en"
        assert translation.get_language() == "nl"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make messages)")
def test_every_marked_text_is_in_the_catalogue(tmp_path, monkeypatch, settings):
    """``makemessages`` over a copy of the code finds no text that the catalogue lacks: a text
    marked for translation but never added to it would show in Dutch in the English interface."""
    base = Path(settings.BASE_DIR)
    for name in ["portal", "countries", "models_infra", "knowledgebase", "templates", "locale"]:
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    catalogue = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
