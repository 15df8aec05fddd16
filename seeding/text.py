"""
Text columns: pools of Faker values, drawn once per field with a Faker seeded
by (seed, model, field) and then sampled, which is what makes them fast (Faker
is slower than the database); distinct values past the pool; the providers
that field names mean.
"""

import datetime
import re
import unicodedata
from functools import cached_property

from django.db import models

from .columns import POOL_SIZE, Column

PERSON_MODELS = re.compile(
    r"user|person|people|student|teacher|guardian|parent|customer|client|author|"
    r"employee|staff|member|contact|profile|patient|owner|account",
    re.I,
)


class Text(Column):
    """Text drawn from a pool of Faker values, cut to max_length."""

    def __init__(self, field, context, provider, separator="-"):
        super().__init__(field, context)
        self.provider = provider
        self.separator = separator
        self.max_length = getattr(field, "max_length", None)

    @cached_property
    def pool(self):
        # Drawn on first use: planning asks columns for their capacity only,
        # which needs no pool unless max_length is a few characters.
        # A short column's capacity is its pool: always draw the full pool,
        # so that the plan (which knows no rows yet) and the run agree on it.
        size = POOL_SIZE if self._short() else None
        pool = self.pool_of(
            self.context, self.field, self.provider, self.max_length, size
        )
        # Past the pool, index i is a pool value + separator + hex(i): a pool
        # value of that shape, for an i the pool does not reach, would repeat
        # it. Dropping one lowers the first index past the pool: check again.
        while True:
            kept = [v for v in pool if not self._shaped_past(v, len(pool))]
            if len(kept) == len(pool):
                return pool
            pool = kept or ["x"]

    @staticmethod
    def pool_of(context, field, provider, max_length=None, size=None):
        faker = context.faker_for(field)
        size = size or context.pool_size(field)
        if provider in COMPOSED:
            drawn = COMPOSED[provider](faker, size)
        elif callable(provider):
            drawn = [provider(faker) for _ in range(size)]
        else:
            make = getattr(faker, provider)
            drawn = [make() for _ in range(size)]
        values = []
        for value in drawn:
            value = str(value)
            if max_length:
                value = value[:max_length].rstrip()
            values.append(value)
        # Distinct, in draw order: the unique suffix scheme relies on it.
        # Distinct as MySQL's default collations compare, too, regardless of
        # case and accents, or "Anna" and "anna" would break a unique rule.
        distinct = {}
        for value in values:
            if value:
                distinct.setdefault(folded(value), value)
        return list(distinct.values()) or ["x"]

    def sample(self, rng, n):
        return rng.choices(self.pool, k=n)

    def distinct(self, rng, start, n):
        pool = self.pool
        size = len(pool)
        if start + n <= size:
            return pool[start : start + n]
        past = self._past_pool
        return pool[start:size] + [past(i) for i in range(max(start, size), start + n)]

    def nth(self, rng, index):
        if index < len(self.pool):
            return self.pool[index]
        return self._past_pool(index)

    def _past_pool(self, index):
        # The suffix encodes the whole index, so values stay distinct even
        # when max_length cuts two pool values to the same prefix.
        pool = self.pool
        return self.decorate(pool[index % len(pool)], f"{self.separator}{index:x}")

    def decorate(self, value, suffix):
        if self.max_length:
            value = value[: self.max_length - len(suffix)]
        return value + suffix

    def _shaped_past(self, value, size):
        """Whether ``value`` reads as the value of an index from ``size`` on:
        it ends in the separator and that index in hex."""
        _, separator, tail = folded(value).rpartition(self.separator)
        if not separator or not tail or not set(tail) <= HEX_DIGITS:
            return False
        index = int(tail, 16)
        return index >= size and tail == f"{index:x}"

    def capacity(self):
        if not self.max_length:
            return None
        if not self._short():
            return self._suffixed()  # No pool is larger: no need to draw one.
        return max(len(self.pool), self._suffixed())

    def _suffixed(self):
        # Past the pool, only indices whose suffix fits in max_length give a
        # value that fits: the suffix is never cut, or values would repeat.
        return 16 ** (self.max_length - len(self.separator))

    def _short(self):
        return bool(self.max_length) and self._suffixed() < POOL_SIZE


def folded(text):
    """``text`` as a case- and accent-insensitive collation compares it."""
    if text.isascii():
        return text.casefold()  # No accents to strip: skip the normalising.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Email(Text):
    """
    Emails; past the pool, the index is a plus address (ann+1ff@example.com).
    The "+" keeps cut values apart: without it, "ann" + "d229" would repeat
    "annd" + "229" once the local part is cut to make room.
    """

    def __init__(self, field, context, provider):
        super().__init__(field, context, provider, separator="+")

    def decorate(self, value, suffix):
        local, _, domain = value.partition("@")
        if not self.max_length:
            return f"{local}{suffix}@{domain}"
        # Cut the local part first, then, in a column too short for a whole
        # address, the domain: the suffix and the "@" always stay.
        local = local[: max(0, self.max_length - len(domain) - len(suffix) - 1)]
        return f"{local}{suffix}@{domain}"[: self.max_length]

    def _shaped_past(self, value, size):
        return super()._shaped_past(value.partition("@")[0], size)


