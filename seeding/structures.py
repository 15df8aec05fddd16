"""
Library structures: fields that a library derives from other rows.

Tree and ordering libraries keep fields that are only right together: a
node's materialised path and depth, its nested-set bounds, a row's position
among its siblings, the content type that names a row's own class. Values
drawn one column at a time pass the database and break the library. A
structure names those fields, and either supplies their values as the rows
are generated (a forest, built one small tree at a time) or puts them right
once the rows exist, with the library's own code where it has some.

Libraries are recognised by their base classes, looked up in ``sys.modules``
so that ``seeding`` imports none of them: a model can only subclass a library
that is already imported.
"""

import inspect
import itertools
import re
import sys
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models

from .inserts import update_rows
from .columns import rng_for

#: Nodes in one generated tree, at most.
TREE_SIZE = 8


def structures_of(model):
    """The structures that ``model``'s rows must respect."""
    found = []
    for module, base, structure in KNOWN:
        library = sys.modules.get(module)
        if library is not None and issubclass(model, getattr(library, base)):
            found.append(structure(model))
    found = [s for s in found if s.applies()]
    kept = {name for s in found for name in s.fields}
    found += [
        OwnContentType(model, name)
        for name in own_content_types(model)
        if name not in kept
    ]
    return found


def tree_table(model, name):
    """The model whose table holds a tree's field ``name``: under multi-table
    inheritance one tree spans the rows of the base and of every subclass."""
    return model._meta.get_field(name).model._meta.concrete_model


class Structure:
    """Fields that one library keeps consistent across the rows of a model."""

    library = ""
    fields = ()
    how = ""

    def __init__(self, model):
        self.model = model

    def applies(self):
        return True

    def describe(self, count):
        return f"{self.library}: {', '.join(self.fields)} {self.how}"

    def values(self, using, count, seed):
        """{field name: value or iterator} for the rows of one run."""
        return {}

    def finish(self, using):
        """Put the fields right once every row is inserted."""


@dataclass(eq=False)
class Node:
    """A node of a generated tree."""

    parent: "Node | None"
    depth: int
    #: 1 for its parent's first child, 2 for the second...
    step: int = 1
    kids: list = field(default_factory=list)
    #: Nested-set bounds.
    left: int = 0
    right: int = 0
    path: str = ""


def forest(rng, count):
    """
    Yield (tree number, node) for trees of one to TREE_SIZE nodes, each tree
    in preorder, so that a parent always comes before its children.

    With no ``count`` (a seed module's rows() decides how many rows there
    are), every tree is a single node, so that the rows stay a valid forest
    wherever they stop.
    """
    remaining = count
    for tree in itertools.count(1):
        if remaining is not None and remaining <= 0:
            return
        size = 1 if remaining is None else min(remaining, rng.randint(1, TREE_SIZE))
        if remaining is not None:
            remaining -= size
        for node in _tree(rng, size):
            yield tree, node


def _tree(rng, size):
    nodes = [Node(None, 1)]
    for _ in range(size - 1):
        parent = nodes[rng.randrange(len(nodes))]
        node = Node(parent, parent.depth + 1, len(parent.kids) + 1)
        parent.kids.append(node)
        nodes.append(node)
    counter = itertools.count(1)
    preorder = []

    def walk(node):
        node.left = next(counter)
        preorder.append(node)
        for kid in node.kids:
            walk(kid)
        node.right = next(counter)

    walk(nodes[0])
    return preorder


class Forest(Structure):
    """A tree library whose fields can be generated with the rows."""

    how = "generated as a forest of small trees"

    def describe(self, count):
        if count is None:
            return (
                f"{self.library}: {', '.join(self.fields)} generated as roots "
                f"only, since rows() decides how many rows there are"
            )
        return super().describe(count)


