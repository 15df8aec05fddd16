"""seed_report: what is in the database, what is covered, and what is wrong."""

import json
import shutil
import subprocess
import threading
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection, models
from django.test.utils import CaptureQueriesContext
from model_bakery import baker

from project.audit.models import AuditLog
from project.exams.models import Exam, ExamResult
from project.finance.models import Invoice
from project.school.models import (
    AcademicYear,
    Enrollment,
    SchoolClass,
    Student,
    Subject,
    Teacher,
    Term,
    User,
)
from seeding import constraints, registry
from seeding.conf import get_config
from seeding.integrity import _orphans
from seeding.management.commands import seed_report as seed_report_command
from seeding.registry import Check, Seed, SeedRegistry
from seeding.report import build_report, to_dot, to_mermaid

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "report-schema.json"
MISSING = 999_999


@pytest.fixture
def checks(monkeypatch):
    """The registered domain checks, emptied for the test; append to add one."""
    registry.autodiscover()
    monkeypatch.setattr(registry.site, "checks", [])
    return registry.site.checks


@pytest.fixture
def school(db, checks):
    """A small school whose rows break no rule."""
    year = baker.make(
        AcademicYear, starts_on=date(2024, 9, 1), ends_on=date(2025, 7, 15)
    )
    term = baker.make(
        Term,
        year=year,
        number=1,
        starts_on=date(2024, 9, 1),
        ends_on=date(2024, 12, 20),
    )
    classes = baker.make(SchoolClass, year=year, form_teacher=None, _quantity=2)
    students = baker.make(Student, _quantity=3)
    subject = baker.make(Subject)
    baker.make(Teacher, subjects=[subject])
    exam = baker.make(Exam, subject=subject, school_class=classes[0], term=term)
    for student in students:
        baker.make(Enrollment, student=student, school_class=classes[0])
        baker.make(ExamResult, exam=exam, student=student, score=Decimal("64.5"))
    invoice = baker.make(
        Invoice,
        student=students[0],
        issued_on=date(2025, 1, 6),
        due_on=date(2025, 2, 5),
    )
    for target in (students[0], invoice):
        audit(target)
    return {"students": students, "classes": classes, "invoice": invoice}


def audit(target, object_id=None):
    """An audit log row pointing at ``target`` through its generic key."""
    content_type = (
        target
        if isinstance(target, ContentType)
        else ContentType.objects.get_for_model(target)
    )
    return baker.make(
        AuditLog,
        actor=None,
        action="view",
        content_type=content_type,
        object_id=str(target.pk) if object_id is None else object_id,
    )


def report(**options):
    return build_report(connection.alias, get_config(), **options)


def relation(result, label, field):
    return next(
        r
        for r in result.integrity.relations
        if r.model._meta.label == label and r.field == field
    )


def unique_rule(result, model, fields):
    return next(
        d
        for d in result.integrity.unique
        if d.model is model and d.fields == tuple(fields)
    )


def seed_report(*args):
    out = StringIO()
    call_command("seed_report", *args, stdout=out, stderr=StringIO(), no_color=True)
    return out.getvalue()


@pytest.fixture
def unchecked(db):
    """
    Save a row whose keys may point nowhere, as a database without enforced
    keys would hold it. The rows are deleted again before the test's
    teardown checks the constraints.
    """
    saved = []

    def save(model, **values):
        with connection.constraint_checks_disabled():
            row = model._base_manager.create(**values)
        saved.append(row)
        return row

    yield save
    with connection.constraint_checks_disabled():
        for row in reversed(saved):
            type(row)._base_manager.filter(pk=row.pk).delete()


@pytest.fixture
def orphan(school, unchecked):
    """An enrollment whose student does not exist."""
    return unchecked(
        Enrollment,
        student_id=MISSING,
        school_class=school["classes"][1],
        enrolled_on=date(2024, 9, 2),
    )


# Clean database


def test_clean_database_has_no_problem(school):
    """A database whose rows keep every rule reports no problem at all."""
    result = report()
    broken = [
        str(f)
        for f in (
            *result.integrity.relations,
            *result.integrity.unique,
            *result.integrity.check_constraints,
        )
        if f.problem
    ]
    assert broken == []
    assert result.integrity.database.message is None
    assert result.problems == 0


