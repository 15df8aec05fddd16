"""
Library structures: the forest that tree libraries' fields are generated from.
The third-party suite (tests/test_thirdparty.py) checks the trees and
orderings that seed writes with each library's own rules.
"""

import random

from seeding.structures import TREE_SIZE, forest


def test_a_forest_has_exactly_the_planned_nodes():
    """The last tree is cut to size, so no node is promised and left out."""
    for count in (0, 1, 7, 100):
        assert len(list(forest(random.Random(count), count))) == count


def test_trees_are_small_and_listed_parents_first():
    seen = set()
    trees = {}
    for tree, node in forest(random.Random(1), 500):
        assert node.parent is None or id(node.parent) in seen
        seen.add(id(node))
        trees[tree] = trees.get(tree, 0) + 1
    assert max(trees.values()) <= TREE_SIZE
    assert any(size > 1 for size in trees.values())


def test_nested_set_bounds_enclose_exactly_the_descendants():
    for _, node in forest(random.Random(2), 300):
        assert node.right - node.left - 1 == 2 * descendants(node)
        if node.parent is not None:
            assert node.parent.left < node.left < node.right < node.parent.right
            assert node.depth == node.parent.depth + 1


def test_siblings_are_numbered_from_one():
    for _, node in forest(random.Random(3), 300):
        assert [kid.step for kid in node.kids] == list(range(1, len(node.kids) + 1))


def test_without_a_count_every_node_is_a_root():
    """When rows() decides how many rows there are, the forest may stop
    anywhere: only single-node trees stay valid wherever it stops."""
    nodes = forest(random.Random(4), None)
    first = [next(nodes) for _ in range(50)]
    assert [tree for tree, _ in first] == list(range(1, 51))
    assert all(node.parent is None and not node.kids for _, node in first)


def test_the_same_seed_gives_the_same_forest():
    def shape(seed):
        return [(t, n.depth, n.left, n.right) for t, n in forest(random.Random(seed), 200)]

    assert shape(5) == shape(5)
    assert shape(5) != shape(6)


def descendants(node):
    return sum(1 + descendants(kid) for kid in node.kids)
