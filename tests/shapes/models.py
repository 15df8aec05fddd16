"""
Shapes of real projects that once broke a default ``seed`` (one minimal set of
models each). tests/test_shapes.py seeds them on every database.
"""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from treebeard.mp_tree import MP_Node

from project.school.models import User

# -- multi-table inheritance under unique parent columns -----------------------


class Person(models.Model):
    name = models.CharField(max_length=60, unique=True)


class Spy(Person):
    codename = models.CharField(max_length=30)


class Contact(models.Model):
    email = models.EmailField(unique=True)


class Member(Contact):
    nickname = models.CharField(max_length=30)


class Officer(Member):
    rank = models.CharField(max_length=30)


class PageUser(User):
    """A parent from another app: the project's user model."""

    bio = models.TextField(blank=True)


class PageUserGroup(Group):
    """A contrib parent: auth.Group's name is unique."""

    note = models.CharField(max_length=40)


class Slot(models.Model):
    day = models.PositiveSmallIntegerField(choices=[(d, str(d)) for d in range(1, 8)])
    room = models.CharField(max_length=8, choices=[("a", "A"), ("b", "B"), ("c", "C")])

    class Meta:
        unique_together = [("day", "room")]


class Lecture(Slot):
    topic = models.CharField(max_length=40)


class Badge(models.Model):
    person = models.OneToOneField(Person, models.CASCADE)


class GoldBadge(Badge):
    carats = models.PositiveSmallIntegerField()


class Folder(MP_Node):
    label = models.CharField(max_length=30)


class SubFolder(Folder):
    colour = models.CharField(max_length=20)


# -- content types that name the row's own class -------------------------------


class Page(models.Model):
    """A CMS page tree's base: each row names the class it was created as."""

    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    title = models.CharField(max_length=60)


class BlogPage(Page):
    intro = models.TextField()


class EventPage(Page):
    starts_at = models.DateTimeField()


class Asset(models.Model):
    """No subclass yet, but save() says what the key means."""

    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    name = models.CharField(max_length=40)

    def save(self, *args, **kwargs):
        if not self.content_type_id:
            self.content_type = ContentType.objects.get_for_model(self)
        super().save(*args, **kwargs)


class Bookmark(models.Model):
    """A generic relation's content type names its target, not the row."""

    content_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey()


class PinnedBookmark(Bookmark):
    position = models.PositiveSmallIntegerField()


# -- a materialised path beside a parent key -----------------------------------


class Category(MP_Node):
    """A tree kept twice, as django CMS's TreeNode keeps it."""

    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=40)


# -- a table a database trigger fills (migration 0003) ------------------------


class Article(models.Model):
    title = models.CharField(max_length=80)


class ArticleIndex(models.Model):
    """One row per article, inserted by a trigger when the article is."""

    article = models.OneToOneField(
        Article, models.CASCADE, primary_key=True, related_name="index"
    )
    words = models.TextField()


# -- a model the database refuses (migration 0003), and its neighbours ---------


class Fragile(models.Model):
    """A trigger rejects every row: a rule the schema does not show."""

    code = models.CharField(max_length=20)


class FragileNote(models.Model):
    fragile = models.ForeignKey(Fragile, models.CASCADE)
    text = models.TextField()


class Sturdy(models.Model):
    name = models.CharField(max_length=40)


class Opaque(models.Field):
    """A field of a kind seeding cannot know: no built-in field it extends."""

    def db_type(self, connection):
        return "varchar(20)"


class Sealed(models.Model):
    token = Opaque()


class SealedNote(models.Model):
    sealed = models.ForeignKey(Sealed, models.CASCADE)


# -- values the application interprets ------------------------------------------


class Plugin(models.Model):
    proxy_class = models.CharField(max_length=200, blank=True)
    handler_path = models.CharField(max_length=200, null=True)
    renderer_class = models.CharField(max_length=200, blank=True, default="")
    language = models.CharField(max_length=15)
    locale = models.CharField(max_length=10, blank=True)
    #: Keys of a registry the application keeps in Python (SEEDING['CHOICES']).
    plugin_type = models.CharField(max_length=50)
    attachment = models.FileField(upload_to="attachments/%Y")
    picture = models.ImageField(upload_to="pictures", blank=True)


# -- JSON the application parses into objects of its own -------------------------


class Blocks(models.JSONField):
    """A list of typed blocks, as a CMS's stream field reads its JSON: any
    other JSON passes the database but breaks every page that loads the row."""

    def to_python(self, value):
        if not isinstance(value, list) or not all(
            isinstance(block, dict) and "type" in block for block in value
        ):
            raise TypeError(f"Cannot handle {value!r} as a list of blocks")
        return value

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return value if value is None else self.to_python(value)

    def get_default(self):
        # No blocks, rather than NULL, when the field declares no default.
        return super().get_default() if self.has_default() or self.null else []


class Story(models.Model):
    title = models.CharField(max_length=60)
    body = Blocks(blank=True)
    aside = Blocks(blank=True, null=True)