def test_fail_on_problems_passes_on_a_clean_database(school):
    """--fail-on problems returns normally when nothing is wrong."""
    out = seed_report("--fail-on", "problems")
    assert "No problems found." in out


def test_rows_are_counted_per_table_and_app(school):
    """Each table's rows are counted, with a total per app and overall."""
    result = report()
    counts = {t.model: t.rows for t in result.tables}
    assert counts[Student] == 3
    assert counts[Enrollment] == 3
    apps = {app: rows for app, rows, _ in result.apps()}
    assert apps["exams"] == 4
    assert result.rows == sum(apps.values())


def test_only_limits_the_tables_counted(school):
    """--only keeps the tables of the named apps and models."""
    result = report(only=["exams", "school.Student"])
    assert [t.model._meta.label for t in result.tables] == [
        "exams.Exam",
        "exams.ExamResult",
        "school.Student",
    ]


def test_exclude_leaves_out_an_app_and_its_many_to_many_tables(school):
    """--exclude drops an app's tables, auto-created ones included."""
    result = report(exclude=["school"])
    labels = {t.model._meta.label for t in result.tables}
    assert "exams.Exam" in labels
    assert not {label for label in labels if label.startswith("school.")}


def test_unknown_label_is_a_command_error(db):
    """An --only label that names no app or model is a one-line CommandError."""
    with pytest.raises(CommandError, match="nosuchapp") as error:
        seed_report("--only", "nosuchapp")
    assert "\n" not in str(error.value)


def test_unknown_database_is_a_command_error(db):
    """An unknown --database alias is a one-line CommandError."""
    with pytest.raises(CommandError, match="Unknown database 'elsewhere'"):
        seed_report("--database", "elsewhere")


def test_unreadable_database_is_a_one_line_command_error(monkeypatch):
    """A database error while reading is a one-line CommandError naming the alias."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused\n\tIs the server running?")

    monkeypatch.setattr(seed_report_command, "build_report", refuse)
    with pytest.raises(CommandError) as error:
        seed_report()
    assert str(error.value) == (
        "Cannot read database 'default': connection refused Is the server running?"
    )


def test_report_never_writes(school):
    """Building the report sends no statement that changes data or schema."""
    with CaptureQueriesContext(connection) as queries:
        report()
    writes = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "TRUNCATE")
    assert [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(writes)
    ] == []


# Coverage


def test_coverage_names_a_recipe_and_its_module(db, checks):
    """A model with a registered seed is covered by a recipe from that module."""
    seeds = SeedRegistry()
    registry.register(Student, registry=seeds)(type("StudentSeed", (Seed,), {}))
    result = report(registry=seeds)
    entry = next(c for c in result.coverage if c.model is Student)
    assert (entry.treatment.value, entry.module) == ("recipe", __name__)


def test_coverage_says_why_a_model_is_not_seeded(db, checks):
    """Models seed leaves alone are listed with the reason."""
    result = report(exclude=["exams"], registry=SeedRegistry())
    treatments = {c.model._meta.label: c.treatment.value for c in result.coverage}
    assert treatments["contenttypes.ContentType"] == "reused"
    assert treatments["sessions.Session"] == "framework"
    assert treatments["exams.Exam"] == "excluded"
    assert treatments["school.Student"] == "automatic"
    assert treatments["school.Teacher_subjects"] == "automatic"


# Foreign key map


def test_cycle_is_reported_where_it_is_broken(db, checks):
    """The Department/Teacher cycle is broken at the nullable Department.head."""
    graph = report(only=["school"]).as_dict()["graph"]
    cycle = next(c for c in graph["cycles"] if "school.Department" in c["models"])
    assert cycle == {
        "models": ["school.Department", "school.Teacher"],
        "broken_at": ["school.Department.head -> school.Teacher"],
    }
    assert {"model": "school.Department", "field": "parent"} in graph["self_references"]


def test_order_puts_parents_first(db, checks):
    """The dependency order lists each edge's target before its model."""
    graph = report(only=["school"]).as_dict()["graph"]
    position = {label: index for index, label in enumerate(graph["order"])}
    for edge in graph["edges"]:
        if not edge["broken"]:
            assert position[edge["target"]] < position[edge["model"]], edge


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed"
)
def test_dot_output_is_accepted_by_graphviz(db, checks):
    """dot -Tsvg renders the DOT graph without complaint."""
    drawn = subprocess.run(
        ["dot", "-Tsvg"],
        input=to_dot(report().graph),
        capture_output=True,
        text=True,
        check=False,
    )
    assert drawn.returncode == 0, drawn.stderr
    assert "<svg" in drawn.stdout


