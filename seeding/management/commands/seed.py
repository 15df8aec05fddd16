import secrets
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from seeding import engine
from seeding.conf import get_config
from seeding.exceptions import SeedingError
from seeding.introspection import count_rows
from seeding.plan import build_plan, parse_counts
from seeding.safety import exclusive, refuse_production
from seeding.skips import skip_table


class Command(BaseCommand):
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
        seed = (
            options["seed"]
            if options["seed"] is not None
            else secrets.randbelow(1_000_000)
        )
        try:
            config = get_config()
            refuse_production(config, alias, options["allow_production"])
            counts = parse_counts(options["count"])
            if options["migrate"] and not options["plan"]:
                self.migrate(alias)
            plan_options = dict(
                seed=seed,
                scale=options["scale"],
                counts=counts,
                only=options["only"],
                exclude=options["exclude"],
                top_up=options["top_up"],
                strict=options["strict"],
            )
            if options["plan"]:
                plan = build_plan(alias, config, **plan_options)
                self.print_plan(plan)
                if plan.problems:
                    raise CommandError(
                        f"The plan cannot run: {len(plan.problems)} problem(s)."
                    )
                self.refuse_skips(plan.skipped, "would skip")
                return
            # Plan under the lock, from the rows another run may just have
            # added; purge in the seed's transaction, so that a failure keeps
            # the rows --fresh would have removed.
            with exclusive(alias), transaction.atomic(using=alias):
                if options["fresh"]:
                    self.purge(alias, config, options)
                plan = build_plan(alias, config, **plan_options)
                if plan.problems:
                    raise CommandError(
                        "The plan cannot run:\n  " + "\n  ".join(plan.problems)
                    )
                self.log(
                    f"Seeding database '{alias}' with seed {seed} at scale {options['scale']:g}."
                )
                self.warn_about_password(config.password)
                inserted = engine.seed(plan, Progress(self), strict=options["strict"])
                if options["superuser"]:
                    self.create_superuser(alias, config, options["superuser"])
        except SeedingError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(inserted.values())
        self.log(
            self.style.SUCCESS(
                f"Seeded {total:,} rows into {sum(1 for n in inserted.values() if n)} tables (seed {seed})."
            )
        )
        self.refuse_skips(plan.skipped, "skipped")

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

    def purge(self, alias, config, options):
        from seeding import purge

        models = purge.purge_models(
            alias, config, only=options["only"], exclude=options["exclude"]
        )
        rows = sum(count_rows(alias, models).values())
        if options["interactive"] and rows:
            answer = input(
                f"--fresh deletes {rows:,} rows from {len(models)} tables of database "
                f"'{alias}'. Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                raise CommandError("Seeding cancelled.")
        # MySQL's TRUNCATE commits; there DELETE stays in the transaction.
        truncate = connections[alias].features.can_rollback_ddl
        purge.purge(alias, models, truncate=truncate)
        self.log(f"Purged {rows:,} rows.")

    def create_superuser(self, alias, config, username):
        from django.contrib.auth import get_user_model

        if not config.password:
            raise CommandError(
                "--superuser needs SEED_PASSWORD (or SEEDING['PASSWORD']) to be set."
            )
        User = get_user_model()
        manager = User._default_manager.db_manager(alias)
        if manager.filter(**{User.USERNAME_FIELD: username}).exists():
            self.log(f"Superuser {username!r} exists already.")
            return
        fields = {User.USERNAME_FIELD: username, "password": config.password}
        if User.EMAIL_FIELD and User.EMAIL_FIELD != User.USERNAME_FIELD:
            fields[User.EMAIL_FIELD] = f"{username}@example.com"
        manager.create_superuser(**fields)
        self.log(f"Created superuser {username!r} with the seed password.")

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
            (m._meta.label, t.value) for m, t in plan.treatments.items() if not t.seeded
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
