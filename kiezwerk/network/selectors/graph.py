"""The network graph page: who is tied to whom in a district, measured and laid out with networkx.

The organisation network folds each contact person into the organisation they work at (a person
without an organisation of the district stands for themselves). Two of its nodes are tied when a
current relationship joins them or their people. Its articulation points are the single points of
failure: without one of them, parts of the network are no longer connected. The drawing shows this
network, or on demand the people too, laid out by a force-directed layout (`spring_layout`, fixed
seed) scaled to a drawing whose size grows with the number of nodes.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from ..models import Relationship
from .directory import contact_list_for_district, organisation_list_for_district

# The layout's random start: a fixed seed draws the same data the same way every time.
SEED = 7
# The drawing in SVG units (pixels at natural size): room per node, the smallest and the largest width,
# the margin inside each part's box.
ROOM = 110
MIN_WIDTH, MAX_WIDTH = 320, 900
# Wider than this, a phone shows the drawing at its natural size and scrolls it sideways.
WIDE = 340
MARGIN = 24
# How far node positions move towards even spacing along each axis (0: as laid out, 1: evenly spaced).
EVEN = 0.5
# Labels: font size, an average glyph's width (estimated, for placing them), longest text.
FONT = 12
GLYPH = 0.55 * FONT
LABEL_CHARS, SHORT_LABEL_CHARS = 26, 14


def graph_of(nodes, edges):
    """An undirected graph of `nodes` and the ties between two different nodes (loops and repeats dropped)."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    return graph


@dataclass
class GraphNode:
    key: str  # "o12" or "c5"
    obj: object
    is_organisation: bool
    people: int = 0  # how many people work here (organisations)
    degree: int = 0
    centrality: float = 0.0
    is_cut: bool = False
    # A single point of failure: the organisations (and people without one) only reached through it.
    cut_off: tuple = ()
    neighbours: list = field(default_factory=list)
    # The drawing: centre, size (half the side of a square, the radius of a circle), label.
    x: float = 0.0
    y: float = 0.0
    r: float = 6.0
    label: str = ""
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "middle"

    @property
    def name(self):
        return self.obj.name

    # An organisation's square.
    @property
    def left(self):
        return round(self.x - self.r, 1)

    @property
    def top(self):
        return round(self.y - self.r, 1)

    @property
    def side(self):
        return round(2 * self.r, 1)


def network_graph(*, district, people=False, focus=None, today=None):
    """The district's network now: the organisation network (or, with `people`, everybody), measured and drawn.

    `focus` (an organisation serving the district) narrows the drawing to it and its direct ties.
    Single points of failure are always those of the whole organisation network. Three queries.
    """
    today = today or timezone.localdate()
    organisations = list(organisation_list_for_district(district=district))
    contacts = list(contact_list_for_district(district=district, today=today))
    nodes = {f"o{o.pk}": GraphNode(key=f"o{o.pk}", obj=o, is_organisation=True) for o in organisations}
    house = {}  # a person's node in the organisation network
    for contact in contacts:
        key = f"c{contact.pk}"
        nodes[key] = GraphNode(key=key, obj=contact, is_organisation=False)
        house[key] = f"o{contact.organisation_id}" if f"o{contact.organisation_id}" in nodes else key
        if house[key] != key:
            nodes[house[key]].people += 1
    ties = _current_ties(nodes, today)

    folded = nx.Graph()
    folded.add_nodes_from(sorted({key for key in nodes if key[0] == "o"} | set(house.values()), key=_order))
    weights = Counter(tuple(sorted((house.get(a, a), house.get(b, b)))) for a, b in ties)
    folded.add_weighted_edges_from((a, b, count) for (a, b), count in weights.items() if a != b)
    for key in nx.articulation_points(folded):
        nodes[key].is_cut = True
        nodes[key].cut_off = tuple(sorted((nodes[k] for k in _cut_off(folded, key)), key=_by_name))

    if people:
        graph = nx.Graph()
        graph.add_nodes_from(sorted(nodes, key=_order))
        graph.add_edges_from((key, home) for key, home in house.items() if key != home)
        graph.add_edges_from(ties)
    else:
        graph = folded
    # networkx gives a lone node 1; it is connected with nobody.
    centrality = nx.degree_centrality(graph) if len(graph) > 1 else dict.fromkeys(graph, 0.0)
    for key in graph:
        node = nodes[key]
        node.degree = graph.degree(key)
        node.centrality = centrality[key]
        node.neighbours = sorted((nodes[k] for k in graph[key]), key=_by_name)

    focus_node = nodes.get(f"o{focus.pk}") if focus else None
    if focus_node:
        near = {focus_node.key, *folded[focus_node.key]}
        shown = [key for key in graph if house.get(key, key) in near]
        drawn = graph.subgraph(shown)
    else:
        shown = list(graph)
        drawn = graph.subgraph([key for key in graph if graph.degree(key)])
    width, height = _layout(drawn, nodes, people=people)
    _labels([nodes[key] for key in drawn], width, height, first=focus_node)

    ranked = sorted((nodes[key] for key in shown), key=lambda n: (-n.degree, _by_name(n)))
    cut_points = sorted((n for n in nodes.values() if n.is_cut), key=lambda n: (-len(n.cut_off), _by_name(n)))
    return {
        "nodes": ranked,
        "drawn": sorted((nodes[key] for key in drawn), key=lambda n: (n.is_organisation, n is focus_node)),
        # (one end, the other, how many ties it stands for, whether it is "works at")
        "edges": [
            (nodes[a], nodes[b], data.get("weight", 1), house.get(a) == b or house.get(b) == a)
            for a, b, data in sorted(drawn.edges(data=True))
        ],
        "cut_points": cut_points,
        "isolated": [] if focus_node else [n for n in ranked if n.degree == 0],
        "focus": focus_node,
        "unlabelled": sum(1 for key in drawn if not nodes[key].label),
        "people": people,
        "people_count": len(contacts),
        "width": width,
        "height": height,
        "wide": width > WIDE,
    }


