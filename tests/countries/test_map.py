"""The map of Europe on /landen/: inline SVG from committed outlines, coloured by model."""

import json
import re

import pytest

from countries.maps import DATA, known_outline_codes
from knowledgebase.codes import COUNTRY_NAMES
from tests.factories import make_country, make_model

pytestmark = pytest.mark.django_db


def test_outlines_cover_every_described_region():
    """Every country code a profile can have, except the EU itself, has an outline."""
    assert set(COUNTRY_NAMES) - {"EU"} <= known_outline_codes()
    data = json.loads(DATA.read_text())
    assert "note" in data and data["licence"]


def test_map_colours_countries_by_model_and_links_profiles(client, site_tree):
    """Each described country is a link to its profile, filled with its model's colour; the
    map has a title, a description, a legend and no external resource."""
    pin = make_model("linking-pin", title="Spilorganisatie")
    make_country("IE", title="Ierland", infrastructure_model=pin)
    make_country("NL", title="Nederland")
    make_country("SE", title="Zweden", live=False)
    html = client.get("/landen/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert re.search(
        r'<a href="/landen/ie/" aria-label="Ierland: Spilorganisatie">.*?class="fill-linking-pin"', svg
    )
    assert re.search(
        r'<a href="/landen/nl/" aria-label="Nederland: Geen model vastgesteld">.*?class="fill-none"', svg
    )
    assert "/landen/se/" not in svg
    assert 'role="group"' in svg and "<title" in svg and "<desc" in svg
    assert "Spilorganisatie: Ierland." in svg
    assert "http" not in svg
    assert "Spilorganisatie (1)" in html  # legend
    assert "<table" in html  # the table alternative


def test_map_is_deterministic(client, site_tree):
    """The same data draws the same map."""
    make_country("FI", title="Finland")
    first = client.get("/landen/").content
    assert first == client.get("/landen/").content
