"""The network graph page: the organisation network, people on demand, one organisation's surroundings,
single points of failure (articulation points), the force-directed drawing and its bounds.

networkx computes the measures and the layout; the hand-made graphs at the end check that the graph it
is given (`graph_of`) counts loops and repeated ties the way the page means them.
"""

import html
import math
import re
from datetime import date

import networkx as nx
import pytest
from django.urls import reverse

from kiezwerk.network.models import Relationship
from kiezwerk.network.selectors.directory import months_before
from kiezwerk.network.selectors.graph import graph_of

from .test_directory import organisation, person

# A node of the drawing: its title (the name, maybe "· n contact persons") and its square or circle.
NODE = re.compile(
    r'<g class="network-graph__node[^"]*">\s*<title>([^<·]+?)\s*(?:·[^<]*)?</title>\s*'
    r'<(?:rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)"|circle cx="([-\d.]+)" cy="([-\d.]+)")'
)


@pytest.fixture
def desk(client, manager):
    client.force_login(manager)
    return client


def graph_page(client, district, **params):
    return client.get(reverse("network:graph", args=[district.slug]), params)


def drawing(response):
    """({name: (x, y) of the node's centre}, (left, top, width, height) of the viewBox) of the page's SVG."""
    svg = response.content.decode().split("<svg", 1)[1].split("</svg>")[0]
    box = tuple(float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    nodes = {}
    for name, x, y, side, cx, cy in NODE.findall(svg):
        centre = (float(x) + float(side) / 2, float(y) + float(side) / 2) if x else (float(cx), float(cy))
        nodes[html.unescape(name.strip())] = centre
    return nodes, box


def section(response, heading_id):
    """The text of the page's section under the heading `heading_id`, tags dropped, spaces joined."""
    part = response.content.decode().split(f'id="{heading_id}"')[1].split("</section>")[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", part)).split())


def tie(district, one, other, **kwargs):
    ends = {}
    for side, end in (("from", one), ("to", other)):
        ends[f"{side}_{'organisation' if end._meta.model_name == 'organisation' else 'contact'}"] = end
    return Relationship.objects.create(district=district, label="kennt", reverse_label="kennt", **ends, **kwargs)


# People folded into their organisation, shown on demand ---------------------------------------------


def test_people_are_folded_into_their_organisation_by_default(desk, district):
    kita, verein = organisation(district, "Kita Sonnenschein"), organisation(district, "Sportverein")
    erzieherin = person(district, "Frau Erzieherin", organisation=kita)
    person(district, "Herr Leiter", organisation=kita)
    trainer = person(district, "Herr Trainer", organisation=verein)
    tie(district, erzieherin, trainer)
    tie(district, kita, verein)  # a second tie between the same two organisations
    response = graph_page(desk, district)
    nodes, _ = drawing(response)
    assert set(nodes) == {"Kita Sonnenschein", "Sportverein"}
    body = response.content.decode()
    svg = body.split("<svg")[1].split("</svg>")[0]
    assert "<circle" not in svg and "Frau Erzieherin" not in svg
    assert "Kita Sonnenschein · 2 Ansprechpersonen" in svg  # the square's title says who is folded into it
    # The two ties are one line, drawn thicker.
    assert svg.count("<line") == 1 and "network-graph__tie--2" in svg
    table = section(response, "central-heading")
    assert "Kita Sonnenschein" in table and "Frau Erzieherin" not in table


def test_people_are_shown_on_demand(desk, district):
    kita, verein = organisation(district, "Kita Sonnenschein"), organisation(district, "Sportverein")
    erzieherin = person(district, "Frau Erzieherin", organisation=kita)
    person(district, "Herr Leiter", organisation=kita)
    tie(district, erzieherin, person(district, "Herr Trainer", organisation=verein))
    response = graph_page(desk, district, people="on")
    nodes, _ = drawing(response)
    assert set(nodes) == {"Kita Sonnenschein", "Sportverein", "Frau Erzieherin", "Herr Leiter", "Herr Trainer"}
    assert response.context["form"]["people"].value() is True
    assert re.search(r'<input type="checkbox" name="people"[^>]* checked', response.content.decode())
    assert "Herr Leiter" in section(response, "central-heading")


# One organisation's surroundings --------------------------------------------------------------------


def test_the_surroundings_of_an_organisation_are_it_and_its_direct_ties(desk, district):
    a, b, c, d = (organisation(district, name) for name in ("Amt A", "Büro B", "Café C", "Dienst D"))
    organisation(district, "Einzelgänger E")
    for one, other in ((a, b), (b, c), (c, d)):
        tie(district, one, other)
    person(district, "Frau von C", organisation=c)
    person(district, "Herr von D", organisation=d)
    response = graph_page(desk, district, organisation=b.pk)
    assert response.status_code == 200
    assert set(drawing(response)[0]) == {"Amt A", "Büro B", "Café C"}
    body = response.content.decode()
    assert "Umfeld von Büro B" in body and "Ganzes Netzwerk zeigen" in body
    assert f'<option value="{b.pk}" selected>' in body
    # With people: those of the organisations shown, nobody of the others.
    with_people = graph_page(desk, district, organisation=b.pk, people="on")
    assert set(drawing(with_people)[0]) == {"Amt A", "Büro B", "Café C", "Frau von C"}
    # An organisation without ties is drawn alone.
    assert set(drawing(graph_page(desk, district, organisation=d.pk))[0]) == {"Café C", "Dienst D"}


@pytest.mark.parametrize("value", ["999999", "abc", "foreign"])
def test_an_organisation_outside_the_network_is_refused_and_the_whole_network_shown(
    desk, district, other_district, value
):
    a, b = organisation(district, "Amt A"), organisation(district, "Büro B")
    tie(district, a, b)
    foreign = organisation(other_district, "Verein drüben")
    tie(None, foreign, a)
    response = graph_page(desk, district, organisation=foreign.pk if value == "foreign" else value)
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()["organisation"]
    assert [error.code for error in errors] == ["invalid_choice"]
    body = response.content.decode()
    assert "Diese Organisation gehört nicht zum Netzwerk dieses Quartiers." in body
    assert "Verein drüben" not in body
    assert set(drawing(response)[0]) == {"Amt A", "Büro B"}


# Single points of failure ----------------------------------------------------------------------------


def test_single_points_of_failure_are_organisations_linking_parts_of_the_network(desk, district):
    """Amt - Büro - Café in a row: only the Büro links the other two. A person with one tie is no such point."""
    amt, buero, cafe = organisation(district, "Amt"), organisation(district, "Büro"), organisation(district, "Café")
    frau_a = person(district, "Frau A", organisation=amt)
    person(district, "Herr Einzeln", organisation=amt)  # works at the Amt, no other tie
    tie(district, frau_a, person(district, "Herr B", organisation=buero))
    tie(district, buero, cafe)
    response = graph_page(desk, district)
    assert [node.obj.name for node in response.context["cut_points"]] == ["Büro"]
    text = section(response, "spof-heading")
    assert "Diese Organisationen sind die einzige Verbindung zwischen Teilen Ihres Netzwerks." in text
    assert "Büro: ohne sie hängen diese nicht mehr mit dem Rest zusammen: Café." in text
    for name in ("Amt", "Frau A", "Herr B", "Herr Einzeln"):
        assert f"{name}:" not in text
    # The same with the people drawn: the points of failure stay those of the organisations.
    assert [node.obj.name for node in graph_page(desk, district, people="on").context["cut_points"]] == ["Büro"]


def test_a_person_without_an_organisation_can_be_the_only_link(desk, district):
    amt, buero = organisation(district, "Amt"), organisation(district, "Büro")
    lotse = person(district, "Frau Lotsin")  # works at no organisation: she stands for herself
    tie(district, lotse, amt)
    tie(district, lotse, person(district, "Herr B", organisation=buero))
    response = graph_page(desk, district)
    assert set(drawing(response)[0]) == {"Amt", "Büro", "Frau Lotsin"}
    assert "Frau Lotsin (Person ohne Organisation): ohne sie hängen" in section(response, "spof-heading")


def test_ended_and_future_relationships_do_not_count(desk, district):
    amt, buero, cafe = organisation(district, "Amt"), organisation(district, "Büro"), organisation(district, "Café")
    tie(district, amt, buero)
    tie(district, buero, cafe)
    tie(district, amt, cafe, started_on=date(2020, 1, 1), ended_on=date(2021, 1, 1))  # ended: Büro stays the link
    tie(district, amt, cafe, started_on=date(2099, 1, 1))  # not yet
    assert [node.obj.name for node in graph_page(desk, district).context["cut_points"]] == ["Büro"]
    tie(district, amt, cafe)
    response = graph_page(desk, district)
    assert response.context["cut_points"] == []
    assert "Keine: Jede verbundene Organisation ist auf mehr als einem Weg erreichbar." in section(
        response, "spof-heading"
    )


# The drawing -------------------------------------------------------------------------------------------


def test_the_drawing_keeps_tied_organisations_together_the_same_every_time_inside_the_picture(desk, district):
    """Two groups of four, each tied among themselves, and one tie between them; their names alternate."""
    west = [organisation(district, f"{letter} West") for letter in "ACEG"]
    east = [organisation(district, f"{letter} Ost") for letter in "BDFH"]
    for group in (west, east):
        for i, one in enumerate(group):
            for other in group[i + 1 :]:
                tie(district, one, other)
    tie(district, west[0], east[0])
    organisation(district, "Ohne Beziehung")
    first = graph_page(desk, district)
    nodes, (left, top, width, height) = drawing(first)

    def mean_distance(pairs):
        return sum(math.dist(nodes[a.name], nodes[b.name]) for a, b in pairs) / len(pairs)

    within = [(a, b) for group in (west, east) for a in group for b in group if a.pk < b.pk]
    between = [(a, b) for a in west for b in east]
    assert mean_distance(within) < 0.6 * mean_distance(between)
    assert drawing(graph_page(desk, district))[0] == nodes  # a fixed seed: the same drawing
    for x, y in nodes.values():
        assert left + 5 <= x <= left + width - 5 and top + 5 <= y <= top + height - 5
    assert min(math.dist(p, q) for p in nodes.values() for q in nodes.values() if p != q) > 20
    assert f'width="{width:g}" height="{height:g}"' in first.content.decode()  # drawn at natural size
    assert set(nodes) == {o.name for o in west + east}  # the organisation without ties is listed, not drawn
    assert "Ohne aktuelle Beziehung (nicht gezeichnet): Ohne Beziehung" in section(first, "drawing-heading")


def test_the_drawing_of_a_larger_network_stays_readable(desk, district):
    """Sixty organisations in a ring with chords: every node apart from the others, most of them named."""
    rows = [organisation(district, f"Organisation Nummer {i:02}") for i in range(60)]
    for i, row in enumerate(rows):
        tie(district, row, rows[(i + 1) % 60])
        if i % 6 == 0:
            tie(district, row, rows[(i + 17) % 60])
    response = graph_page(desk, district)
    nodes, (_, _, width, _) = drawing(response)
    points = list(nodes.values())
    assert len(points) == 60 and min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :]) > 12
    svg = response.content.decode().split("<svg")[1].split("</svg>")[0]
    assert svg.count("<text") >= 54  # at most one in ten without its name beside it
    assert width <= 900