def _order(key):
    return (key[0] != "o", int(key[1:]))


def _by_name(node):
    return (node.name.casefold(), node.key)


def _current_ties(nodes, today):
    """(a, b) keys of the current relationships between two different nodes, each pair once."""
    org_ids = [int(key[1:]) for key in nodes if key[0] == "o"]
    contact_ids = [int(key[1:]) for key in nodes if key[0] == "c"]
    rows = (
        Relationship.objects.filter(
            (Q(from_organisation__in=org_ids) | Q(from_contact__in=contact_ids))
            & (Q(to_organisation__in=org_ids) | Q(to_contact__in=contact_ids))
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today), Q(started_on__isnull=True) | Q(started_on__lte=today))
        .values_list("from_organisation_id", "from_contact_id", "to_organisation_id", "to_contact_id")
    )
    ties = set()
    for from_org, from_contact, to_org, to_contact in rows:
        a = f"o{from_org}" if from_org else f"c{from_contact}"
        b = f"o{to_org}" if to_org else f"c{to_contact}"
        if a != b and a in nodes and b in nodes:
            ties.add(tuple(sorted((a, b), key=_order)))
    return sorted(ties)


def _cut_off(graph, removed):
    """The nodes separated from the largest remaining part of the component when `removed` goes."""
    rest = nx.restricted_view(graph, [removed], [])
    parts = [part for part in nx.connected_components(rest) if not part.isdisjoint(graph[removed])]
    parts.sort(key=lambda part: (-len(part), min(part, key=_order)))
    return [node for part in parts[1:] for node in part]


