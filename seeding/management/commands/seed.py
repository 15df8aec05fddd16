import secrets
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

import seeding
from seeding import engine
from seeding.api import count_rows_decided
from seeding.conf import get_config
from seeding.exceptions import PlanError
from seeding.management.base import SeedingCommand, plan_refusal
from seeding.introspection import NO_TABLE, Treatment
from seeding.plan import build_plan, parse_counts
from seeding.safety import refuse_production
from seeding.skips import skip_table


class Command(SeedingCommand):
    help = (
        "Fill the database with realistic fake rows for every installed model, "
        "in foreign-key order, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            help="The random seed; the same seed gives the same data. Default: a new one, printed.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every default count by this factor.",
        )
        parser.add_argument(
            "--count",
            action="append",
            default=[],
            metavar="app_label.Model=N",
            help="Rows for one model. Can be used multiple times.",
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="app_label[.Model]",
            help="Seed only these apps or models (and what they need). Can be used multiple times.",
        )
        parser.add_argument(
            "-e",
            "--exclude",
            action="append",
            default=[],
            metavar="app_label[.Model]",
            help="An app_label or app_label.ModelName to leave alone. Can be used multiple times.",
        )
        self.add_run_arguments(parser)

    def add_run_arguments(self, parser):
        """How the run goes, beside what it seeds."""
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to seed. Defaults to the "default" database.',
        )
        parser.add_argument(
            "--plan",
            action="store_true",
            help="Print the plan and stop without writing; exit non-zero if it cannot run.",
        )
        parser.add_argument(
            "--no-migrate",
            action="store_false",
            dest="migrate",
            help="Do not apply pending migrations first.",
        )
        parser.add_argument(
            "--top-up",
            action="store_true",
            help="Make each model reach its count without exceeding it.",
        )
        parser.add_argument(
            "--fresh", action="store_true", help="Purge the seeded tables first."
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells Django to NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though settings mark the database as production.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="All or nothing: stop at the first model that cannot be seeded, "
            "rather than skip it and the models that need it.",
        )
        parser.add_argument(
            "--superuser",
            metavar="USERNAME",
            help="Also create a superuser with the configured seed password.",
        )

    def handle(self, **options):
        alias = options["database"]
        if alias not in connections:
            raise CommandError(f"Unknown database {alias!r}.")
        self.verbosity = options["verbosity"]
        selection = dict(
            only=options["only"], exclude=options["exclude"], top_up=options["top_up"]
        )
        try:
            counts = parse_counts(options["count"])
            if options["plan"]:
                return self.plan(alias, options, counts, selection)
            if options["migrate"]:
                refuse_production(get_config(), alias, options["allow_production"])
                self.migrate(alias)
            confirm = self.confirm_fresh(alias) if options["interactive"] else None
            result = seeding.seed(
                alias,
                seed=options["seed"],
                scale=options["scale"],
                counts=counts,
                fresh=options["fresh"],
                allow_production=options["allow_production"],
                superuser=options["superuser"],
                strict=options["strict"],
                confirm=confirm,
                reporter=Progress(self),
                **selection,
            )
        except PlanError as exc:
            raise CommandError(plan_refusal(exc.problems)) from exc
        if result.superuser_created is not None:
            name = options["superuser"]
            self.log(
                f"Created superuser {name!r} with the seed password."
                if result.superuser_created
                else f"Superuser {name!r} exists already."
            )
        self.log(
            self.style.SUCCESS(
                f"Seeded {result.rows:,} rows into {result.tables} tables (seed {result.seed})."
            )
        )
        self.refuse_skips(result.plan.skipped, "skipped")

    def refuse_skips(self, skips, verb):
        """List the models left out, why, and their fixes; exit non-zero."""
        if not skips:
            return
        self.stderr.write(self.style.WARNING(f"Models {verb}, and why:"))
        for line in skip_table(skips):
            self.stderr.write(line)
        labels = ", ".join(skip.label for skip in skips[:5])
        more = f" and {len(skips) - 5} more" if len(skips) > 5 else ""
        raise CommandError(
            f"{len(skips)} model(s) {verb} ({labels}{more}); the others were "
            f"{'planned' if verb == 'would skip' else 'seeded'}.",
            returncode=1,
        )

    def plan(self, alias, options, counts, selection):
        """Print the plan; raise CommandError when it cannot run."""
        # A plan writes nothing: production may be shown its plan.
        config = get_config()
        seed = options["seed"]
        if seed is None:
            seed = secrets.randbelow(1_000_000)
        plan = build_plan(
            alias,
            config,
            seed=seed,
            scale=options["scale"],
            counts=counts,
            strict=options["strict"],
            **selection,
        )
        count_rows_decided(plan)
        self.print_plan(plan)
        if plan.problems:
            raise CommandError(f"The plan cannot run: {len(plan.problems)} problem(s).")
        self.refuse_skips(plan.skipped, "would skip")

    def confirm_fresh(self, alias):
        def confirm(rows, tables):
            answer = self.ask(
                f"--fresh deletes {rows:,} rows from {tables} tables of database "
                f"'{alias}'. Type 'yes' to continue, or 'no' to cancel: "
            )
            return answer == "yes"

        return confirm

    def warn_about_password(self, password):
        if self.verbosity < 1:
            return
        if not password:
            self.stderr.write(
                self.style.WARNING(
                    "SEED_PASSWORD is not set: seeded users get unusable passwords. "
                    "Set it in the environment or .env to log in as them."
                )
            )
            return
        try:
            validate_password(password)
        except ValidationError as exc:
            # The validators' messages describe the password, never quote it.
            self.stderr.write(
                self.style.WARNING(
                    "SEED_PASSWORD fails AUTH_PASSWORD_VALIDATORS: "
                    + " ".join(exc.messages)
                )
            )

    def log(self, message, level=1):
        if self.verbosity >= level:
            self.stdout.write(message)

    def migrate(self, alias):
        connection = connections[alias]
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as exc:
            # Driver messages run over several lines; keep the error to one.
            message = " ".join(str(exc).split())
            raise CommandError(f"Cannot reach database '{alias}': {message}") from exc
        if pending:
            self.log(
                f"Applying {len(pending)} pending migration(s) first (--no-migrate skips this)."
            )
            call_command(
                "migrate",
                database=alias,
                interactive=False,
                verbosity=max(0, self.verbosity - 1),
                stdout=self.stdout,
            )

    def print_plan(self, plan):
        write = self.stdout.write
        write(
            self.style.MIGRATE_HEADING(
                f"Plan for database '{plan.using}' (seed {plan.seed}, scale {plan.scale:g}):"
            )
        )
        width = max((len(s.label) for s in plan.steps), default=10)
        for number, step in enumerate(plan.steps, 1):
            count = "rows()" if step.count is None else f"{step.count:,}"
            line = f"{number:4}. {step.label:<{width}}  {step.treatment.value:<10}  {count:>9} rows"
            if step.existing:
                line += f"  (+{step.existing:,} existing)"
            write(line)
            for note in step.notes:
                write(self.style.NOTICE(f"        {note}"))
        if plan.graph is not None:
            for edge in plan.graph.forward:
                how = (
                    "NULL, then back-filled"
                    if edge.nullable
                    else "keys assigned before the target's rows"
                )
                write(f"  cycle broken at {edge}: {how}")
            for field in plan.graph.self_references:
                write(
                    f"  self-reference {field.model._meta.label}.{field.name}: points at earlier rows"
                )
        skipped = sorted(
            (m._meta.label, f"{t.value}: {NO_TABLE}" if t is Treatment.UNSUPPORTED else t.value)
            for m, t in plan.treatments.items()
            if not t.seeded
        )
        if skipped and self.verbosity >= 2:
            write(self.style.MIGRATE_HEADING("Not seeded:"))
            for label, why in skipped:
                write(f"  {label}: {why}")
        for caution in plan.cautions:
            write(self.style.WARNING(f"  caution: {caution}"))
        for problem in plan.problems:
            write(self.style.ERROR(f"  problem: {problem}"))
        if not plan.problems:
            write(self.style.SUCCESS("The plan can run."))


class Progress(engine.Reporter):
    """One line per model; a progress bar while a large model is written."""

    def __init__(self, command):
        self.command = command
        self.bar = None
        self.show_bar = command.verbosity >= 1 and sys.stderr.isatty()

    def purged(self, rows):
        self.command.log(f"Purged {rows:,} rows.")

    def begin(self, plan):
        self.command.log(
            f"Seeding database '{plan.using}' with seed {plan.seed} at scale {plan.scale:g}."
        )
        self.command.warn_about_password(plan.config.password)

    def start(self, step):
        if self.show_bar and (step.count or 0) >= 5000:
            from tqdm import tqdm  # Only when a bar shows: its import costs 10 ms.

            self.bar = tqdm(
                total=step.count, desc=step.label, unit=" rows", leave=False
            )

    def advance(self, step, rows):
        if self.bar is not None:
            self.bar.update(rows)

    def end(self, step, rows, seconds):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        self.command.log(
            f"  {step.label:<36} {rows:>9,} rows  {seconds:6.2f}s",
            level=2 if not rows else 1,
        )