def test_mermaid_output_is_a_flowchart(db, checks):
    """The Mermaid graph is a flowchart with an arrow per foreign key."""
    text = to_mermaid(report(only=["school"]).graph)
    assert text.startswith("flowchart")
    assert "school__Teacher -->|user| school__User" in text


def test_graph_option_writes_mermaid_for_mmd_files(db, checks, tmp_path):
    """--graph FILE.mmd writes Mermaid, any other name DOT."""
    seed_report("--graph", str(tmp_path / "graph.mmd"))
    seed_report("--graph", str(tmp_path / "graph.dot"))
    assert (tmp_path / "graph.mmd").read_text().startswith("flowchart")
    assert (tmp_path / "graph.dot").read_text().startswith("digraph")


def test_graph_into_a_missing_folder_is_a_command_error(db, checks, tmp_path):
    """--graph naming a folder that does not exist is a clear CommandError."""
    path = tmp_path / "nowhere" / "graph.dot"
    with pytest.raises(CommandError, match="Cannot write the graph to .*nowhere"):
        seed_report("--graph", str(path))


# Integrity


def test_orphan_foreign_key_is_counted_with_its_row(orphan):
    """A foreign key naming no row is counted, with the row's primary key."""
    found = relation(report(), "school.Enrollment", "student")
    assert (found.kind, found.rows, found.examples) == ("foreign key", 1, [orphan.pk])


def test_orphan_foreign_key_is_named_in_the_text_report(orphan):
    """The text report names the broken relation and the row count."""
    out = seed_report()
    assert "school.Enrollment.student -> school.Student: 1 orphan row(s)" in out


def test_fail_on_problems_exits_non_zero_with_an_orphan(orphan):
    """--fail-on problems raises a CommandError with return code 1."""
    with pytest.raises(CommandError, match="problem") as error:
        seed_report("--fail-on", "problems")
    assert error.value.returncode == 1


def test_fail_on_never_is_the_default(orphan):
    """Without --fail-on, problems are reported and the command returns."""
    assert "problem(s) found." in seed_report()


def test_database_check_reports_the_backends_complaint(orphan):
    """connection.check_constraints()'s IntegrityError becomes its message."""
    database = report().integrity.database
    assert database.available
    assert database.message


@pytest.mark.django_db(transaction=True)
def test_checks_run_on_connections_of_their_own_outside_a_transaction(school, checks):
    """With workers, the checks run in threads, and find what one thread finds."""
    threads = set()

    def where(ctx):
        threads.add(threading.get_ident())
        return Student.objects.using(ctx.using).filter(pk=school["students"][0].pk)

    checks.append(Check("where", "records its thread", where, __name__))
    together = report(workers=2)
    assert threads and threading.get_ident() not in threads
    assert together.as_dict() == report().as_dict()
    assert together.checks[0].rows == 1


def test_a_report_inside_a_transaction_sees_its_rows(orphan):
    """Threads could not see the caller's uncommitted rows: it runs alone."""
    found = relation(report(workers=2), "school.Enrollment", "student")
    assert found.rows == 1


def test_jobs_below_one_is_a_command_error(db):
    """--jobs 0 is refused before the report runs."""
    with pytest.raises(CommandError, match="--jobs"):
        seed_report("--jobs", "0")


