"""The purge command and seeding.purge: what goes, what stays, and what it takes."""

import builtins
import contextlib
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError, connection, transaction
from model_bakery import baker

from project.messaging.models import Conversation, Message, Participant
from project.resources.models import Equipment, Resource, Room
from project.school.models import Department, Subject, Teacher, User
from seeding import api
from seeding.conf import get_config
from seeding.exceptions import ConfigurationError, PlanError
from seeding.emptying import count_rows, purge, purge_models

pytestmark = pytest.mark.django_db(transaction=True)

TeacherSubject = Teacher.subjects.through

#: Models the `school` fixture fills, each with at least one row.
BAKED = [
    Department,
    Teacher,
    TeacherSubject,
    Subject,
    User,
    Conversation,
    Participant,
    Message,
    Resource,
    Room,
    Equipment,
]


@pytest.fixture(autouse=True)
def not_production(settings):
    """pytest runs with DEBUG off, which alone would mark the database production."""
    settings.SEEDING = {**settings.SEEDING, "PRODUCTION": False}


@pytest.fixture
def school():
    """
    A department tree whose root is headed by one of its teachers (the
    Department <-> Teacher cycle), a reply to a message (a self-reference),
    rooms and equipment (multi-table inheritance), and many-to-many rows.
    """
    root = baker.make(Department)
    child = baker.make(Department, parent=root)
    teacher = baker.make(Teacher, department=child)
    root.head = teacher
    root.save()
    teacher.subjects.add(baker.make(Subject, department=root))
    question = baker.make(Message)
    baker.make(Participant, conversation=question.conversation, user=teacher.user)
    baker.make(Message, conversation=question.conversation, reply_to=question)
    baker.make(Room)
    baker.make(Equipment)
    assert all(model._base_manager.exists() for model in BAKED)


def seeded_models(**options):
    return purge_models(connection.alias, get_config(), **options)


def rows(model):
    return model._base_manager.count()


def migration_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        return cursor.fetchone()[0]


def assert_foreign_keys_enforced():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    orphan = (
        "INSERT INTO school_subject (code, name, department_id) VALUES (%s, %s, %s)"
    )
    with pytest.raises(IntegrityError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(orphan, ["ORPHAN", "Orphan", 987654321])


class FailOn:
    """An execute wrapper failing the statement that empties ``model``'s table."""

    def __init__(self, model):
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.writes_before = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("DELETE", "TRUNCATE")):
            if self.table in sql:
                raise OperationalError("Injected fault.")
            self.writes_before += 1
        return execute(sql, params, many, context)


modes = pytest.mark.parametrize("truncate", [False, True], ids=["delete", "truncate"])


def options_for(truncate):
    return ["--truncate"] if truncate else []


def purge_command(*args, **options):
    options.setdefault("stdout", StringIO())
    return call_command("purge", "--noinput", *args, **options)


# What goes


@modes
def test_purge_empties_every_table_that_seed_fills(school, truncate):
    """Every table that seed fills holds no row after purge."""
    purge_command(*options_for(truncate))
    models = seeded_models()
    assert {model: rows(model) for model in models} == dict.fromkeys(models, 0)


def test_purge_leaves_the_migrations_table_alone(school):
    """django_migrations keeps every row, even with --include-framework."""
    before = migration_rows()
    purge_command("--include-framework", "--truncate")
    assert migration_rows() == before


@modes
def test_purge_keeps_content_types_and_permissions(school, truncate):
    """Content types and permissions stay without --include-framework."""
    before = rows(ContentType), rows(Permission)
    purge_command(*options_for(truncate))
    assert (rows(ContentType), rows(Permission)) == before
    assert before[0] > 0 and before[1] > 0


def test_include_framework_purges_content_types_permissions_and_sessions(school):
    """--include-framework empties content types, permissions and sessions too."""
    baker.make(Session)
    purge_command("--include-framework")
    assert (rows(ContentType), rows(Permission), rows(Session)) == (0, 0, 0)


@pytest.mark.parametrize(
    ("label", "model"),
    [("school", Message), ("resources.Resource", Room)],
    ids=["messages-point-at-users", "rooms-extend-resources"],
)
def test_only_also_purges_tables_pointing_into_the_selection(school, label, model):
    """--only takes along the tables whose rows would otherwise point at nothing."""
    purge_command("--only", label)
    assert rows(model) == 0


