"""
A corpus of the model shapes that break seeders, one model per case.

Nothing here is a school; these are the schemas of projects nobody here wrote.
"""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now


class Category(models.Model):
    """A tree: a nullable self-reference."""

    name = models.CharField(max_length=50, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)


class Node(models.Model):
    """A required self-reference: the first row can only point at itself."""

    label = models.CharField(max_length=30)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, related_name="children")


class Author(models.Model):
    """A two-model cycle through a nullable key (Author.favourite_book)."""

    name = models.CharField(max_length=80)
    email = models.EmailField(unique=True)
    favourite_book = models.ForeignKey("Book", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class Book(models.Model):
    title = models.CharField(max_length=120)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    isbn = models.CharField(max_length=13, unique=True)
    tags = models.ManyToManyField("Tag", blank=True)


class Tag(models.Model):
    slug = models.SlugField(unique=True)


class Country(models.Model):
    """A three-model cycle: Country -> City -> Mayor -> Country (one nullable)."""

    name = models.CharField(max_length=60)
    capital = models.ForeignKey("City", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class City(models.Model):
    name = models.CharField(max_length=60)
    country = models.ForeignKey(Country, on_delete=models.CASCADE)
    mayor = models.ForeignKey("Mayor", on_delete=models.PROTECT, related_name="+")


class Mayor(models.Model):
    name = models.CharField(max_length=60)
    born_in = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")


class Egg(models.Model):
    """A cycle with no nullable key at all: Egg <-> Hen."""

    laid_by = models.ForeignKey("Hen", on_delete=models.CASCADE, related_name="eggs")


class Hen(models.Model):
    hatched_from = models.OneToOneField(Egg, on_delete=models.CASCADE, related_name="+")


class Profile(models.Model):
    """One-to-one, and a one-to-one primary key."""

    author = models.OneToOneField(Author, on_delete=models.CASCADE)
    bio = models.TextField(blank=True)


class Passport(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE, primary_key=True)
    number = models.CharField(max_length=20, unique=True)


class Place(models.Model):
    """Multi-table inheritance two levels deep, and a diamond."""

    name = models.CharField(max_length=50)
    address = models.CharField(max_length=80)


class Restaurant(Place):
    restaurant_place = models.OneToOneField(Place, parent_link=True, on_delete=models.CASCADE, related_name="restaurant")
    serves_pizza = models.BooleanField(default=False)


class Pizzeria(Restaurant):
    oven_count = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])


class Cafe(Place):
    cafe_place = models.OneToOneField(Place, parent_link=True, on_delete=models.CASCADE, related_name="cafe")
    has_terrace = models.BooleanField()


class Bistro(Restaurant, Cafe):
    """The diamond: Bistro -> Restaurant -> Place and Bistro -> Cafe -> Place."""

    opening_hour = models.TimeField()


class Membership(models.Model):
    """An explicit through model."""

    person = models.ForeignKey(Author, on_delete=models.CASCADE)
    club = models.ForeignKey("Club", on_delete=models.CASCADE)
    joined_on = models.DateField()

    class Meta:
        unique_together = [("person", "club")]


class Club(models.Model):
    name = models.CharField(max_length=50)
    members = models.ManyToManyField(Author, through=Membership, related_name="clubs")


class Comment(models.Model):
    """A GenericForeignKey with an integer object id."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    body = models.TextField()


class Activity(models.Model):
    """A GenericForeignKey with a text object id (UUID and char keys fit)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey()
    verb = models.CharField(max_length=20)


class Bookmark(models.Model):
    """A GenericForeignKey with a UUID object id, and a GenericRelation."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.UUIDField()
    target = GenericForeignKey()
    notes = GenericRelation(Activity)


class Document(models.Model):
    """A UUID primary key with a default."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=100)


class Sku(models.Model):
    """A char primary key, and a key pointed at by to_field."""

    code = models.CharField(primary_key=True, max_length=12)
    barcode = models.CharField(max_length=20, unique=True)