def test_numbers_in_the_drawing_are_not_localised(desk, district):
    a, b = organisation(district, "Amt"), organisation(district, "Büro")
    tie(district, a, b)
    svg = graph_page(desk, district).content.decode().split("<svg")[1].split("</svg>")[0]
    assert re.findall(r'(?:x|y|x1|y1|cx|cy)="[^"]*,', svg) == []


def test_graph_table_shows_the_fifteen_most_central_and_folds_the_rest(desk, district):
    hub = organisation(district, "Quartiersbüro")
    for i in range(20):
        person(district, f"Person {i:02d}", organisation=hub)
    body = graph_page(desk, district, people="on").content.decode()
    shown, folded = body.split('id="central-heading"')[1].split('<details class="more">')
    folded = folded.split("</details>")[0]
    assert "Die übrigen 6 anzeigen" in folded

    def rows(part):  # the name heading each row of the table
        return [re.search(r">([^<]+)</a>", row).group(1) for row in part.split('<th scope="row">')[1:]]

    assert rows(shown)[0] == "Quartiersbüro" and len(rows(shown)) == 15
    assert len(rows(folded)) == 6 and set(rows(shown)[1:] + rows(folded)) == {f"Person {i:02d}" for i in range(20)}


def test_an_empty_network_and_a_lone_organisation(desk, district):
    response = graph_page(desk, district)
    assert response.status_code == 200 and "<svg" not in response.content.decode()
    alone = organisation(district, "Quartiersbüro")
    response = graph_page(desk, district)
    assert "<svg" not in response.content.decode()
    assert "Ohne aktuelle Beziehung (nicht gezeichnet): Quartiersbüro" in section(response, "drawing-heading")
    assert response.context["nodes"][0].centrality == 0.0 and response.context["cut_points"] == []
    nodes, (_, _, width, height) = drawing(graph_page(desk, district, organisation=alone.pk))
    assert nodes == {"Quartiersbüro": (width / 2, height / 2)}


