"""Diagrams of organisations and their relations on country and model pages."""

import re

import pytest

from knowledgebase.diagrams import BOX_WIDTH, CENTRE_X, CENTRE_Y, MAX_NODES, build_diagram, relations_for
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
    assert "<desc" in svg and ">adviseert</tspan>" in svg
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


def test_two_way_relations_are_one_line_with_two_arrowheads(client, site_tree):
    """ "Werkt samen met", and a relation recorded in both directions with the same kind, are
    drawn as one line with an arrowhead at each end; a one-way relation keeps one arrowhead;
    the legend explains both."""
    a = OrganisationFactory(name="Agentschap", kind="agency", country_code="IE")
    b = OrganisationFactory(name="Bureau", kind="agency", country_code="IE")
    c = OrganisationFactory(name="Centrum", kind="agency", country_code="IE")
    OrganisationRelationFactory(organisation=a, target=b, kind="partners_with")
    OrganisationRelationFactory(organisation=b, target=a, kind="partners_with")
    OrganisationRelationFactory(organisation=b, target=c, kind="advises")
    OrganisationRelationFactory(organisation=c, target=b, kind="advises")
    OrganisationRelationFactory(organisation=a, target=c, kind="funds")
    organisations = list(Organisation.objects.all())
    diagram = build_diagram("d", "Titel", organisations, relations_for(organisations))
    lines = {(edge.source.organisation.name, edge.target.organisation.name): edge for edge in diagram.edges}
    assert len(diagram.edges) == 3
    assert (
        lines["Agentschap", "Bureau"].both_ways and lines["Agentschap", "Bureau"].label == "werkt samen met"
    )
    assert lines["Bureau", "Centrum"].both_ways and lines["Bureau", "Centrum"].label == "adviseert"
    assert not lines["Agentschap", "Centrum"].both_ways
    make_country("IE", title="Ierland")
    html = client.get("/landen/ie/").content.decode()
    assert html.count("marker-start=") == 2
    assert "wederzijdse relatie" in html and "relatie in één richting" in html


def test_labels_are_placed_clear_of_boxes_and_each_other(site_tree):
    """With a crowded ring, no relation label's box touches an organisation's box or another
    label, and every name fits its box."""
    hub = OrganisationFactory(name="Nationaal Centrum voor Loopbaanbegeleiding", kind="agency")
    others = [
        OrganisationFactory(name=f"Organisatie voor levenslang leren nummer {i}", kind=kind)
        for i, kind in enumerate(["ministry", "research", "education", "agency"] * 3)
    ][: MAX_NODES - 1]
    kinds = ["advises", "funds", "partners_with", "commissions_research_from", "steers"]
    for i, other in enumerate(others):
        OrganisationRelationFactory(organisation=hub, target=other, kind=kinds[i % len(kinds)])
        if i % 3 == 0:
            OrganisationRelationFactory(organisation=other, target=hub, kind="member_of")
        if i:
            OrganisationRelationFactory(organisation=others[i - 1], target=other, kind="coordinates")
    organisations = list(Organisation.objects.all())
    diagram = build_diagram("d", "Titel", organisations, relations_for(organisations))
    boxes = [(n.left, n.top, n.left + BOX_WIDTH, n.top + n.height) for n in diagram.nodes]
    labels = []
    for edge in diagram.edges:
        width, height = edge.label_size
        labels.append(
            (
                edge.label_x - width / 2,
                edge.label_y - height / 2,
                edge.label_x + width / 2,
                edge.label_y + height / 2,
            )
        )

    def overlap(a, b):
        return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])

    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]
    assert not [(a, b) for a in labels for b in boxes if overlap(a, b)]
    assert not [(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlap(a, b)]
    assert all(len(line) <= 16 for node in diagram.nodes for line in node.lines)
