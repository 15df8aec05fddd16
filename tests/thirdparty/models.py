"""
Models built on the third-party libraries that ship only abstract models, the
way a project uses them: trees, polymorphic inheritance, ordered rows, tags,
history, comments and object permissions on its own rows.
"""

from django.db import models
from mptt.models import MPTTModel, TreeForeignKey
from ordered_model.models import OrderedModel
from polymorphic.models import PolymorphicModel
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from treebeard.al_tree import AL_Node
from treebeard.mp_tree import MP_Node
from treebeard.ns_tree import NS_Node


class Genre(MPTTModel):
    """A django-mptt tree."""

    name = models.CharField(max_length=50, unique=True)
    parent = TreeForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )


class Shelf(MP_Node):
    """A django-treebeard materialized-path tree."""

    name = models.CharField(max_length=50)


class Section(NS_Node):
    """A django-treebeard nested-sets tree."""

    name = models.CharField(max_length=50)


class Topic(AL_Node):
    """A django-treebeard adjacency-list tree."""

    name = models.CharField(max_length=50)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    sib_order = models.PositiveIntegerField()


class Item(PolymorphicModel):
    """A django-polymorphic base; its children are multi-table."""

    title = models.CharField(max_length=100)
    genre = models.ForeignKey(Genre, null=True, blank=True, on_delete=models.SET_NULL)
    tags = TaggableManager(blank=True)
    history = HistoricalRecords()


class Book(Item):
    isbn = models.CharField(max_length=13, unique=True)
    pages = models.PositiveIntegerField()


class Film(Item):
    minutes = models.PositiveIntegerField()


class Chapter(OrderedModel):
    """django-ordered-model rows, ordered within their book."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="chapters")
    title = models.CharField(max_length=100)
    order_with_respect_to = "book"

    class Meta(OrderedModel.Meta):
        pass
