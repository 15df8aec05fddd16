"""
Shapes seen on real projects that once stopped a whole seed, one model per case.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class OracleOnly(models.Model):
    """A model for a database none of the tests runs on: it has no table."""

    name = models.CharField(max_length=40)

    class Meta:
        required_db_vendor = "oracle"


class Dosage(models.Model):
    """A check constraint that is a disjunction: no unit, or one of a list."""

    amount = models.DecimalField(max_digits=8, decimal_places=2)
    unit = models.CharField(max_length=10, null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(unit__in=["ug/mL", "ng/mL"]),
                name="realshapes_dosage_unit",
            )
        ]


class MenuItem(models.Model):
    """A disjunction over two columns: a link to a page or to a URL, not both."""

    title = models.CharField(max_length=40)
    page = models.ForeignKey(Dosage, null=True, blank=True, on_delete=models.CASCADE)
    url = models.URLField(null=True, blank=True)
    kind = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(page__isnull=True) | Q(url__isnull=True),
                name="realshapes_menuitem_one_target",
            ),
            models.CheckConstraint(
                condition=Q(kind="external", page__isnull=True)
                | Q(kind__in=["page", "section"], url__isnull=True),
                name="realshapes_menuitem_kind",
            ),
        ]


class Discount(models.Model):
    """Choices that define the domain: blank only where the choices list it."""

    kind = models.CharField(
        max_length=10, blank=True, choices=[("count", "Count"), ("value", "Value")]
    )
    grade = models.IntegerField(null=True, blank=True, choices=[(1, "One"), (2, "Two")])
    scope = models.CharField(
        max_length=10, blank=True, choices=[("", "Anywhere"), ("local", "Local")]
    )


class Part(models.Model):
    """Invariants kept by clean(), not the schema: a child part has a parent
    part, any other has no parent; only a kit has a price."""

    structure = models.CharField(
        max_length=10,
        choices=[("standalone", "Standalone"), ("parent", "Parent"), ("child", "Child")],
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)
    kit = models.BooleanField()
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    name = models.CharField(max_length=40, blank=True)

    def clean(self):
        if self.structure == "child":
            if self.parent_id is None or self.parent.structure != "parent":
                raise ValidationError("A child part needs a parent part.")
        elif self.parent_id is not None:
            raise ValidationError("Only a child part has a parent.")
        if self.kit != (self.price is not None):
            raise ValidationError("A kit has a price, and only a kit.")


class Unjudged(models.Model):
    """A clean() that cannot judge an unsaved row: it reads what is saved."""

    label = models.CharField(max_length=20)

    def clean(self):
        if not Unjudged.objects.filter(pk=self.pk).exists():
            raise LookupError("not saved yet")


class Unpleasable(models.Model):
    """A clean() that rejects every row whatever it holds."""

    label = models.CharField(max_length=20)

    def clean(self):
        raise ValidationError("Never valid.")


class Meeting(models.Model):
    """Periods no constraint orders, which the application reads as periods
    (a calendar's occurrences): each pair's end comes after its start."""

    title = models.CharField(max_length=40)
    start = models.DateTimeField()
    end = models.DateTimeField()
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()


class Topic(models.Model):
    """A slug the schema lets repeat, which the application looks rows up by
    (get(slug__iexact=...))."""

    name = models.CharField(max_length=40)
    slug = models.SlugField()


class Campaign(models.Model):
    """A state the application compares with constants the schema does not
    list (status == "Open"): only its default is a value the schema names."""

    OPEN = "Open"

    title = models.CharField(max_length=40)
    status = models.CharField(max_length=64, default=OPEN)
    state = models.CharField(max_length=20, default="draft", blank=True)
    # No default: nothing says which text the application expects.
    phase = models.CharField(max_length=20)
