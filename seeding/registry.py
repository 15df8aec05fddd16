"""
Seed modules: what a domain app declares about how its models are seeded.

Any installed app may ship a ``seeds.py``; it is imported by :func:`autodiscover`
the way the admin imports ``admin.py``, and registers :class:`Seed` classes and
checks::

    @seeding.register(Invoice)
    class InvoiceSeed(seeding.Seed):
        recipe = Recipe(Invoice, status="unpaid")
        per = ("school.Student", 2)

    @seeding.check("an invoice's total equals the sum of its lines")
    def invoice_totals(ctx):
        return Invoice.objects.using(ctx.using).exclude(...)
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

from .exceptions import AlreadyRegistered, ConfigurationError


class Seed:
    """
    How one model is seeded.

    ``recipe`` is a model_bakery ``Recipe``: its values win over the engine's
    guesses (a callable is called once per row, an iterator such as ``seq()``
    advanced once per row); the engine still supplies foreign keys and keeps
    unique rules. ``count`` is a number of rows at scale 1; ``per`` makes it
    relative to another model's count: ``per = ("school.Student", 2)``.

    ``after`` names models (labels) to seed before this one although no
    foreign key says so, because ``rows()`` reads them.

    ``for_each = ("school.User", {"role": "student"})`` writes one row per
    row of that model matching the filters that has none yet, its key to
    that model pointing at it (name the key third if there are several);
    the recipe and the engine fill the rest. Override ``each(ctx, parents)``
    for values that follow from the parent: it gets the parents in key
    order, each a named tuple of its key (by the key's target attname) and
    the ``each_fields`` of the parent, and yields a dict for each, in turn.

    Override ``rows(ctx)`` to decide the rows yourself: yield dicts of field
    values (foreign keys as instances or primary keys); the engine fills every
    field you leave out. A count (``--count``, ``COUNTS``) for such a model is
    refused unless ``counted`` says that rows() yields ``ctx.count`` rows
    whenever it is set, as declaring ``count`` or ``per`` also promises.
    Override ``finish(ctx)`` for fix-ups that need rows of
    models seeded later; it runs once every model is inserted.
    """

    model = None
    recipe = None
    count = None
    per = None
    after = ()
    counted = False
    for_each = None
    each_fields = ()

    def rows(self, ctx):
        return None

    def each(self, ctx, parents):
        return ({} for _ in parents)

    def finish(self, ctx):
        pass

    @property
    def yields_rows(self):
        return type(self).rows is not Seed.rows

    @property
    def takes_count(self):
        """Whether the seed module writes the count it is given (or there is none)."""
        declared = self.count is not None or self.per is not None
        return not self.decides_count or declared or self.counted

    @property
    def decides_count(self):
        """Whether the run, not the plan, knows how many rows there are."""
        return self.yields_rows or self.for_each is not None

    def parent_link(self):
        """(parent model, filters, the key field pointing at it) of for_each."""
        label, filters, *name = self.for_each
        parent = apps.get_model(label) if isinstance(label, str) else label
        keys = [
            f
            for f in self.model._meta.concrete_fields
            if f.is_relation
            and f.related_model is parent
            and (not name or f.name == name[0])
        ]
        if len(keys) != 1:
            raise ConfigurationError(
                f"{self.module}: for_each of {self.model._meta.label} needs one key to "
                f"{parent._meta.label}; it has {len(keys)}"
                + ("" if name else ": name it third, as in (label, filters, 'field').")
            )
        return parent, filters, keys[0]

    def parents(self, using, fields=(), flat=True):
        """The keys of the for_each rows that have no row of this model yet;
        unless ``flat``, named tuples of the key and ``fields``."""
        parent, filters, key = self.parent_link()
        linked = self.model._base_manager.using(using).filter(
            **{f"{key.name}__isnull": False}
        )
        target = key.target_field.attname
        rows = parent._base_manager.using(using).filter(**filters).exclude(
            **{f"{target}__in": linked.values(key.attname)}
        )
        rows = rows.order_by("pk")
        if flat:
            return rows.values_list(target, flat=True)
        return rows.values_list(target, *fields, named=True)

    def for_each_rows(self, ctx):
        """The rows of for_each: each parent's key, and what each() gives."""
        name = self.parent_link()[2].name
        if type(self).each is Seed.each:
            # Read before the step adds rows to the table the filter reads.
            return [{name: key} for key in self.parents(ctx.using)]
        parents = list(self.parents(ctx.using, self.each_fields, flat=False))
        return self._each_rows(ctx, parents, name)

    def _each_rows(self, ctx, parents, name):
        given = self.each(ctx, iter(parents))
        pairs = itertools.zip_longest(parents, given, fillvalue=None)
        for n, (parent, values) in enumerate(pairs):
            if parent is None or values is None:
                label = self.parent_link()[0]._meta.label
                how = "more rows than" if parent is None else f"rows for {n} of"
                raise ConfigurationError(
                    f"each() of {self.module} yielded {how} the {len(parents)} "
                    f"{label} rows; it yields one for each."
                )
            yield {**values, name: parent[0]}

    @property
    def module(self):
        return type(self).__module__

    def recipe_values(self):
        """Return {field name: value or callable} from the recipe, fresh per run."""
        if self.recipe is None:
            return {}
        # model_bakery reads the app registry on import: import it late.
        from model_bakery.recipe import RecipeForeignKey, related

        values = {}
        for name, value in self.recipe.attr_mapping.items():
            if isinstance(value, (RecipeForeignKey, related)):
                # The engine links rows to parents that exist; it never
                # invents a parent per child.
                continue
            if isinstance(value, Iterator):
                # A module-level seq() is consumed by a run; keep a pristine
                # copy so that the next run in this process starts over.
                kept, values[name] = itertools.tee(value)
                self.recipe.attr_mapping[name] = kept
            else:
                values[name] = value
        return values


@dataclass(frozen=True)
class CheckContext:
    """What a domain check gets: the database, and the moment the seeded data
    leads up to (``SEEDING["NOW"]``), so that "in the past" means the same
    to the check as to the run."""

    using: str
    now: object

    @classmethod
    def of(cls, using):
        from .conf import get_config

        return cls(using, get_config().now)


@dataclass(frozen=True)
class Check:
    """A domain rule; ``func(ctx)`` returns the offending rows (a queryset)."""

    name: str
    description: str
    func: object
    module: str


class SeedRegistry:
    def __init__(self):
        # Keyed by model label; a dict named _registry so that Django's
        # autodiscover_modules() can roll back a failed import.
        self._registry = {}
        self.checks = []

    def register(self, model, seed_class, module):
        if model in self._registry and self._registry[model][0] is not seed_class:
            # Which one would win depends on the order apps are listed in.
            other, other_module = self._registry[model]
            raise AlreadyRegistered(
                f"{module}.{seed_class.__qualname__} registers a seed for {model}, "
                f"which {other_module}.{other.__qualname__} registers already."
            )
        self._registry[model] = (seed_class, module)

    def seeds(self):
        """Return {model class: Seed instance}; raise for unknown models."""
        seeds = {}
        for label, (seed_class, module) in self._registry.items():
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                raise ConfigurationError(
                    f"{module} registers a seed for {label}, which is not an "
                    f"installed model."
                ) from None
            seed = seed_class()
            seed.model = model
            seeds[model] = seed
        return seeds


site = SeedRegistry()


def _label(model):
    return model if isinstance(model, str) else model._meta.label


def register(model, *, registry=site):
    """Class decorator: register a Seed subclass for ``model`` (class or label)."""

    def decorator(seed_class):
        if not (isinstance(seed_class, type) and issubclass(seed_class, Seed)):
            raise ConfigurationError(
                f"@seeding.register({_label(model)}) decorates a Seed subclass, "
                f"not {seed_class!r}."
            )
        registry.register(_label(model), seed_class, seed_class.__module__)
        return seed_class

    return decorator


def check(description, *, registry=site):
    """Function decorator: register a domain check that seed_report runs;
    it gets a :class:`CheckContext` and returns the offending rows."""

    def decorator(func):
        registry.checks.append(Check(func.__name__, description, func, func.__module__))
        return func

    return decorator


def autodiscover(registry=site):
    """Import every installed app's ``seeds`` module once."""
    try:
        autodiscover_modules("seeds", register_to=registry)
    except Exception as exc:
        raise ConfigurationError(
            f"Importing {_failing_seeds_file(exc)} failed: {type(exc).__name__}: {exc}"
        ) from exc


def _failing_seeds_file(exc):
    """Name the seeds.py in whose import ``exc`` was raised."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith("seeds.py"):
            found = filename
        tb = tb.tb_next
    if found is None:
        # A SyntaxError has no frame inside the file; it names it itself.
        found = getattr(exc, "filename", None) or "a seeds module"
    return found