def test_orphan_in_a_many_to_many_table_is_counted(school, unchecked):
    """The auto-created table of a ManyToManyField is checked like any other."""
    teacher = Teacher.objects.get()
    unchecked(Teacher.subjects.through, teacher=teacher, subject_id=MISSING)
    found = relation(report(), "school.Teacher_subjects", "subject")
    assert (found.kind, found.rows) == ("many-to-many", 1)


def test_orphan_of_a_relation_over_several_columns_is_counted(db, checks):
    """A ForeignObject naming no row is found, although no constraint guards it."""
    from tests.corpus.models import Release, ReleaseNote

    Release.objects.create(product="atlas", version=1)
    ReleaseNote.objects.create(product="atlas", version=1, text="kept")
    lost = ReleaseNote.objects.create(product="atlas", version=2, text="lost")
    found = relation(report(), "corpus.ReleaseNote", "release")
    assert (found.kind, found.rows, found.examples) == (
        "multi-column relation",
        1,
        [lost.pk],
    )


def test_orphans_are_counted_with_one_query(school):
    """A relation's orphans are counted by one SELECT, never by loading rows."""
    field = Enrollment._meta.get_field("student")
    _, query = _orphans(connection.alias, Enrollment, field)
    with CaptureQueriesContext(connection) as queries:
        query()
    selects = [q["sql"] for q in queries if q["sql"].lstrip().startswith("SELECT")]
    assert len(selects) == 1
    assert "COUNT(" in selects[0].upper()


def test_dangling_generic_foreign_key_is_counted(school):
    """A generic key naming a missing row is counted under its content type."""
    entry = audit(Student, object_id=str(MISSING))
    found = relation(report(), "audit.AuditLog", "target")
    assert (found.kind, found.rows, found.examples) == (
        "generic foreign key",
        1,
        [entry.pk],
    )
    assert found.content_types == [("school.Student", 1)]


def test_generic_key_to_a_uuid_row_is_not_dangling(school):
    """A generic key holding a UUID primary key as text finds its row."""
    audit(school["invoice"])
    assert relation(report(), "audit.AuditLog", "target").rows == 0


def test_malformed_object_id_is_dangling_not_an_error(school):
    """An object id that is no key of the target's type is simply dangling."""
    audit(Student, object_id="not-a-key")
    audit(Invoice, object_id="not-a-uuid")
    found = relation(report(), "audit.AuditLog", "target")
    assert (found.error, found.rows) == (None, 2)


def test_generic_key_to_a_stale_content_type_is_dangling(school):
    """Rows whose content type names no installed model point at nothing."""
    stale = ContentType.objects.create(app_label="gone", model="ghost")
    audit(stale, object_id="1")
    found = relation(report(), "audit.AuditLog", "target")
    assert found.content_types == [("gone.ghost (no such model)", 1)]


def test_duplicates_of_an_unenforced_unique_set_are_reported(school, monkeypatch):
    """Rows repeating a unique set's values are counted in groups and rows."""
    declared = constraints.unique_sets

    def unique_sets(model):
        extra = [("first_name",)] if model is User else []
        return declared(model) + extra

    monkeypatch.setattr(constraints, "unique_sets", unique_sets)
    User.objects.update(first_name="Ada")
    baker.make(User, first_name="Grace", _quantity=2)
    baker.make(User, first_name="Alan")
    found = unique_rule(report(), User, ["first_name"])
    users = User.objects.count()
    assert (found.groups, found.rows) == (2, users - 1)
    assert found.examples == [["Ada"], ["Grace"]]


def test_row_breaking_a_check_constraint_is_counted(school, monkeypatch):
    """Rows for which a CheckConstraint's condition is false are counted."""
    pass_mark = models.CheckConstraint(
        condition=models.Q(score__gte=70), name="exams_examresult_pass_mark"
    )
    monkeypatch.setattr(
        ExamResult._meta, "constraints", [*ExamResult._meta.constraints, pass_mark]
    )
    found = next(
        c
        for c in report().integrity.check_constraints
        if c.name == "exams_examresult_pass_mark"
    )
    assert found.rows == 3


