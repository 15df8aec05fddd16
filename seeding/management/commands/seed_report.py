import json
import os
import textwrap

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from seeding.conf import get_config
from seeding.exceptions import one_line
from seeding.management.base import SeedingCommand
from seeding.report import broken_in, build_report, to_dot, to_mermaid

WIDTH = 88


def example(value):
    """A primary key as is; a repeated set of values in parentheses."""
    if isinstance(value, list):
        return "(%s)" % ", ".join(map(str, value))
    return str(value)


class Command(SeedingCommand):
    help = (
        "Reports the rows in each table, how seed treats each model, the foreign "
        "key graph, keys and rules the rows break, and the seed modules' checks. "
        "It never writes to the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help=(
                'Nominates a database to report on. Defaults to the "default" database.'
            ),
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="app_label[.Model]",
            help="Report only on these apps or models. Can be used multiple times.",
        )
        parser.add_argument(
            "-e",
            "--exclude",
            action="append",
            default=[],
            metavar="app_label[.Model]",
            help=(
                "An app_label or app_label.ModelName to leave out. Can be used "
                "multiple times."
            ),
        )
        self.add_output_arguments(parser)

    def add_output_arguments(self, parser):
        """What the report writes, and how it runs its checks."""
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help=(
                "text for people (the default), or json as described by "
                "docs/report-schema.json."
            ),
        )
        parser.add_argument(
            "--graph",
            metavar="FILE",
            help=(
                "Also write the foreign key graph to FILE: Mermaid if it ends "
                "with .mmd, Graphviz DOT otherwise."
            ),
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(4, os.cpu_count() or 1),
            metavar="N",
            help=(
                "Run the integrity and domain checks on N connections at once "
                "(default: one per CPU, at most 4)."
            ),
        )
        parser.add_argument(
            "--fail-on",
            choices=["never", "problems"],
            default="never",
            help=(
                "problems: exit with status 1 if a key, unique rule or check "
                "constraint is broken or a domain check fails (for CI)."
            ),
        )

    def handle(self, **options):
        alias = options["database"]
        if alias not in connections:
            raise CommandError(f"Unknown database {alias!r}.")
        self.verbosity = options["verbosity"]
        graph = options["graph"]
        folder = os.path.dirname(os.path.abspath(graph)) if graph else None
        if graph and not os.path.isdir(folder):
            # Refused before the report runs, which may take a while.
            raise CommandError(
                f"Cannot write the graph to {graph}: folder {folder} does not exist."
            )
        if options["jobs"] < 1:
            raise CommandError(f"--jobs takes a number from 1 up, not {options['jobs']}.")
        try:
            report = build_report(
                alias,
                get_config(),
                only=options["only"],
                exclude=options["exclude"],
                workers=options["jobs"],
            )
        except DatabaseError as exc:
            raise CommandError(f"Cannot read database {alias!r}: {one_line(exc)}") from exc
        if graph:
            self.write_graph_file(report.graph, graph)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.write_text(report)
        if options["fail_on"] == "problems" and report.problems:
            raise CommandError(
                f"{report.problems} problem(s) found in database {alias!r}.",
                returncode=1,
            )

    def write_graph_file(self, graph, path):
        text = to_mermaid(graph) if path.endswith(".mmd") else to_dot(graph)
        try:
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
        except OSError as exc:
            raise CommandError(
                f"Cannot write the graph to {path}: {exc.strerror}."
            ) from exc

    # Text output: every section at verbosity 1, each rule checked at 2; at 0
    # only what is wrong.

    def write_text(self, report):
        if self.verbosity >= 1:
            self.stdout.write(
                self.style.MIGRATE_HEADING(
                    f"Database {report.using!r} ({report.vendor})"
                )
            )
            self.write_tables(report)
            self.write_coverage(report)
            self.write_graph(report)
        self.write_integrity(report.integrity)
        self.write_checks(report.checks)
        if self.verbosity >= 1:
            self.stdout.write("")
            if report.problems:
                self.stdout.write(
                    self.style.ERROR(f"{report.problems} problem(s) found.")
                )
            else:
                self.stdout.write(self.style.SUCCESS("No problems found."))

    def heading(self, text):
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{text}:"))

    def write_tables(self, report):
        self.heading("Rows per table")
        labels = max((len(t.model._meta.label) for t in report.tables), default=5)
        tables = max((len(t.model._meta.db_table) for t in report.tables), default=5)
        name = labels + tables + 4
        for app, rows, counts in report.apps():
            self.stdout.write(self.style.MIGRATE_LABEL(f"  {app:<{name}}{rows:>14,}"))
            for count in counts:
                meta = count.model._meta
                rows = "no table" if count.rows is None else f"{count.rows:,}"
                line = (
                    f"    {meta.label:<{labels}}  {meta.db_table:<{tables}}{rows:>14}"
                )
                self.stdout.write(
                    line if count.rows is not None else self.style.WARNING(line)
                )
        self.stdout.write(
            self.style.MIGRATE_LABEL(f"  {'Total':<{name}}{report.rows:>14,}")
        )

    def write_coverage(self, report):
        self.heading("Coverage by seed")
        labels = max((len(c.model._meta.label) for c in report.coverage), default=5)
        for entry in report.coverage:
            treatment = entry.treatment.value
            name = entry.model._meta.label
            line = f"  {name:<{labels}}  {treatment:<14}  {entry.reason}"
            self.stdout.write(
                line if entry.treatment.seeded else self.style.NOTICE(line)
            )
            if entry.skipped is not None:
                skip = entry.skipped
                self.stdout.write(
                    self.style.WARNING(
                        f"  {'':<{labels}}  seed skips it: {skip.reason} (fix: {skip.fix})"
                    )
                )

    def write_graph(self, report):
        graph = report.graph
        self.heading("Dependency order")
        for number, layer in enumerate(graph.layers(), 1):
            names = ", ".join(m._meta.label for m in layer)
            self.stdout.write(
                textwrap.fill(
                    names,
                    WIDTH,
                    initial_indent=f"  {number:3}. ",
                    subsequent_indent=" " * 7,
                    break_on_hyphens=False,
                )
            )
        for members in report.cycles:
            names = ", ".join(m._meta.label for m in members)
            self.stdout.write(f"  Cycle: {names}")
            for edge in broken_in(graph, members):
                self.stdout.write(self.style.NOTICE(f"    broken at {edge}"))
        for field in graph.self_references:
            self.stdout.write(
                f"  Self-reference: {field.model._meta.label}.{field.name}"
            )
        if self.verbosity >= 2:
            self.heading("Foreign keys")
            broken = set(graph.forward)
            for edge in graph.edges:
                if not edge.soft:
                    self.stdout.write(
                        "  %s%s" % (edge, "  (broken)" if edge in broken else "")
                    )

    def write_integrity(self, integrity):
        if self.verbosity >= 1:
            self.heading("Integrity")
        sections = [
            ("Keys", integrity.relations, "orphan row(s)", "rows"),
            ("Unique rules", integrity.unique, "repeated value(s)", "groups"),
            ("Check constraints", integrity.check_constraints, "row(s)", "rows"),
        ]
        for title, findings, unit, attribute in sections:
            broken = [f for f in findings if f.problem]
            if self.verbosity >= 1:
                summary = "  %-18s%5d checked, %d broken" % (
                    title,
                    len(findings),
                    len(broken),
                )
                self.stdout.write(self.style.ERROR(summary) if broken else summary)
            for finding in findings:
                if finding.problem:
                    outcome = self.outcome(finding, unit, attribute)
                    self.stdout.write(self.style.ERROR(f"    {finding}: {outcome}"))
                elif self.verbosity >= 2:
                    self.stdout.write(f"    {finding}: OK")
        database = integrity.database
        if database.message is not None:
            self.stdout.write(
                self.style.ERROR(f"  {'Database check':<18}failed: {database.message}")
            )
        elif self.verbosity >= 1:
            outcome = (
                "passed" if database.available else "not available on this backend"
            )
            self.stdout.write(f"  {'Database check':<18}{outcome}")

    def outcome(self, finding, unit, attribute):
        if finding.error is not None:
            return f"could not be checked: {finding.error}"
        text = "{:,} {}".format(getattr(finding, attribute), unit)
        spread = getattr(finding, "content_types", [])
        if spread:
            text += " (%s)" % ", ".join("%s: %s" % pair for pair in spread)
        if finding.examples:
            text += ", e.g. " + ", ".join(map(example, finding.examples))
        return text

    def write_checks(self, results):
        if self.verbosity >= 1:
            self.heading("Domain checks")
            if not results:
                self.stdout.write("  None registered.")
        styles = {
            "pass": self.style.SUCCESS,
            "fail": self.style.ERROR,
            "error": self.style.WARNING,
        }
        for result in results:
            if result.status == "pass" and self.verbosity < 1:
                continue
            check = result.check
            status = result.status.upper()
            line = f"  {status:<5}  {check.name}: {check.description}"
            if result.status == "fail":
                examples = ", ".join(map(example, result.examples))
                line += f" ({result.rows:,} row(s), e.g. {examples})"
            elif result.status == "error":
                line += f" (raised {result.error})"
            self.stdout.write(styles[result.status](line))