class MaterialisedPath(Forest):
    """django-treebeard's MP_Node: the path holds the tree."""

    library = "django-treebeard materialised path"
    fields = ("path", "depth", "numchild")

    def __init__(self, model):
        super().__init__(model)
        self.parent = parent_key(model)
        if self.parent is not None:
            self.fields = (*self.fields, self.parent.name)
        #: (the single root the new trees hang under, its last child's step).
        self.top = None

    def values(self, using, count, seed):
        model = self.model
        self.top = single_root(model, using)
        under, first = self.top or (None, top_step(model, using, 1, ""))
        depth = 1 if under is None else under.depth + 1
        most = len(model.alphabet) ** model.steplen - 1

        def nodes():
            rng = rng_for(seed, model._meta.label, "structure")
            for tree, node in forest(rng, count):
                if node.parent is None:
                    if first + tree > most:
                        raise ValueError(
                            f"more than {most} nodes at depth {depth} do not "
                            f"fit a path step of {model.steplen} characters"
                        )
                    base = None if under is None else under.path
                    node.path = model._get_path(base, depth, first + tree)
                else:
                    node.path = model._get_path(
                        node.parent.path, node.depth + depth - 1, node.step
                    )
                yield node

        paths, depths, children = itertools.tee(nodes(), 3)
        return {
            "path": (n.path for n in paths),
            "depth": (n.depth + depth - 1 for n in depths),
            "numchild": (len(n.kids) for n in children),
        }

    def finish(self, using):
        if self.parent is not None:
            parents_from_paths(self.parent, using)
        if self.top is not None:
            root = self.top[0]
            table = tree_table(self.model, "path")
            children = table._base_manager.using(using).filter(
                depth=root.depth + 1, path__startswith=root.path
            )
            field = table._meta.get_field("numchild")
            update_rows(connections[using], field, [(children.count(), root.pk)])


def single_root(model, using):
    """
    (root, last step among its children) when the tree's table holds exactly
    one root before the run, else None. A tree that comes with a single root
    (a CMS's page or collection tree, made by its migrations) is read by an
    application that expects every node under it: the new trees hang there.
    """
    table = tree_table(model, "path")
    roots = list(table._base_manager.using(using).filter(depth=1)[:2])
    if len(roots) != 1:
        return None
    (root,) = roots
    return root, top_step(model, using, 2, root.path)


def top_step(model, using, depth, prefix):
    """The largest step of the paths at ``depth`` under ``prefix``, 0 if none."""
    paths = (
        tree_table(model, "path")
        ._base_manager.using(using)
        .filter(depth=depth, path__startswith=prefix)
        .values_list("path", flat=True)
    )
    return max((model._str2int(p[-model.steplen :]) for p in paths), default=0)


def parent_key(model):
    """
    A ``parent`` key that a path tree keeps beside its paths (as django CMS's
    page tree does), pointing into the tree's own table; None if it has none.
    """
    try:
        field = model._meta.get_field("parent")
    except FieldDoesNotExist:
        return None
    table = tree_table(model, "path")
    if field.many_to_one and issubclass(table, field.related_model):
        return field
    return None


def parents_from_paths(field, using):
    """Point each row's parent key at the row its path says is its parent:
    the path less its last step. A root's key is NULL, or its own row when
    the key is required."""
    table = tree_table(field.model, "path")
    rows = list(
        table._base_manager.using(using).values_list("pk", "path", field.attname)
    )
    by_path = {path: pk for pk, path, _ in rows}
    changes = []
    for pk, path, current in rows:
        parent = by_path.get(path[: -table.steplen])
        if parent is None and not field.null:
            parent = pk
        if current != parent:
            changes.append((parent, pk))
    update_rows(connections[using], field, changes)


class NestedSets(Forest):
    """django-treebeard's NS_Node: bounds, tree and depth."""

    library = "django-treebeard nested sets"
    fields = ("lft", "rgt", "tree_id", "depth")

    def values(self, using, count, seed):
        model = self.model
        top = (
            tree_table(model, "tree_id")
            ._base_manager.using(using)
            .aggregate(top=models.Max("tree_id"))
        )
        first = top["top"] or 0
        rng = rng_for(seed, model._meta.label, "structure")
        nodes = forest(rng, count)
        lft, rgt, tree_id, depth = itertools.tee(nodes, 4)
        return {
            "lft": (n.left for _, n in lft),
            "rgt": (n.right for _, n in rgt),
            "tree_id": (first + tree for tree, _ in tree_id),
            "depth": (n.depth for _, n in depth),
        }


class MPTT(Structure):
    """django-mptt: the parent key holds the tree; mptt derives the rest."""

    library = "django-mptt"
    how = "rebuilt from the parent key by mptt once the rows exist"

    def __init__(self, model):
        super().__init__(model)
        meta = model._mptt_meta
        self.fields = (
            meta.left_attr,
            meta.right_attr,
            meta.tree_id_attr,
            meta.level_attr,
        )

    def values(self, using, count, seed):
        # Placeholders: the rebuild replaces them.
        return dict.fromkeys(self.fields, 0)

    def finish(self, using):
        owner = self.model._meta.get_field(self.fields[0]).model
        owner._tree_manager.db_manager(using).rebuild()