class File(Text):
    def __init__(self, field, context):
        super().__init__(
            field,
            context,
            lambda faker: faker.file_name(
                category="image" if isinstance(field, models.ImageField) else None
            ),
        )
        upload_to = getattr(field, "upload_to", "")
        upload_to = upload_to if isinstance(upload_to, str) else ""
        self.prefix = datetime.date(2000, 1, 1).strftime(upload_to).rstrip("/")

    def sample(self, rng, n):
        return [self.join(v) for v in super().sample(rng, n)]

    def distinct(self, rng, start, n):
        return [self.join(v) for v in super().distinct(rng, start, n)]

    def nth(self, rng, index):
        return self.join(super().nth(rng, index))

    def join(self, name):
        path = f"{self.prefix}/{name}" if self.prefix else name
        return path[-self.max_length :] if self.max_length else path



def _paragraphs(faker, size):
    """
    Faker's paragraphs, one to four of its sentences each, with the sentences
    drawn once for the pool and combined: a paragraph costs a join.
    """
    sentences = [faker.sentence() for _ in range(max(16, size // 2))]
    choices, randint = faker.random.choices, faker.random.randint
    return [" ".join(choices(sentences, k=randint(1, 4))) for _ in range(size)]


#: Providers whose pools are combined from parts, not drawn value by value.
COMPOSED = {"paragraph": _paragraphs}

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HEX_DIGITS = frozenset("0123456789abcdef")


def _code(rng):
    """A reference such as KX-4821-BQ."""
    letters = "".join(rng.choices(LETTERS, k=4))
    return f"{letters[:2]}-{rng.randrange(10000):04}-{letters[2:]}"


#: Field names, or name patterns, and the Faker providers they mean.
TEXT_BY_NAME = [
    (r"first_?name|given_?name|forename", "first_name"),
    (r"last_?name|surname|family_?name", "last_name"),
    (r"full_?name|display_?name|contact_?name", "name"),
    (r"user_?name|login|handle|nick_?name", "user_name"),
    (r"e?mail(_address)?", "email"),
    (r"phone(_number)?|mobile|telephone|tel|fax", "phone_number"),
    (r"city|town", "city"),
    (r"country", "country"),
    (r"state|province|region", "state"),
    (r"(street_)?address(_line_?1)?|street", "street_address"),
    (r"address_line_?2", "secondary_address"),
    (r"zip(_?code)?|post(al)?_?code", "postcode"),
    (r"company|organi[sz]ation|employer|vendor|supplier", "company"),
    (r"job(_title)?|occupation|position", "job"),
    (r"url|website|homepage|link", "url"),
    (r"domain(_name)?|host(name)?", "domain_name"),
    (r"slug", "slug"),
    (r"colou?r", "color_name"),
    (r"currency(_code)?", "currency_code"),
    (r"language|locale|lang", "language_code"),
    (r"iban", "iban"),
    (r"user_?agent", "user_agent"),
    (r"location|place|venue|room", "city"),
    (
        r"title|subject|headline|heading|caption",
        lambda f: f.sentence(nb_words=4).rstrip("."),
    ),
    (
        r"description|body|content|text|notes?|comments?|bio|summary|message|objectives?|details?|remarks?",
        "paragraph",
    ),
    (
        r"reference|ref|code|number|sku|serial(_number)?|token|key",
        lambda f: _code(f.random),
    ),
    (r"password", "password"),
]
TEXT_BY_NAME = [
    (re.compile(rf"^({pattern})$", re.I), provider)
    for pattern, provider in TEXT_BY_NAME
]


def text_provider(field):
    for pattern, provider in TEXT_BY_NAME:
        if pattern.match(field.name):
            return provider
    if field.name == "name" or field.name.endswith("_name"):
        if PERSON_MODELS.search(field.model.__name__):
            return "name"
        return lambda f: (
            f.catch_phrase().split(" ")[-1].capitalize() + " " + f.word().capitalize()
        )
    if isinstance(field, models.TextField):
        return "paragraph"
    if (field.max_length or 0) >= 60:
        return "sentence"
    return "word"




class TextSearch(Text):
    """
    PostgreSQL's tsvector or tsquery in its text form: Faker's words, each
    quoted as a lexeme (a quote doubled, a backslash escaped), so that any
    locale's words parse; a query joins them with ``&``.
    """

    def __init__(self, field, context, joiner):
        super().__init__(field, context, lambda faker: joiner.join(
            _lexeme(word) for word in faker.words(faker.random.randint(2, 8))
        ))


def _lexeme(word):
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
