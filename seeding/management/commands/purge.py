from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

import seeding
from seeding.exceptions import Cancelled
from seeding.management.base import SeedingCommand


class Command(SeedingCommand):
    help = (
        "Empties the tables that seed fills, children before parents, in one "
        "transaction. The migrations table is never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells Django to NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to purge. Defaults to the "default" database.',
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="LABEL",
            help=(
                "An app_label or app_label.ModelName to purge, with the tables "
                "that point into it. Can be used multiple times."
            ),
        )
        parser.add_argument(
            "-e",
            "--exclude",
            action="append",
            default=[],
            help=(
                "An app_label or app_label.ModelName to keep. Can be used "
                "multiple times."
            ),
        )
        parser.add_argument(
            "--truncate",
            action="store_true",
            help=(
                "Use the backend's fast path (TRUNCATE) and restart ids at 1. "
                "On MySQL/MariaDB it cannot be rolled back."
            ),
        )
        parser.add_argument(
            "--include-framework",
            action="store_true",
            help="Also purge content types, permissions, sessions and the admin log.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though settings mark the database as production.",
        )

    def handle(self, **options):
        alias = options["database"]
        if alias not in connections:
            raise CommandError(f"Unknown database '{alias}'.")
        if options["truncate"] and not connections[alias].features.can_rollback_ddl:
            self.interrupted = "Interrupted: tables truncated before it stay empty."
        confirm = self.confirm(alias) if options["interactive"] else None
        try:
            purged = seeding.purge(
                alias,
                only=options["only"],
                exclude=options["exclude"],
                truncate=options["truncate"],
                include_framework=options["include_framework"],
                allow_production=options["allow_production"],
                confirm=confirm,
            )
        except Cancelled as exc:
            self.stdout.write(str(exc))
            return
        if options["verbosity"] >= 2:
            for model, count in purged.items():
                self.stdout.write(f"  {model._meta.db_table}: {count:,} rows")
        if options["verbosity"] >= 1:
            rows, tables = sum(purged.values()), len(purged)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Purged {rows:,} rows from {tables} tables of database '{alias}'."
                )
            )

    def confirm(self, alias):
        name = connections[alias].settings_dict["NAME"]

        def confirm(rows, tables):
            answer = self.ask(
                f"You have requested a purge of database '{alias}' ({name}).\n"
                f"This will IRREVERSIBLY DESTROY {rows:,} rows in {tables} tables.\n"
                "Are you sure you want to do this?\n\n"
                "    Type 'yes' to continue, or 'no' to cancel: "
            )
            return answer == "yes"

        return confirm
