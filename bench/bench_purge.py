"""
How fast purge empties tables, with DELETE and with --truncate.

Fills four demo tables (users, departments as a tree, conversations, and
messages replying to each other) to ``--rows`` rows each with bulk_create,
then times seeding.emptying.purge() over every table that seed fills, once per
mode, and prints rows per second. The database is DATABASE_URL's, which
must be set and migrated: everything seed fills in it is deleted.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python bench/bench_purge.py
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402


def fill(rows, batch_size):
    """Insert ``rows`` rows in each of four tables; return the rows inserted."""
    from django.db.models import F

    from project.messaging.models import Conversation, Message
    from project.school.models import Department, User

    User.objects.bulk_create(
        (
            User(username=f"user{i}", email=f"user{i}@example.com", password="!")
            for i in range(rows)
        ),
        batch_size=batch_size,
    )
    Department.objects.bulk_create(
        (Department(name=f"Department {i}") for i in range(rows)),
        batch_size=batch_size,
    )
    Conversation.objects.bulk_create(
        (Conversation(subject=f"Conversation {i}") for i in range(rows)),
        batch_size=batch_size,
    )
    users = list(User.objects.values_list("pk", flat=True))
    conversations = list(Conversation.objects.values_list("pk", flat=True))
    Message.objects.bulk_create(
        (
            Message(
                conversation_id=conversations[i],
                sender_id=users[i],
                body="Hello.",
            )
            for i in range(rows)
        ),
        batch_size=batch_size,
    )
    # Chains of self-references, as trees and reply threads have: each row
    # points at the one inserted before it.
    for model, field in ((Department, "parent_id"), (Message, "reply_to_id")):
        first = model.objects.order_by("pk").values_list("pk", flat=True).first()
        model.objects.filter(pk__gt=first).update(**{field: F("pk") - 1})
    return 4 * rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("--rows", type=int, default=100_000, help="rows per table")
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to a throwaway, migrated database")

    django.setup()
    from django.db import DEFAULT_DB_ALIAS, connections

    from seeding.conf import get_config
    from seeding.emptying import purge, purge_models

    alias = DEFAULT_DB_ALIAS
    connection = connections[alias]
    models = purge_models(alias, get_config())
    purge(alias, models, truncate=True)

    version = ".".join(map(str, connection.get_database_version()))
    print(f"{connection.display_name} {version}, {args.rows} rows in each of 4 tables")
    print(f"{'mode':<10}{'rows':>10}{'seconds':>10}{'rows/s':>12}")
    for mode, truncate in (("delete", False), ("truncate", True)):
        inserted = fill(args.rows, args.batch_size)
        started = time.perf_counter()
        removed = sum(purge(alias, models, truncate=truncate).values())
        seconds = time.perf_counter() - started
        assert removed == inserted, (removed, inserted)
        rate = removed / seconds
        print(f"{mode:<10}{removed:>10}{seconds:>10.2f}{rate:>12,.0f}")


if __name__ == "__main__":
    main()