def _layout(graph, nodes, *, people):
    """Place the nodes of `graph` inside a drawing by a force-directed layout; returns its width and height.

    Each connected part is laid out on its own (`spring_layout`) in a box of about `ROOM`² units per
    node, so small parts do not drift to the edges; the boxes are set in rows, the largest part first.
    More nodes make a larger drawing with the same font, `MIN_WIDTH` to `MAX_WIDTH` wide.
    """
    for key in graph:
        node = nodes[key]
        if not node.is_organisation:
            node.r = 4.5
        else:
            node.r = 6.0 if people else round(5.0 + 1.5 * math.sqrt(min(node.people, 16)), 1)
    # A person needs less room than an organisation: fewer ties, a shorter name.
    area = {key: ROOM * ROOM * (1 if nodes[key].is_organisation else 0.36) for key in graph}
    width = max(MIN_WIDTH, min(MAX_WIDTH, round(math.sqrt(sum(area.values()) * 4 / 3))))
    parts = sorted(
        (sorted(part, key=_order) for part in nx.connected_components(graph)), key=lambda p: (-len(p), _order(p[0]))
    )
    rows, row, row_width = [], [], 0  # each row: [(part, box width, box height)]
    for part in parts:
        part_area = sum(area[key] for key in part)
        box_width = min(width, max(ROOM, round(math.sqrt(part_area * 4 / 3))))
        box_height = max(ROOM * 0.75, part_area / box_width)
        if row and row_width + box_width > width:
            rows.append(row)
            row, row_width = [], 0
        row.append((part, box_width, box_height))
        row_width += box_width
    if row:
        rows.append(row)
    total = sum(max(box_height for _, _, box_height in row) for row in rows)
    height = max(round(total), MIN_WIDTH * 3 // 4)
    top = (height - total) / 2
    for row in rows:
        left = (width - sum(box_width for _, box_width, _ in row)) / 2
        for part, box_width, box_height in row:
            _spring(graph.subgraph(part), nodes, left, top, box_width, box_height)
            left += box_width
        top += max(box_height for _, _, box_height in row)
    return width, height


def _spring(part, nodes, left, top, width, height):
    """Lay out one connected part by `spring_layout` (fixed seed), stretched to fill its box; one node in its middle."""
    if len(part) == 1:
        (key,) = part
        nodes[key].x, nodes[key].y = round(left + width / 2, 1), round(top + height / 2, 1)
        return
    positions = nx.spring_layout(part, seed=SEED, weight=None)
    keys = list(positions)
    xs = _even_out([float(positions[key][0]) for key in keys])
    ys = _even_out([float(positions[key][1]) for key in keys])
    for key, x, y in zip(keys, xs, ys, strict=True):
        nodes[key].x = round(left + MARGIN + x * (width - 2 * MARGIN), 1)
        nodes[key].y = round(top + MARGIN + y * (height - 2 * MARGIN), 1)


def _even_out(values):
    """`values` scaled to 0..1 and moved halfway to even spacing in their order.

    A force-directed layout packs the well connected middle tightly and spreads the loose ends; this
    gives the middle room for its names and keeps who is left of (or above) whom.
    """
    low, span = min(values), (max(values) - min(values)) or 1.0
    rank = {index: place for place, index in enumerate(sorted(range(len(values)), key=values.__getitem__))}
    return [EVEN * rank[i] / (len(values) - 1) + (1 - EVEN) * (value - low) / span for i, value in enumerate(values)]


def _labels(drawn, width, height, *, first=None):
    """Give each drawn node a label beside it where one fits without covering another node or label.

    The focus, single points of failure and the best connected come first; a name that finds no free
    place is shortened, and left out if that does not fit either (the node's title and the table below
    name it).
    """
    boxes = [_box(n) for n in drawn]
    order = sorted(drawn, key=lambda n: (n is not first, not n.is_cut, not n.is_organisation, -n.degree, _by_name(n)))
    for node in order:
        node.label = ""
    for chars in (LABEL_CHARS, SHORT_LABEL_CHARS):
        for node in order:
            if node.label:
                continue
            text = Truncator(node.name).chars(chars)
            for anchor, x, y, box in _label_places(node, len(text) * GLYPH, outward=node.x >= width / 2):
                inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
                if inside and not any(_overlap(box, other) for other in boxes if other != _box(node)):
                    node.label, node.anchor, node.label_x, node.label_y = text, anchor, round(x, 1), round(y, 1)
                    boxes.append(box)
                    break


def _label_places(node, w, *, outward):
    """(anchor, x, y, box) of the places for a label `w` wide: beside the node (outward first), below,
    above, then beside a little higher or lower."""
    h = FONT
    sides = ("start", "end") if outward else ("end", "start")

    def beside(anchor, dy):
        y = node.y + dy
        if anchor == "start":
            x = node.x + node.r + 3
            return anchor, x, y + 0.35 * h, (x, y - h / 2, x + w, y + h / 2)
        x = node.x - node.r - 3
        return anchor, x, y + 0.35 * h, (x - w, y - h / 2, x, y + h / 2)

    below, above = node.y + node.r + 1, node.y - node.r - 1
    yield from (beside(anchor, 0) for anchor in sides)
    yield "middle", node.x, below + 0.85 * h, (node.x - w / 2, below, node.x + w / 2, below + h)
    yield "middle", node.x, above - 0.15 * h, (node.x - w / 2, above - h, node.x + w / 2, above)
    yield from (beside(anchor, dy) for dy in (-0.9 * h, 0.9 * h) for anchor in sides)


def _box(node):
    return (node.x - node.r - 1, node.y - node.r - 1, node.x + node.r + 1, node.y + node.r + 1)


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