def test_only_keeps_tables_outside_the_selection(school):
    """--only school keeps tables that point at nothing in school."""
    purge_command("--only", "school")
    assert rows(Conversation) > 0 and rows(Resource) > 0


# How it goes


@modes
def test_foreign_keys_are_enforced_after_purge(school, truncate):
    """After a purge the database refuses a row pointing at nothing."""
    purge_command(*options_for(truncate))
    assert_foreign_keys_enforced()


def test_truncate_restarts_ids_at_one(school):
    """After --truncate, the next row of a table gets id 1."""
    baker.make(Conversation, _quantity=3)
    purge_command("--truncate")
    assert baker.make(Conversation).pk == 1


def test_delete_keeps_ids_counting(school):
    """After a purge without --truncate, ids go on from where they were."""
    last = baker.make(Conversation).pk
    purge_command()
    assert baker.make(Conversation).pk > last


@modes
def test_a_failed_purge_leaves_every_row_in_place(school, truncate):
    """A purge failing half-way through removes no row at all."""
    if truncate and not connection.features.can_rollback_ddl:
        pytest.skip("MySQL/MariaDB commit each TRUNCATE; --truncate documents it.")
    models = seeded_models()
    before = count_rows(connection.alias, models)
    fault = FailOn(User)
    with connection.execute_wrapper(fault), pytest.raises(OperationalError):
        purge(connection.alias, models, truncate=truncate)
    assert count_rows(connection.alias, models) == before
    assert truncate or fault.writes_before >= 3


@modes
def test_foreign_keys_are_enforced_after_a_failed_purge(school, truncate):
    """A purge that fails still switches foreign key checks back on."""
    fault = FailOn(User)
    with connection.execute_wrapper(fault), pytest.raises(CommandError):
        purge_command(*options_for(truncate))
    assert_foreign_keys_enforced()


@pytest.mark.django_db
@modes
def test_purge_works_inside_an_open_transaction(school, truncate):
    """purge() called inside a caller's transaction (seed --fresh) empties it."""
    if truncate and not connection.features.can_rollback_ddl:
        pytest.skip("MySQL/MariaDB commit each TRUNCATE, and the caller's work.")
    assert connection.in_atomic_block
    purge(connection.alias, seeded_models(), truncate=truncate)
    assert not any(rows(model) for model in BAKED)


def test_purge_holds_the_database_lock_while_it_deletes(school, monkeypatch):
    """The command deletes while seeding.purge() holds safety.exclusive()."""
    seen = []

    @contextlib.contextmanager
    def exclusive(alias, timeout=None):
        seen.append((alias, rows(User)))
        yield
        seen.append((alias, rows(User)))

    monkeypatch.setattr(api, "exclusive", exclusive)
    purge_command()
    (alias, users_before), (_, users_after) = seen
    assert (alias, users_after) == ("default", 0) and users_before > 0


def test_a_database_error_is_a_command_error(school):
    """A failure in the database reaches the user as one CommandError line."""
    with connection.execute_wrapper(FailOn(User)):
        with pytest.raises(CommandError, match="every row is still in place"):
            purge_command()


@modes
def test_purge_returns_the_rows_removed_from_each_table(school, truncate):
    """purge() reports per model the rows that were in its table."""
    models = seeded_models()
    before = count_rows(connection.alias, models)
    assert purge(connection.alias, models, truncate=truncate) == before


# Confirmation


def answer(monkeypatch, reply):
    prompts = []
    monkeypatch.setattr(
        builtins, "input", lambda prompt: prompts.append(prompt) or reply
    )
    return prompts


def test_answering_no_purges_nothing(school, monkeypatch):
    """Answering anything but 'yes' cancels the purge."""
    answer(monkeypatch, "no")
    out = StringIO()
    call_command("purge", stdout=out)
    assert all(rows(model) for model in BAKED)
    assert "Purge cancelled." in out.getvalue()


def test_answering_yes_purges(school, monkeypatch):
    """Answering 'yes' goes ahead with the purge."""
    answer(monkeypatch, "yes")
    call_command("purge", stdout=StringIO())
    assert not any(rows(model) for model in BAKED)


def test_the_prompt_names_the_database_and_the_rows_to_go(school, monkeypatch):
    """The question names the database and how many rows will be destroyed."""
    prompts = answer(monkeypatch, "no")
    call_command("purge", stdout=StringIO())
    total = sum(count_rows(connection.alias, seeded_models()).values())
    assert "database 'default'" in prompts[0]
    assert f"DESTROY {total} rows" in prompts[0]


