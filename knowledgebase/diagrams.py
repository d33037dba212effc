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

WIDTH, HEIGHT = 900, 600
CENTRE_X, CENTRE_Y = WIDTH / 2, 300
RADIUS_X, RADIUS_Y = 362, 240
BOX_WIDTH = 150
LINE_HEIGHT = 16
# Characters per line of a name, for the widest common sans-serif (DejaVu Sans, about 0.62 em
# a character at 13 px, 0.7 em in bold): a name stays inside its 150-unit box.
LINE_CHARS = 16
CENTRAL_LINE_CHARS = 14
MAX_LINES = 4
MAX_NODES = 12
# Relation labels: 12 px text, estimated generously so that placed labels never touch.
LABEL_CHAR_WIDTH = 12 * 0.64
LABEL_LINE_HEIGHT = 14
LABEL_LINE_CHARS = 24
LABEL_MARGIN = 4
# Relations that hold both ways are drawn as one line with an arrowhead at each end.
TWO_WAY_KINDS = {"partners_with"}

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
    point on the straight line's midpoint (the default) the curve is a straight line. A
    ``both_ways`` edge has an arrowhead at each end. ``place_labels`` sets the label's centre
    (``label_x``, ``label_y``) where it touches no box and no other label."""

    source: Node
    target: Node
    labels: list
    both_ways: bool = False
    x1: float = 0.0
    y1: float = 0.0
    x2: float = 0.0
    y2: float = 0.0
    cx: float | None = None
    cy: float | None = None
    label_x: float | None = None
    label_y: float | None = None

    @property
    def label(self):
        return "; ".join(self.labels)

    @property
    def label_lines(self):
        return textwrap.wrap(self.label, LABEL_LINE_CHARS) or [self.label]

    @property
    def label_size(self):
        """(width, height) of the label's box, with its white halo."""
        width = max(len(line) for line in self.label_lines) * LABEL_CHAR_WIDTH + 6
        return width, len(self.label_lines) * LABEL_LINE_HEIGHT + 4

    @property
    def label_baseline(self):
        """The y of the first line's baseline, for the label centred on ``label_y``."""
        return self.label_y - (len(self.label_lines) - 1) * LABEL_LINE_HEIGHT / 2 + 4

    @property
    def control(self):
        if self.cx is None:
            return (self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2
        return self.cx, self.cy

    @property
    def path(self):
        cx, cy = self.control
        return f"M{self.x1:.1f},{self.y1:.1f} Q{cx:.1f},{cy:.1f} {self.x2:.1f},{self.y2:.1f}"

    def point(self, t):
        """The point of the curve at ``t`` (0 at the start, 1 at the end)."""
        cx, cy = self.control
        u = 1 - t
        return (
            u * u * self.x1 + 2 * u * t * cx + t * t * self.x2,
            u * u * self.y1 + 2 * u * t * cy + t * t * self.y2,
        )


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
    edge.x1, edge.y1 = _clip(edge.source, edge.cx, edge.cy, margin=6 if edge.both_ways else 3)
    edge.x2, edge.y2 = _clip(edge.target, edge.cx, edge.cy, margin=6)


def _edge_specs(relations):
    """``(source pk, target pk, labels, both_ways)`` per line to draw. A relation of a
    two-way kind, or one recorded in both directions with the same kind, is one line with an
    arrowhead at each end; the other relations between a pair are one arrow per direction."""
    directed = {}
    for relation in relations:
        pair = (relation.organisation_id, relation.target_id)
        directed.setdefault(pair, []).append((relation.kind, relation.get_kind_display()))
    specs = {}
    for (source, target), kinds in directed.items():
        back = {kind for kind, _label in directed.get((target, source), [])}
        for kind, label in kinds:
            if kind in TWO_WAY_KINDS or kind in back:
                key = (min(source, target), max(source, target), True)
            else:
                key = (source, target, False)
            labels = specs.setdefault(key, [])
            if label not in labels:
                labels.append(label)
    return [(source, target, labels, both_ways) for (source, target, both_ways), labels in specs.items()]


def _spread_parallel(edges, gap=12):
    """Lines between the same two organisations side by side, ``gap`` apart, so none hides
    another."""
    pairs = {}
    for edge in edges:
        key = frozenset((edge.source.organisation.pk, edge.target.organisation.pk))
        pairs.setdefault(key, []).append(edge)
    for group in pairs.values():
        if len(group) < 2:
            continue
        first = group[0]
        dx, dy = first.x2 - first.x1, first.y2 - first.y1
        length = math.hypot(dx, dy) or 1
        normal_x, normal_y = -dy / length, dx / length
        for index, edge in enumerate(group):
            shift = (index - (len(group) - 1) / 2) * gap
            edge.x1, edge.y1 = edge.x1 + normal_x * shift, edge.y1 + normal_y * shift
            edge.x2, edge.y2 = edge.x2 + normal_x * shift, edge.y2 + normal_y * shift
            if edge.cx is not None:
                edge.cx, edge.cy = edge.cx + normal_x * shift, edge.cy + normal_y * shift


def _box(x, y, width, height, margin=0):
    return (x - width / 2 - margin, y - height / 2 - margin, x + width / 2 + margin, y + height / 2 + margin)


def _overlap(a, b):
    """The area two boxes (left, top, right, bottom) share."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0


LABEL_POSITIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85)
LABEL_OFFSETS = (0, 14, -14, 28, -28, 42, -42)


def place_labels(edges, nodes, width=WIDTH, height=HEIGHT):
    """Give each edge's label a centre on or beside its line where the label's box touches no
    organisation's box, no label placed before it and no edge of the picture; failing that,
    the place where it overlaps least. Long lines get their labels first, as they have the
    most room."""
    taken = [_box(node.x, node.y, BOX_WIDTH, node.height, LABEL_MARGIN) for node in nodes]
    ordered = sorted(edges, key=lambda e: -math.hypot(e.x2 - e.x1, e.y2 - e.y1))
    for edge in ordered:
        label_w, label_h = edge.label_size
        dx, dy = edge.x2 - edge.x1, edge.y2 - edge.y1
        length = math.hypot(dx, dy) or 1
        normal_x, normal_y = -dy / length, dx / length
        best, best_cost = None, math.inf
        for offset in LABEL_OFFSETS:
            for t in LABEL_POSITIONS:
                x, y = edge.point(t)
                x, y = x + normal_x * offset, y + normal_y * offset
                box = _box(x, y, label_w, label_h)
                outside = max(0, -box[0]) + max(0, box[2] - width) + max(0, -box[1]) + max(0, box[3] - height)
                cost = sum(_overlap(box, other) for other in taken) + outside * 1000
                if cost < best_cost:
                    best, best_cost = (x, y, box), cost
                if cost == 0:
                    break
            if best_cost == 0:
                break
        edge.label_x, edge.label_y = best[0], best[1]
        taken.append(best[2])


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
    sectors: list  # [(key, heading)] of the sectors drawn, for the legend
    description: str
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def has_one_way(self):
        return any(not edge.both_ways for edge in self.edges)

    @property
    def has_two_way(self):
        return any(edge.both_ways for edge in self.edges)

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
    used_sectors = [(key, heading) for key, heading in SECTORS if key in used]

    edges = []
    for source_pk, target_pk, labels, both_ways in _edge_specs(relations):
        edge = Edge(nodes[source_pk], nodes[target_pk], labels, both_ways=both_ways)
        margin = 6 if both_ways else 3
        edge.x1, edge.y1 = _clip(edge.source, edge.target.x, edge.target.y, margin=margin)
        edge.x2, edge.y2 = _clip(edge.target, edge.source.x, edge.source.y, margin=6)
        edges.append(edge)
    if centre is not None:
        for edge in edges:
            if centre.pk not in (edge.source.organisation.pk, edge.target.organisation.pk):
                _bend_around(edge, nodes[centre.pk])
    _spread_parallel(edges)
    place_labels(edges, list(nodes.values()))

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
