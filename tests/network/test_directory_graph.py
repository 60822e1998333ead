"""The network graph: single points of failure (articulation points) and degree centrality on hand-made graphs.

networkx computes both; these check that the graph it is given (`graph_of`) counts loops and repeated
ties the way the network page means them.
"""

import networkx as nx
import pytest

from kiezwerk.network.selectors.directory import graph_of, months_before


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
