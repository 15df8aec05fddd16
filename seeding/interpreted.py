"""
Values that the application interprets rather than shows: a dotted Python
path or a class name it imports, a language code it activates, a file it
opens, a registry's key it looks up, a state it compares. Any text passes the
database; only these keep the pages that read them working.
"""

import re
import zlib
from struct import pack

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models

from .conf import choice_key
from .listed import listed_values
from .columns import Column
from .text import File
from .values import Choices, Constant

#: What interpreted_column() returns for a field that is best left empty:
#: the engine then writes its default, or NULL.
EMPTY = object()

#: Names of text fields that hold a Python class or a dotted path to import.
DOTTED = re.compile(r"^(.+_class|class_name|.+_path)$", re.I)
#: Names of text fields that hold a language or locale code.
LANGUAGE = re.compile(r"^(language|lang|locale)(_code)?$", re.I)
#: Names of text fields that hold a state the application compares with
#: constants of its own ("Open", "Suspended").
STATE = re.compile(r"^(status|state)$", re.I)
#: Files made per file field, which its rows share.
FILES = 8


def interpreted_column(field, context, base):
    """
    The column that gives ``field`` values the application can use, EMPTY
    when it is best left empty, None when nothing here applies. ``base`` is
    the built-in field class it behaves as.
    """
    declared = context.choices.get(choice_key(field))
    if declared is not None:
        return Choices(field, context, declared)
    if field.choices or base is None or listed_values(field) is not None:
        return None  # The schema lists its values.
    if issubclass(base, models.FileField):
        return StoredFile(field, context)
    if base not in (models.CharField, models.TextField):
        return None
    if DOTTED.match(field.name):
        # A path that imports nothing is a server error; none is "unset".
        if field.null or field.has_default():
            return EMPTY
        if field.blank and not field.unique:
            return Constant(field, context, "")
    if STATE.match(field.name) and field.has_default() and not field.unique:
        # Text that matches none of its constants is a state no page expects;
        # the default is the one value the schema names.
        return EMPTY
    if LANGUAGE.match(field.name):
        codes = [code for code, _ in settings.LANGUAGES]
        codes = [c for c in codes if not field.max_length or len(c) <= field.max_length]
        if codes:
            return Choices(field, context, codes)
    return None


class StoredFile(Column):
    """
    Names of files that exist in the field's storage (MEDIA_ROOT unless the
    field says otherwise), made on first use: a small PNG for an image field,
    a line of text for other files. Rows share a few; a unique field gets one
    file per row.
    """

    def __init__(self, field, context):
        super().__init__(field, context)
        self.prefix = File(field, context).prefix
        self.image = isinstance(field, models.ImageField)
        self.made = {}

    def sample(self, rng, n):
        return [self.nth(rng, rng.randrange(FILES)) for _ in range(n)]

    def nth(self, rng, index):
        if index not in self.made:
            self.made[index] = self._make(index)
        return self.made[index]

    def _make(self, index):
        name = f"seed-{index}.{'png' if self.image else 'txt'}"
        if self.prefix and len(self.prefix) + len(name) < (self.field.max_length or 255):
            name = f"{self.prefix}/{name}"
        storage = self.field.storage
        if not storage.exists(name):
            name = storage.save(name, ContentFile(self._content(index)))
        return name

    def _content(self, index):
        if self.image:
            return tiny_png(index)
        return f"File {index} of {self.field.model._meta.label}.{self.field.name}\n".encode()


def tiny_png(index, size=8):
    """A size x size PNG of one colour, which ``index`` picks."""
    colour = bytes(((index * 73) % 256, (index * 151) % 256, (index * 211) % 256))
    raw = b"".join(b"\x00" + colour * size for _ in range(size))

    def chunk(kind, data):
        body = kind + data
        return pack(">I", len(data)) + body + pack(">I", zlib.crc32(body))

    header = pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
