"""
Print, as JSON, what the database configured by DJANGO_SETTINGS_MODULE and
DATABASE_URL holds: the rows of each table and every broken rule.

Run as ``python -m tests.thirdparty.census``. It reads the database through
the app registry and plain queries, so that it judges the engine's work
instead of repeating its assumptions; from ``seeding`` it reads only which
tables the project's seed modules ask to leave empty.
"""

import json
import sys

import django

#: Tables the framework fills (reused) or that only requests fill.
FRAMEWORK = {
    "contenttypes.ContentType",
    "auth.Permission",
    "sites.Site",
    "sessions.Session",
    "admin.LogEntry",
    # seeding's record of what purge keeps.
    "seeding.Baseline",
}
#: Where the apps of the demo project and of the test suite come from.
OWN_MODULES = ("django.", "project.", "seeding", "tests.")


def census():
    from django.apps import apps
    from django.db import connection

    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]
    rows = {m._meta.label: m._base_manager.count() for m in models}
    left_empty = declared_empty()
    checked = [
        m for m in models if m._meta.label not in FRAMEWORK | set(left_empty)
    ]
    return {
        "models": len(models),
        "third_party": sorted(
            m._meta.label
            for m in models
            if not m._meta.app_config.name.startswith(OWN_MODULES)
        ),
        "rows": rows,
        "declared_empty": left_empty,
        "empty": sorted(m._meta.label for m in checked if not rows[m._meta.label]),
        "empty_m2m": sorted(
            m._meta.label
            for m in checked
            if m._meta.auto_created and not rows[m._meta.label]
        ),
        "constraint_check": constraint_check(connection),
        "orphans": [o for m in models for o in orphans(connection, m)],
        "dangling_generic": [d for m in models for d in dangling_generic(m)],
        "duplicates": [d for m in models for d in duplicates(m)],
        "broken_structures": [b for m in models for b in broken_structures(m)],
    }


def declared_empty():
    """Labels of the models whose seed module asks for no rows at all."""
    from seeding import registry

    registry.autodiscover()
    return sorted(
        model._meta.label
        for model, seed in registry.site.seeds().items()
        if seed.count == 0 and seed.per is None and not seed.yields_rows
    )