def test_graph_page_is_bounded(desk, district, django_assert_max_num_queries):
    rows = [organisation(district, f"Verein {i:02}") for i in range(20)]
    for i, row in enumerate(rows):
        one = person(district, f"Person {i}a", organisation=row)
        person(district, f"Person {i}b", organisation=row)
        tie(district, one, rows[(i + 1) % 20])
        tie(district, row, rows[(i + 7) % 20])
    # session, user, district, roles; organisations, people, relationships; the organisation chosen; the choices
    for params in ({}, {"people": "on"}, {"organisation": rows[3].pk}, {"organisation": rows[3].pk, "people": "on"}):
        with django_assert_max_num_queries(9):
            response = graph_page(desk, district, **params)
        assert response.status_code == 200


# graph_of and networkx on hand-made graphs ---------------------------------------------------------------


def articulation_points(nodes, edges):
    return set(nx.articulation_points(graph_of(nodes, edges)))


def degree_centrality(nodes, edges):
    return nx.degree_centrality(graph_of(nodes, edges))


def test_a_chain_is_cut_at_every_inner_node():
    nodes = "abcde"
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]
    assert articulation_points(nodes, edges) == {"b", "c", "d"}


def test_a_star_is_cut_at_its_centre_only():
    edges = [("hub", leaf) for leaf in "abcdef"]
    assert articulation_points(["hub", *"abcdef"], edges) == {"hub"}
    centrality = degree_centrality(["hub", *"abcdef"], edges)
    assert centrality["hub"] == 1.0 and centrality["a"] == pytest.approx(1 / 6)


