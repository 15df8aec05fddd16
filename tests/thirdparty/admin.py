"""
The admin of the third-party models, written the way each library's
documentation asks: its own ModelAdmin for trees, polymorphic families,
ordered rows, history, versions and object permissions.
"""

from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from mptt.admin import DraggableMPTTAdmin
from ordered_model.admin import OrderedModelAdmin
from polymorphic.admin import PolymorphicChildModelAdmin, PolymorphicParentModelAdmin
from reversion.admin import VersionAdmin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Book, Chapter, Film, Genre, Item, Section, Shelf, Topic


@admin.register(Genre)
class GenreAdmin(DraggableMPTTAdmin):
    pass


@admin.register(Shelf, Section, Topic)
class TreebeardAdmin(TreeAdmin):
    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = movenodeform_factory(self.model)
        return super().get_form(request, obj, **kwargs)


class ItemChildAdmin(PolymorphicChildModelAdmin, SimpleHistoryAdmin):
    base_model = Item


@admin.register(Book)
class BookAdmin(ItemChildAdmin, GuardedModelAdmin):
    pass


@admin.register(Film)
class FilmAdmin(ItemChildAdmin, VersionAdmin):
    pass


@admin.register(Item)
class ItemAdmin(PolymorphicParentModelAdmin):
    base_model = Item
    child_models = (Book, Film)


@admin.register(Chapter)
class ChapterAdmin(OrderedModelAdmin):
    list_display = ("title", "book", "move_up_down_links")