def test_row_breaking_a_comparison_of_two_fields_is_counted(school, monkeypatch):
    """A condition comparing two columns, as the demo's date rules do, is counted."""
    strictly_later = models.CheckConstraint(
        condition=models.Q(due_on__gt=models.F("issued_on")),
        name="finance_invoice_due_after_issue",
    )
    monkeypatch.setattr(Invoice._meta, "constraints", [strictly_later])
    same_day = baker.make(
        Invoice,
        student=school["students"][1],
        issued_on=date(2025, 3, 3),
        due_on=date(2025, 3, 3),
    )
    found = next(
        c
        for c in report().integrity.check_constraints
        if c.name == "finance_invoice_due_after_issue"
    )
    assert (found.rows, found.examples) == (1, [str(same_day.pk)])


def test_null_does_not_break_a_check_constraint(db, checks, monkeypatch):
    """As in SQL, a condition that is NULL for a row does not count as broken."""
    born = models.CheckConstraint(
        condition=models.Q(date_of_birth__gte=date(2000, 1, 1)),
        name="school_user_born_this_century",
    )
    monkeypatch.setattr(User._meta, "constraints", [born])
    baker.make(User, date_of_birth=None)
    baker.make(User, date_of_birth=date(2005, 3, 1))
    late = baker.make(User, date_of_birth=date(1990, 3, 1))
    found = next(
        c
        for c in report(only=["school.User"]).integrity.check_constraints
        if c.model is User
    )
    assert (found.rows, found.examples) == (1, [late.pk])


# Domain checks


def test_failing_domain_check_is_reported_with_count_and_examples(school, checks):
    """A check returning rows fails, with their number and up to five keys."""
    checks.append(
        Check(
            "no_orphaned_students",
            "every student is enrolled",
            lambda ctx: Student.objects.using(ctx.using).all(),
            __name__,
        )
    )
    (result,) = report().checks
    pks = sorted(s.pk for s in school["students"])
    assert (result.status, result.rows, result.examples) == ("fail", 3, pks)


def test_passing_domain_check_is_reported_as_passed(school, checks):
    """A check returning no row passes."""
    checks.append(
        Check("none", "nothing", lambda ctx: Student.objects.none(), __name__)
    )
    (result,) = report().checks
    assert (result.status, result.rows) == ("pass", 0)
    assert report().problems == 0


def test_domain_check_that_raises_is_an_error_not_a_crash(school, checks):
    """A check that raises is that check's error; the other checks still run."""

    def broken(ctx):
        raise ZeroDivisionError("no classes")

    checks.append(Check("broken", "raises", broken, __name__))
    checks.append(
        Check("none", "nothing", lambda ctx: Student.objects.none(), __name__)
    )
    results = report().checks
    assert [r.status for r in results] == ["error", "pass"]
    assert results[0].error == "ZeroDivisionError: no classes"


def test_failing_domain_check_fails_the_command(school, checks):
    """--fail-on problems exits non-zero when a domain check fails."""
    checks.append(
        Check("all", "no students", lambda ctx: Student.objects.all(), __name__)
    )
    with pytest.raises(CommandError) as error:
        seed_report("--fail-on", "problems")
    assert error.value.returncode == 1


def test_only_runs_the_checks_of_the_apps_in_scope(school, checks):
    """With --only, the checks of seed modules of other apps are left out."""
    for module in ("project.school.seeds", "project.finance.seeds", __name__):
        checks.append(
            Check(module, "nothing", lambda ctx: Student.objects.none(), module)
        )
    results = report(only=["school.Student"]).checks
    assert [r.check.module for r in results] == ["project.school.seeds", __name__]


# JSON


def test_json_schema_is_valid_draft_2020_12():
    """docs/report-schema.json is itself a valid JSON Schema (draft 2020-12)."""
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA.read_text()))


def test_json_output_validates_against_the_schema(orphan, checks):
    """--format json writes version 1 of the documented schema."""
    audit(Student, object_id=str(MISSING))
    checks.append(
        Check("all", "no students", lambda ctx: Student.objects.all(), __name__)
    )
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    data = json.loads(seed_report("--format", "json"))
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    assert (data["version"], data["problems"] > 0) == (1, True)