def test_noinput_asks_nothing(school, monkeypatch):
    """--noinput purges without a question."""
    prompts = answer(monkeypatch, "no")
    purge_command()
    assert prompts == []
    assert rows(User) == 0


# Refusals


@pytest.mark.parametrize(
    "production",
    [{"DEBUG": False, "SEEDING": {}}, {"SEEDING": {"PRODUCTION": True}}],
    ids=["debug-off", "seeding-production"],
)
def test_a_production_database_is_refused(school, settings, production):
    """A database marked as production is refused, naming the override."""
    for name, value in production.items():
        setattr(settings, name, value)
    with pytest.raises(CommandError, match="--allow-production"):
        purge_command()
    assert rows(User) > 0


def test_allow_production_purges_a_production_database(school, settings):
    """--allow-production overrides the production refusal."""
    settings.SEEDING = {"PRODUCTION": True}
    purge_command("--allow-production")
    assert rows(User) == 0


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--only", "nowhere"], "nowhere"),
        (["--exclude", "school.Nobody"], "Unknown model: school.Nobody"),
    ],
    ids=["app", "model"],
)
def test_an_unknown_label_is_a_command_error(option, message):
    """An app or model label that names nothing installed is a CommandError."""
    with pytest.raises(CommandError, match=message):
        purge_command(*option)


def test_an_unknown_database_is_a_command_error():
    """--database naming no configured database is a CommandError."""
    with pytest.raises(CommandError, match="Unknown database 'elsewhere'"):
        purge_command("--database", "elsewhere")


def test_keeping_a_table_that_points_into_the_purge_is_a_command_error(school):
    """--exclude of a table whose rows point at purged rows is refused."""
    with pytest.raises(CommandError, match="Cannot keep messaging.Message"):
        purge_command("--exclude", "messaging")
    assert rows(Message) > 0 and rows(User) > 0


# Output


@pytest.mark.parametrize(
    ("verbosity", "expected"),
    [
        (0, ""),
        (1, "Purged {rows} rows from {tables} tables of database 'default'.\n"),
    ],
)
def test_output_at_verbosity(school, verbosity, expected):
    """Verbosity 0 prints nothing, 1 a one-line summary."""
    counts = count_rows(connection.alias, seeded_models())
    out = StringIO()
    purge_command(verbosity=verbosity, stdout=out, no_color=True)
    assert out.getvalue() == expected.format(
        rows=sum(counts.values()), tables=len(counts)
    )


def test_verbosity_2_prints_a_line_per_table(school):
    """Verbosity 2 adds a line per table, with its rows removed."""
    out = StringIO()
    purge_command(verbosity=2, stdout=out, no_color=True)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(seeded_models()) + 1
    assert "  school_department: 2 rows" in lines


# The library


def test_purge_models_lists_children_before_parents():
    """Each model comes before the models it points at, but for a broken cycle."""
    order = seeded_models()
    assert order.index(Subject) < order.index(Department)
    assert order.index(Teacher) < order.index(User)
    assert order.index(TeacherSubject) < order.index(Teacher)
    assert order.index(Room) < order.index(Resource)
    assert order.index(Message) < order.index(Conversation)


def test_purge_models_includes_auto_created_many_to_many_tables():
    """The tables of many-to-many fields without a through model are purged too."""
    assert TeacherSubject in seeded_models()


def test_purge_models_leaves_out_framework_tables():
    """Content types, permissions and sessions are not purged by default."""
    assert {ContentType, Permission, Session}.isdisjoint(seeded_models())


@pytest.mark.parametrize(
    ("label", "kept"),
    [("messaging", "messaging.Message"), ("admin", "admin.LogEntry")],
)
def test_purge_models_raises_for_an_excluded_table_pointing_into_the_purge(
    label, kept
):
    """Keeping a table whose keys point into the purge is a ConfigurationError."""
    with pytest.raises(ConfigurationError, match=kept):
        seeded_models(exclude=[label])


def test_purge_refuses_tables_that_others_point_into(school):
    """purge() writes nothing when a table outside its list points into it."""
    with pytest.raises(PlanError, match="school.Subject"):
        purge(connection.alias, [Department])
    assert rows(Department) == 2
