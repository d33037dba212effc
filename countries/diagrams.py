"""Diagrams of organisations and their typed relations, laid out in Python and drawn as SVG by
the server.

The layout is deterministic: the organisation with the most relations (if it has at least
two) sits in the middle, the others on a ring divided into three sectors, policy at the top,
practice down the right and research up the left, sorted by name within a sector; the
sector shows as the colour of the box, with a legend. A linking-pin
organisation therefore shows up visibly in the middle of research, practice and policy.
"""

import math
import textwrap
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowledgebase.models import OrganisationRelation

WIDTH, HEIGHT = 900, 640
CENTRE_X, CENTRE_Y = WIDTH / 2, 300
RADIUS_X, RADIUS_Y = 362, 240
BOX_WIDTH = 150
LINE_HEIGHT = 16
LINE_CHARS = 19
CENTRAL_LINE_CHARS = 16
MAX_LINES = 3
MAX_NODES = 12

POLICY, RESEARCH, PRACTICE = "policy", "research", "practice"
SECTORS = [
    (POLICY, gettext_lazy("Beleid")),
    (RESEARCH, gettext_lazy("Onderzoek en opleiding")),
    (PRACTICE, gettext_lazy("Praktijk en uitvoering")),
]
RING_ORDER = [POLICY, PRACTICE, RESEARCH]
SECTOR_FILLS = {POLICY: "#e6eef4", RESEARCH: "#fbf0dc", PRACTICE: "#dcefe3"}
CENTRAL_FILL = "#1d4f6e"
SECTOR_OF_KIND = {
    "ministry": POLICY,
    "international": POLICY,
    "research": RESEARCH,
    "education": RESEARCH,
}


@dataclass
class Node:
    organisation: object
    sector: str
    x: float = 0.0
    y: float = 0.0
    lines: list = field(default_factory=list)
    central: bool = False

    @property
    def fill(self):
        return CENTRAL_FILL if self.central else SECTOR_FILLS[self.sector]

    @property
    def height(self):
        return len(self.lines) * LINE_HEIGHT + 12

    @property
    def left(self):
        return self.x - BOX_WIDTH / 2

    @property
    def top(self):
        return self.y - self.height / 2

    @property
    def text_top(self):
        return self.top + 6 + LINE_HEIGHT * 0.8


@dataclass
class Edge:
    """A relation drawn as a quadratic curve from ``(x1, y1)`` to ``(x2, y2)``; with the control
    point on the straight line's midpoint (the default) the curve is a straight line."""

    source: Node
    target: Node
    labels: list
    x1: float = 0.0
    y1: float = 0.0
    x2: float = 0.0
    y2: float = 0.0
    cx: float | None = None
    cy: float | None = None

    @property
    def label(self):
        return "; ".join(self.labels)

    @property
    def control(self):
        if self.cx is None:
            return (self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2
        return self.cx, self.cy

    @property
    def path(self):
        cx, cy = self.control
        return f"M{self.x1:.1f},{self.y1:.1f} Q{cx:.1f},{cy:.1f} {self.x2:.1f},{self.y2:.1f}"

    @property
    def label_x(self):
        # The curve's midpoint: a quarter of each end and half of the control point.
        return (self.x1 + self.x2) / 4 + self.control[0] / 2

    @property
    def label_y(self):
        return (self.y1 + self.y2) / 4 + self.control[1] / 2 + 4


def _wrap(name, width=LINE_CHARS):
    lines = textwrap.wrap(name, width, break_long_words=True) or [name]
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], lines[MAX_LINES - 1][: width - 1] + "…"]
    return lines


def _clip(node, towards_x, towards_y, margin=3):
    """The point where the line from the node's centre towards (x, y) leaves its box."""
    dx, dy = towards_x - node.x, towards_y - node.y
    if dx == 0 and dy == 0:
        return node.x, node.y
    half_w, half_h = BOX_WIDTH / 2 + margin, node.height / 2 + margin
    scale = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return node.x + dx * scale, node.y + dy * scale


CLEARANCE = 30  # space kept between a bent line's midpoint and the centre box


def _bend_around(edge, middle):
    """Bend a line between two ring nodes that would cross the centre box, so it does not
    look like two relations of the organisation in the middle."""
    dx, dy = edge.x2 - edge.x1, edge.y2 - edge.y1
    length = math.hypot(dx, dy) or 1
    normal_x, normal_y = -dy / length, dx / length
    mid_x, mid_y = (edge.x1 + edge.x2) / 2, (edge.y1 + edge.y2) / 2
    offset = (mid_x - middle.x) * normal_x + (mid_y - middle.y) * normal_y
    # How far the box reaches along the normal, from its centre.
    reach = abs(normal_x) * BOX_WIDTH / 2 + abs(normal_y) * middle.height / 2 + CLEARANCE
    if abs(offset) >= reach:
        return
    side = 1 if offset >= 0 else -1
    # The curve's midpoint lies halfway between the line's midpoint and the control point.
    shift = 2 * (side * reach - offset)
    edge.cx, edge.cy = mid_x + normal_x * shift, mid_y + normal_y * shift
    edge.x1, edge.y1 = _clip(edge.source, edge.cx, edge.cy)
    edge.x2, edge.y2 = _clip(edge.target, edge.cx, edge.cy, margin=6)


def relations_for(organisations):
    """The relations between public organisations with at least one end among
    ``organisations``, with both ends loaded."""
    ids = [organisation.pk for organisation in organisations if organisation.pk]
    if not ids:
        return []
    return list(
        OrganisationRelation.objects.filter(Q(organisation_id__in=ids) | Q(target_id__in=ids))
        .filter(organisation__live=True, target__live=True)
        .select_related("organisation", "target", "source_study")
        .order_by("organisation__name", "kind", "target__name", "pk")
    )