def ticket_code():
    return uuid.uuid4().hex[:10]


class TicketCode(models.CharField):
    """A custom key field, the way apps ship short ids."""


class Ticket(models.Model):
    """A custom primary key field with a default callable, pointed at."""

    code = TicketCode(primary_key=True, max_length=10, default=ticket_code)
    subject = models.CharField(max_length=80)


class TicketReply(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    body = models.TextField()


class Counter(models.Model):
    """An integer primary key that the database defaults, not a sequence."""

    number = models.IntegerField(primary_key=True, db_default=1)
    label = models.CharField(max_length=20)


class StockLine(models.Model):
    sku = models.ForeignKey(Sku, to_field="barcode", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField()


class Schedule(models.Model):
    """unique_together with a free column, a conditional UniqueConstraint, checks."""

    room = models.ForeignKey(Category, on_delete=models.CASCADE)
    day = models.DateField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_primary = models.BooleanField()
    kind = models.CharField(max_length=10, choices=[("talk", "Talk"), ("workshop", "Workshop"), ("break", "Break")])
    seats = models.IntegerField(validators=[MinValueValidator(1), MaxValueValidator(500)])

    class Meta:
        unique_together = [("room", "day")]
        constraints = [
            models.UniqueConstraint(fields=["room"], condition=Q(is_primary=True), name="corpus_one_primary_per_room"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="corpus_schedule_ends_after_start"),
            models.CheckConstraint(condition=Q(seats__gte=1) & Q(seats__lte=500), name="corpus_schedule_seats"),
        ]


class UpperCaseField(models.CharField):
    """A custom field that subclasses a built-in one."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value.upper() if value else value


class Everything(models.Model):
    """Every built-in field type, plus defaults, db defaults and generated columns."""

    big = models.BigIntegerField()
    small = models.SmallIntegerField()
    positive = models.PositiveIntegerField()
    positive_small = models.PositiveSmallIntegerField()
    positive_big = models.PositiveBigIntegerField()
    flag = models.BooleanField()
    maybe = models.BooleanField(null=True)
    char = models.CharField(max_length=5)
    text = models.TextField()
    slug = models.SlugField()
    email = models.EmailField()
    url = models.URLField()
    ip = models.GenericIPAddressField()
    ipv6 = models.GenericIPAddressField(protocol="IPv6", null=True)
    day = models.DateField()
    moment = models.DateTimeField()
    clock = models.TimeField()
    duration = models.DurationField()
    ratio = models.FloatField()
    price = models.DecimalField(max_digits=6, decimal_places=2)
    token = models.UUIDField()
    payload = models.JSONField()
    blob = models.BinaryField()
    attachment = models.FileField(upload_to="attachments/%Y")
    path = models.FilePathField(path="/tmp", blank=True)
    shout = UpperCaseField(max_length=20)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    counter = models.IntegerField(default=0)
    stamped = models.DateTimeField(db_default=Now())
    doubled = models.GeneratedField(expression=F("counter") * 2, output_field=models.BigIntegerField(), db_persist=True)


class Release(models.Model):
    """A composite primary key (Django 5.2)."""

    pk = models.CompositePrimaryKey("product", "version")
    product = models.CharField(max_length=30)
    version = models.PositiveIntegerField()
    notes = models.TextField(blank=True)


class ReleaseNote(models.Model):
    """A relation over two columns (ForeignObject), onto the composite key."""

    product = models.CharField(max_length=30)
    version = models.PositiveIntegerField()
    release = models.ForeignObject(
        Release,
        on_delete=models.CASCADE,
        from_fields=["product", "version"],
        to_fields=["product", "version"],
    )
    text = models.TextField()


class Colour(models.Field):
    """A custom field with no built-in base: it says what column it needs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def get_internal_type(self):
        return "CharField"

    def db_type(self, connection):
        return f"varchar({self.max_length})"


class Swatch(models.Model):
    colour = Colour()
    name = models.CharField(max_length=40)
