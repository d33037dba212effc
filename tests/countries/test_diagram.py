"""Diagrams of organisations and their relations on country and model pages."""

import re

import pytest

from countries.diagrams import BOX_WIDTH, CENTRE_X, CENTRE_Y, MAX_NODES, build_diagram, relations_for
from knowledgebase.models import Organisation
from tests.factories import (
    OrganisationFactory,
    OrganisationRelationFactory,
    make_country,
    make_example,
    make_model,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def linking_pin(site_tree):
    """A linking-pin organisation between a ministry, a university and a practice body."""
    pin = OrganisationFactory(name="Spil", slug="spil", kind="agency", country_code="IE")
    ministry = OrganisationFactory(name="Ministerie", slug="min", kind="ministry", country_code="IE")
    university = OrganisationFactory(name="Universiteit", slug="uni", kind="research", country_code="IE")
    service = OrganisationFactory(
        name="Loopbaanloket", slug="loket", kind="public_service", country_code="IE"
    )
    OrganisationRelationFactory(organisation=pin, target=ministry, kind="advises")
    OrganisationRelationFactory(organisation=pin, target=university, kind="commissions_research_from")
    OrganisationRelationFactory(organisation=pin, target=service, kind="trains_practitioners_for")
    return pin, ministry, university, service


def test_linking_pin_sits_in_the_middle(linking_pin):
    """The most connected organisation is drawn in the middle; policy above it, research and
    practice on either side; edges carry the Dutch relation label."""
    organisations = list(Organisation.objects.all())
    diagram = build_diagram("d", "Titel", organisations, relations_for(organisations))
    nodes = {node.organisation.name: node for node in diagram.nodes}
    assert nodes["Spil"].central and (nodes["Spil"].x, nodes["Spil"].y) == (CENTRE_X, CENTRE_Y)
    assert nodes["Ministerie"].y < CENTRE_Y
    assert nodes["Loopbaanloket"].x > CENTRE_X > nodes["Universiteit"].x
    assert {edge.label for edge in diagram.edges} == {
        "adviseert",
        "geeft onderzoeksopdrachten aan",
        "leidt professionals op voor",
    }
    assert "In het midden staat Spil" in diagram.description
    again = build_diagram("d", "Titel", organisations, relations_for(organisations))
    assert [(n.x, n.y) for n in again.nodes] == [(n.x, n.y) for n in diagram.nodes]


def test_a_line_between_two_ring_nodes_bends_around_the_middle(site_tree):
    """A relation between the organisations above and below the centre would run straight
    through the centre box and read as two relations of the centre: it is drawn as a curve
    whose label sits beside the box."""
    hub = OrganisationFactory(name="Spil", kind="agency")
    ministry = OrganisationFactory(name="Ministerie", kind="ministry")
    desk = OrganisationFactory(name="Balie", kind="public_service")
    service = OrganisationFactory(name="Loket", kind="public_service")
    institute = OrganisationFactory(name="Instituut", kind="research")
    for other in (ministry, desk, service, institute):
        OrganisationRelationFactory(organisation=hub, target=other, kind="advises")
    # Top to bottom: the ring is policy (top), practice (right, then bottom), research (left).
    OrganisationRelationFactory(organisation=ministry, target=service, kind="funds")
    organisations = list(Organisation.objects.all())
    diagram = build_diagram("d", "Titel", organisations, relations_for(organisations))
    nodes = {node.organisation.name: node for node in diagram.nodes}
    assert nodes["Ministerie"].x == nodes["Loket"].x == CENTRE_X
    crossing = next(edge for edge in diagram.edges if edge.source.organisation == ministry)
    assert " Q" in crossing.path and crossing.cx != CENTRE_X
    assert abs(crossing.label_x - CENTRE_X) > BOX_WIDTH / 2
    straight = next(edge for edge in diagram.edges if edge.target.organisation == desk)
    assert straight.control == ((straight.x1 + straight.x2) / 2, (straight.y1 + straight.y2) / 2)


def test_large_sets_are_capped(site_tree):
    """At most MAX_NODES organisations are drawn; the rest are named in the list."""
    hub = OrganisationFactory(name="Hub")
    for i in range(MAX_NODES + 5):
        OrganisationRelationFactory(
            organisation=OrganisationFactory(name=f"Lid {i:02d}"), target=hub, kind="member_of"
        )
    organisations = list(Organisation.objects.all())
    diagram = build_diagram("d", "Titel", organisations, relations_for(organisations))
    assert len(diagram.nodes) == MAX_NODES
    assert len(diagram.left_out) == 6


def test_country_page_shows_the_diagram_and_a_list(client, linking_pin):
    """The profile has an accessible SVG diagram with a title, description and a list of the
    same relations; numbers are written with a dot whatever the language."""
    make_country("IE", title="Ierland")
    html = client.get("/landen/ie/").content.decode()
    svg = re.search(r'<svg viewBox="0 0 \d+ \d+" role="img".*?</svg>', html, re.S).group(0)
    assert 'aria-labelledby="diagram-organisaties-titel"' in svg
    assert "<desc" in svg and ">adviseert</text>" in svg
    assert not re.search(r'="\d+,\d+"', svg)
    assert "Spil</a> \N{EN DASH} adviseert \N{EN DASH} <a" in html


def test_model_page_shows_a_diagram_per_example(client, linking_pin):
    """An example without linked organisations takes those of its country."""
    model = make_model("linking-pin", title="Spilorganisatie")
    country = make_country("IE", title="Ierland", infrastructure_model=model)
    make_example(model, title="Ierland als spil", country=country)
    html = client.get("/kennisinfrastructuur/linking-pin/").content.decode()
    assert "Organisaties en relaties in het voorbeeld: Ierland als spil" in html
    assert 'role="img"' in html and "In het midden staat Spil" in html