@dataclass
class Diagram:
    ident: str
    title: str
    nodes: list
    edges: list
    relations: list
    left_out: list
    sectors: list
    description: str
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def legend_y(self):
        return self.height - 10

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"


def build_diagram(ident, title, organisations, relations):
    """Lay out ``organisations`` and the ``relations`` between them (a relation whose other
    end is not among them brings that organisation in). At most MAX_NODES are drawn, the most
    connected first; the rest are named in ``left_out``."""
    by_pk = {organisation.pk: organisation for organisation in organisations}
    for relation in relations:
        if relation.organisation_id in by_pk or relation.target_id in by_pk:
            by_pk.setdefault(relation.organisation_id, relation.organisation)
            by_pk.setdefault(relation.target_id, relation.target)
    relations = [r for r in relations if r.organisation_id in by_pk and r.target_id in by_pk]
    degree = dict.fromkeys(by_pk, 0)
    for relation in relations:
        degree[relation.organisation_id] += 1
        degree[relation.target_id] += 1

    ranked = sorted(by_pk.values(), key=lambda o: (-degree[o.pk], o.name.casefold(), o.pk))
    shown, left_out = ranked[:MAX_NODES], ranked[MAX_NODES:]
    nodes = {
        o.pk: Node(o, SECTOR_OF_KIND.get(o.kind, PRACTICE), lines=_wrap(o.name))
        for o in sorted(shown, key=lambda o: (o.name.casefold(), o.pk))
    }
    relations = [r for r in relations if r.organisation_id in nodes and r.target_id in nodes]

    centre = ranked[0] if ranked and degree[ranked[0].pk] >= 2 and len(nodes) > 2 else None
    if centre is not None:
        node = nodes[centre.pk]
        node.central, node.x, node.y = True, CENTRE_X, CENTRE_Y
        # Bold text is wider: the centre box takes fewer characters per line.
        node.lines = _wrap(centre.name, CENTRAL_LINE_CHARS)
    # One ring, evenly spaced: the policy arc centred at the top, then practice clockwise
    # down the right, then research up the left.
    ring = [node for key in RING_ORDER for node in nodes.values() if node.sector == key and not node.central]
    step = 360 / len(ring) if ring else 0
    policy_count = sum(1 for node in ring if node.sector == POLICY)
    start = -90 - (policy_count - 1) * step / 2 if policy_count else -90 + step / 2
    for index, node in enumerate(ring):
        radians = math.radians(start + index * step)
        # Alternate between an outer and an inner ring when the ring is crowded.
        factor = 0.8 if len(ring) > 14 and index % 2 else 1.0
        node.x = CENTRE_X + RADIUS_X * factor * math.cos(radians)
        node.y = CENTRE_Y + RADIUS_Y * factor * math.sin(radians)
    used = {node.sector for node in nodes.values()}
    used_sectors = [
        (SECTOR_FILLS[key], heading, 12 + index * 230)
        for index, (key, heading) in enumerate((k, h) for k, h in SECTORS if k in used)
    ]

    grouped = {}
    for relation in relations:
        key = (relation.organisation_id, relation.target_id)
        grouped.setdefault(key, []).append(relation.get_kind_display())
    edges = []
    for (source_pk, target_pk), labels in grouped.items():
        edge = Edge(nodes[source_pk], nodes[target_pk], labels)
        edge.x1, edge.y1 = _clip(edge.source, edge.target.x, edge.target.y)
        edge.x2, edge.y2 = _clip(edge.target, edge.source.x, edge.source.y, margin=6)
        if (target_pk, source_pk) in grouped:
            # Two directions between one pair: shift both apart so neither hides the other.
            dx, dy = edge.x2 - edge.x1, edge.y2 - edge.y1
            length = math.hypot(dx, dy) or 1
            edge.x1, edge.x2 = edge.x1 - dy / length * 7, edge.x2 - dy / length * 7
            edge.y1, edge.y2 = edge.y1 + dx / length * 7, edge.y2 + dx / length * 7
        if centre is not None and centre.pk not in (source_pk, target_pk):
            _bend_around(edge, nodes[centre.pk])
        edges.append(edge)

    return Diagram(
        ident=ident,
        title=title,
        nodes=list(nodes.values()),
        edges=edges,
        relations=relations,
        left_out=left_out,
        sectors=used_sectors,
        description=describe(nodes.values(), relations, centre, left_out),
    )


def describe(nodes, relations, centre, left_out):
    """The same information as the picture, in sentences."""
    sentences = [
        _("Diagram van %(nodes)s organisaties en %(relations)s relaties.")
        % {"nodes": len(nodes), "relations": len(relations)}
    ]
    if centre is not None:
        sectors = []
        for key, heading in SECTORS:
            names = [n.organisation.name for n in nodes if n.sector == key and not n.central]
            if names:
                sectors.append(f"{str(heading).lower()} ({', '.join(names)})")
        sentences.append(
            _("In het midden staat %(name)s, tussen %(sectors)s.")
            % {"name": centre.name, "sectors": "; ".join(sectors)}
        )
    for relation in relations:
        sentences.append(
            f"{relation.organisation.name} {relation.get_kind_display()} {relation.target.name}."
        )
    if left_out:
        sentences.append(_("Niet getekend: %(names)s.") % {"names": ", ".join(o.name for o in left_out)})
    return " ".join(sentences)