class Ordering(Structure):
    """A position counted from ``start`` within each group of rows."""

    how = "numbered in sequence within"

    def __init__(self, model, name, within, start):
        super().__init__(model)
        self.fields = (name,)
        self.within = tuple(within)
        self.start = start

    def describe(self, count):
        group = ", ".join(self.within) or "the table"
        return f"{self.library}: {self.fields[0]} {self.how} {group}, from {self.start}"

    def values(self, using, count, seed):
        # Above every existing position, so that a run's rows follow the
        # rows already there once finish() numbers each group.
        (name,) = self.fields
        top = self.model._base_manager.using(using).aggregate(top=models.Max(name))
        return {name: itertools.count((top["top"] or 0) + 1)}

    def finish(self, using):
        (name,) = self.fields
        column = self.model._meta.get_field(name)
        rows = (
            self.model._base_manager.using(using)
            .order_by(*self.within, name, "pk")
            .values_list("pk", name, *self.within)
        )
        # Read every position before writing any: on SQLite an UPDATE would
        # show through a cursor still reading the same table.
        changes, group, position = [], object(), self.start
        for pk, current, *key in rows.iterator():
            if key != group:
                group, position = key, self.start
            if current != position:
                changes.append((position, pk))
            position += 1
        update_rows(connections[using], column, changes)


class OrderedModel(Ordering):
    """django-ordered-model: ``order`` from 0 within order_with_respect_to."""

    library = "django-ordered-model"

    def __init__(self, model):
        super().__init__(
            model, model.order_field_name, model.get_order_with_respect_to(), 0
        )


class SiblingOrder(Ordering):
    """django-treebeard's AL_Node: ``sib_order`` from 1 among siblings."""

    library = "django-treebeard adjacency list"

    def __init__(self, model):
        super().__init__(model, "sib_order", ("parent",), 1)

    def applies(self):
        # With node_order_by, siblings are ordered by their own fields.
        return not self.model.node_order_by


class Polymorphic(Structure):
    """django-polymorphic: each row names the content type of its own class."""

    library = "django-polymorphic"
    fields = ("polymorphic_ctype",)
    how = "set to the model's own content type"

    def values(self, using, count, seed):
        from django.contrib.contenttypes.models import ContentType

        content_types = ContentType.objects.db_manager(using)
        return {"polymorphic_ctype": content_types.get_for_model(self.model)}


class OwnContentType(Structure):
    """A content type key that names the class each row was created as."""

    library = "the row's own class"
    how = "set to the model's own content type"

    def __init__(self, model, name):
        super().__init__(model)
        self.fields = (name,)

    def values(self, using, count, seed):
        from django.contrib.contenttypes.models import ContentType

        content_types = ContentType.objects.db_manager(using)
        return {self.fields[0]: content_types.get_for_model(self.model)}


def own_content_types(model):
    """
    The keys to ContentType that name the class of ``model``'s rows: declared
    on a model that multi-table subclasses extend (the pattern of CMS page
    trees, whose rows are created through their concrete classes), or set by
    the model's own save() or __init__; never a generic relation's, whose
    content type names its target.
    """
    from django.contrib.contenttypes.fields import GenericForeignKey
    from django.contrib.contenttypes.models import ContentType

    names = []
    for field in model._meta.concrete_fields:
        if not (field.many_to_one and field.related_model is ContentType):
            continue
        declared = field.model._meta.concrete_model
        generic = any(
            isinstance(f, GenericForeignKey) and f.ct_field == field.name
            for f in declared._meta.private_fields
        )
        if generic:
            continue
        if _has_subclasses(declared) or _set_by_own_code(model, field):
            names.append(field.name)
    return names


def _set_by_own_code(model, field):
    """Whether the model's own save() or __init__ sets ``field``: code that
    fills a content type key as a row is created names the row's class."""
    assignment = re.compile(rf"\bself\.{field.name}(_id)?\s*=[^=]")
    for klass in model.__mro__:
        if klass.__module__.startswith("django."):
            continue
        for name in ("save", "__init__"):
            method = vars(klass).get(name)
            if method is None:
                continue
            try:
                source = inspect.getsource(method)
            except (OSError, TypeError):
                continue  # No source to read (compiled, or built in a shell).
            if assignment.search(source):
                return True
    return False


def _has_subclasses(model):
    """Whether a concrete model extends ``model`` by multi-table inheritance."""
    return any(
        model in other._meta.get_parent_list()
        for other in apps.get_models()
        if not other._meta.proxy
    )


#: (module, base class, structure) for each library seeding knows.
KNOWN = [
    ("treebeard.mp_tree", "MP_Node", MaterialisedPath),
    ("treebeard.ns_tree", "NS_Node", NestedSets),
    ("treebeard.al_tree", "AL_Node", SiblingOrder),
    ("mptt.models", "MPTTModel", MPTT),
    ("ordered_model.models", "OrderedModelBase", OrderedModel),
    ("polymorphic.models", "PolymorphicModel", Polymorphic),
]