def test_a_cycle_has_no_single_point_of_failure():
    nodes = list(range(6))
    edges = [(i, (i + 1) % 6) for i in nodes]
    assert articulation_points(nodes, edges) == set()


def test_a_bridge_between_two_triangles_is_cut_at_both_ends():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d")]
    assert articulation_points("abcdef", edges) == {"c", "d"}


def test_parallel_edges_loops_and_separate_parts():
    # a=b doubled is still one tie: neither end is a cut point; the loop on c changes nothing.
    edges = [("a", "b"), ("b", "a"), ("c", "c"), ("x", "y"), ("y", "z")]
    assert articulation_points("abcxyz", edges) == {"y"}
    assert degree_centrality("abcxyz", edges)["c"] == 0


def test_the_root_is_cut_only_with_two_subtrees():
    assert articulation_points("abc", [("a", "b"), ("a", "c")]) == {"a"}
    assert articulation_points("ab", [("a", "b")]) == set()
    assert articulation_points("", []) == set()


def test_a_long_chain_needs_no_recursion():
    nodes = list(range(5000))
    edges = [(i, i + 1) for i in range(4999)]
    assert articulation_points(nodes, edges) == set(range(1, 4999))


def test_months_before_keeps_the_end_of_month():
    from datetime import date

    assert months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_before(date(2025, 1, 15), 12) == date(2024, 1, 15)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)


def _components(nodes, edges):
    parent = {n: n for n in nodes}

    def find(n):
        while parent[n] != n:
            n = parent[n]
        return n

    for a, b in edges:
        parent[find(a)] = find(b)
    return len({find(n) for n in nodes})


def test_matches_the_definition_on_random_graphs():
    """A node is a cut point exactly when removing it leaves more components (brute force)."""
    import random

    generator = random.Random(7)
    for _ in range(200):
        nodes = list(range(generator.randint(1, 9)))
        edges = [(a, b) for a in nodes for b in nodes if a < b and generator.random() < 0.3]
        expected = set()
        for node in nodes:
            rest = [n for n in nodes if n != node]
            kept = [(a, b) for a, b in edges if node not in (a, b)]
            base = _components(nodes, edges) - (1 if not any(node in e for e in edges) else 0)
            if rest and _components(rest, kept) > base:
                expected.add(node)
        assert articulation_points(nodes, edges) == expected, (nodes, edges)