def constraint_check(connection):
    """The database's own foreign key check: None, or its message."""
    try:
        connection.check_constraints()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def orphans(connection, model):
    """A message per foreign key whose rows point at no row."""
    qn = connection.ops.quote_name
    found = []
    for field in model._meta.local_concrete_fields:
        if not (field.is_relation and (field.many_to_one or field.one_to_one)):
            continue
        target = field.target_field
        sql = (
            f"SELECT COUNT(*) FROM {qn(model._meta.db_table)} child "
            f"WHERE child.{qn(field.column)} IS NOT NULL AND NOT EXISTS ("
            f"SELECT 1 FROM {qn(target.model._meta.db_table)} parent "
            f"WHERE parent.{qn(target.column)} = child.{qn(field.column)})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            (count,) = cursor.fetchone()
        if count:
            found.append(f"{model._meta.label}.{field.name}: {count} row(s)")
    return found


def dangling_generic(model):
    """A message per generic relation whose rows point at no row."""
    from django.contrib.contenttypes.fields import GenericForeignKey
    from django.contrib.contenttypes.models import ContentType

    found = []
    for gfk in model._meta.private_fields:
        if not isinstance(gfk, GenericForeignKey):
            continue
        ct_attname = model._meta.get_field(gfk.ct_field).attname
        pairs = model._base_manager.values_list(ct_attname, gfk.fk_field)
        by_type = {}
        for content_type_id, object_id in pairs:
            if content_type_id is not None:
                by_type.setdefault(content_type_id, []).append(object_id)
        missing = 0
        for content_type_id, object_ids in by_type.items():
            target = ContentType.objects.get_for_id(content_type_id).model_class()
            if target is None:
                missing += len(object_ids)
                continue
            keys = {str(pk) for pk in target._base_manager.values_list("pk", flat=True)}
            missing += sum(str(object_id) not in keys for object_id in object_ids)
        if missing:
            found.append(f"{model._meta.label}.{gfk.name}: {missing} row(s)")
    return found


def duplicates(model):
    """A message per unique rule that two rows break together."""
    from django.db.models import Count, UniqueConstraint

    meta = model._meta
    rules = [((f.name,), None) for f in meta.local_concrete_fields if f.unique]
    rules += [(tuple(names), None) for names in meta.unique_together]
    rules += [
        (tuple(c.fields), c.condition)
        for c in meta.constraints
        if isinstance(c, UniqueConstraint) and c.fields
    ]
    found = []
    for names, condition in rules:
        rows = model._base_manager.order_by()
        if condition is not None:
            rows = rows.filter(condition)
        for name in names:
            rows = rows.exclude(**{f"{name}__isnull": True})
        repeated = (
            rows.values(*names).annotate(n=Count("*")).filter(n__gt=1).count()
        )
        if repeated:
            found.append(f"{meta.label} ({', '.join(names)}): {repeated} value(s)")
    return found


def broken_structures(model):
    """A message per tree or ordering that its library would find broken."""
    from mptt.models import MPTTModel
    from ordered_model.models import OrderedModelBase
    from polymorphic.models import PolymorphicModel
    from treebeard.al_tree import AL_Node
    from treebeard.mp_tree import MP_Node
    from treebeard.ns_tree import NS_Node

    label = model._meta.label
    rows = model._base_manager.order_by("pk")
    found = []
    if issubclass(model, MP_Node):
        # treebeard's own check: characters, step length, orphans, depth,
        # numchild.
        kinds = ("evil chars", "bad steplen", "orphans", "wrong depth", "wrong numchild")
        for kind, pks in zip(kinds, model.find_problems()):
            if pks:
                found.append(f"{label}: {len(pks)} node(s) with {kind}")
    if issubclass(model, NS_Node):
        nodes = rows.values_list("pk", "tree_id", "lft", "rgt", "depth")
        found += nested_set_problems(label, nodes, parents=None)
    if issubclass(model, MPTTModel):
        meta = model._mptt_meta
        nodes = rows.values_list(
            "pk", meta.tree_id_attr, meta.left_attr, meta.right_attr, meta.level_attr
        )
        parents = dict(rows.values_list("pk", meta.parent_attr))
        found += nested_set_problems(label, nodes, parents, first_level=0)
    if issubclass(model, OrderedModelBase):
        within = model.get_order_with_respect_to()
        found += sequence_problems(label, rows, model.order_field_name, within, 0)
    if issubclass(model, AL_Node) and not model.node_order_by:
        found += sequence_problems(label, rows, "sib_order", ("parent",), 1)
    if issubclass(model, PolymorphicModel) and model._meta.parents == {}:
        found += polymorphic_problems(model)
    return found


def nested_set_problems(label, nodes, parents, first_level=1):
    """Bounds 1..2n per tree, properly nested, depth and parent to match."""
    trees = {}
    for pk, tree, left, right, depth in nodes:
        trees.setdefault(tree, []).append((left, right, depth, pk))
    wrong = 0
    for tree_nodes in trees.values():
        bounds = sorted(b for left, right, _, _ in tree_nodes for b in (left, right))
        if bounds != list(range(1, 2 * len(tree_nodes) + 1)):
            wrong += len(tree_nodes)
            continue
        stack = []
        for left, right, depth, pk in sorted(tree_nodes):
            while stack and stack[-1][1] < left:
                stack.pop()
            enclosing = stack[-1] if stack else None
            if (
                (enclosing and right > enclosing[1])
                or depth != first_level + len(stack)
                or (
                    parents is not None
                    and parents[pk] != (enclosing[3] if enclosing else None)
                )
                or (enclosing is None and left != 1)
            ):
                wrong += 1
            stack.append((left, right, depth, pk))
    return [f"{label}: {wrong} node(s) out of their nested set"] if wrong else []


def sequence_problems(label, rows, name, within, start):
    """Positions start, start + 1... within each group."""
    groups = {}
    for position, *key in rows.values_list(name, *within):
        groups.setdefault(tuple(key), []).append(position)
    wrong = [
        key
        for key, positions in groups.items()
        if sorted(positions) != list(range(start, start + len(positions)))
    ]
    return [f"{label}: {len(wrong)} group(s) out of sequence"] if wrong else []


def polymorphic_problems(base):
    """Every row names the content type of the most derived class it is."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    family = [
        m
        for m in apps.get_models()
        if issubclass(m, base) and not m._meta.proxy
    ]
    # The deepest class holding a key wins.
    family.sort(key=lambda m: len(m._meta.get_parent_list()))
    expected = {}
    for model in family:
        content_type = ContentType.objects.get_for_model(model).pk
        for pk in model._base_manager.values_list("pk", flat=True):
            expected[pk] = content_type
    actual = dict(base._base_manager.values_list("pk", "polymorphic_ctype"))
    wrong = sum(actual[pk] != content_type for pk, content_type in expected.items())
    label = base._meta.label
    return [f"{label}: {wrong} row(s) name another content type"] if wrong else []


if __name__ == "__main__":
    django.setup()
    json.dump(census(), sys.stdout, indent=1, sort_keys=True)
