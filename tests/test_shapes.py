"""
Shapes of real projects that once stopped a default ``seed`` or seeded rows
the application could not use (tests/shapes), one behaviour per test.
"""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

import seeding
from project.school.models import User
from seeding import registry
from seeding.exceptions import SeedFailed
from tests.shapes import models as shapes

pytestmark = pytest.mark.django_db


def seed(*labels, count=30, seed=1, also=()):
    """Seed ``labels``, ``count`` rows each, and ``also`` as their seed modules
    decide (a count for rows() that ignore it is refused)."""
    arguments = ["--seed", str(seed), "--no-migrate", "--noinput"]
    for label in also:
        arguments += ["--only", label]
    for label in labels:
        arguments += ["--only", label, "--count", f"{label}={count}"]
    call_command("seed", *arguments, verbosity=0)


def repeated(model, *names):
    """The combinations of ``names`` that more than one row of ``model`` holds."""
    rows = model._base_manager.values(*names).annotate(n=Count("*")).filter(n__gt=1)
    return list(rows)


# -- multi-table inheritance under unique parent columns -----------------------


def test_a_child_keeps_its_parents_unique_column_apart_from_the_parents_rows():
    seed("shapes.Person", "shapes.Spy")
    assert shapes.Person.objects.count() == 60
    assert not repeated(shapes.Person, "name")


def test_a_child_seeded_in_a_later_run_keeps_clear_of_the_parents_rows():
    seed("shapes.Person")
    seed("shapes.Spy")
    assert shapes.Spy.objects.count() == 30
    assert not repeated(shapes.Person, "name")


def test_a_grandchild_keeps_its_grandparents_unique_column():
    seed("shapes.Contact", "shapes.Member", "shapes.Officer")
    assert shapes.Contact.objects.count() == 90
    assert not repeated(shapes.Contact, "email")


def test_a_child_of_the_user_model_keeps_usernames_and_emails_unique():
    seed("shapes.PageUser", also=["school.User"])
    assert shapes.PageUser.objects.count() == 30
    assert not repeated(User, "username")
    assert not repeated(User, "email")


def test_a_child_of_a_contrib_model_keeps_its_unique_name():
    seed("shapes.PageUserGroup", also=["auth.Group"])
    assert shapes.PageUserGroup.objects.count() == 30
    assert not repeated(Group, "name")


def test_a_child_keeps_its_parents_unique_set():
    """Seven days in three rooms: 21 combinations for 20 rows."""
    seed("shapes.Slot", "shapes.Lecture", count=10)
    assert shapes.Slot.objects.count() == 20
    assert not repeated(shapes.Slot, "day", "room")


def test_the_plan_counts_a_parents_unique_set_against_the_rows_before_the_child():
    """21 combinations: 20 Slot rows leave room for one Lecture."""
    call_command("seed", "--seed", "1", "--no-migrate", "--only", "shapes.Lecture", verbosity=0)
    assert shapes.Lecture.objects.count() == 1
    assert shapes.Slot.objects.count() == 21



def test_a_child_links_each_target_of_its_parents_one_to_one_key_once():
    seed("shapes.Person", count=40)
    seed("shapes.Badge", "shapes.GoldBadge", count=15)
    assert shapes.Badge.objects.count() == 30
    assert not repeated(shapes.Badge, "person")

def test_a_tree_and_its_subclass_share_one_tree_of_unique_paths():
    seed("shapes.Folder", "shapes.SubFolder")
    assert shapes.Folder.objects.count() == 60
    assert not repeated(shapes.Folder, "path")
    roots = shapes.Folder.objects.filter(depth=1).values_list("path", flat=True)
    assert len(set(roots)) == len(roots)



def test_a_path_tree_with_a_single_root_before_the_run_keeps_it_the_only_root():
    # A CMS's migrations make the one root every page hangs under.
    root = shapes.Folder.add_root(label="Root")
    seed("shapes.Folder", count=30)
    assert list(shapes.Folder.objects.filter(depth=1)) == [root]
    root.refresh_from_db()
    assert root.numchild == shapes.Folder.objects.filter(depth=2).count() > 1
    assert all(not problems for problems in shapes.Folder.find_problems())


# -- content types that name the row's own class -------------------------------


def test_a_base_models_content_type_names_the_class_each_row_was_created_as():
    seed("shapes.Page", "shapes.BlogPage", "shapes.EventPage", count=10)
    for model in (shapes.Page, shapes.BlogPage, shapes.EventPage):
        own = ContentType.objects.get_for_model(model)
        rows = model.objects.values_list("content_type", flat=True)
        if model is shapes.Page:
            rows = rows.filter(blogpage=None, eventpage=None)
        assert set(rows) == {own.pk}, model



def test_a_content_type_key_that_save_fills_with_the_rows_class_gets_it():
    seed("shapes.Asset", count=10)
    own = ContentType.objects.get_for_model(shapes.Asset)
    assert set(shapes.Asset.objects.values_list("content_type", flat=True)) == {own.pk}

def test_a_generic_relations_content_type_still_names_its_target():
    seed("shapes.Person", "shapes.Bookmark", "shapes.PinnedBookmark", count=10)
    for bookmark in shapes.Bookmark.objects.all():
        assert bookmark.target is not None


# -- a materialised path beside a parent key -----------------------------------


def test_a_parent_key_agrees_with_the_materialised_path():
    seed("shapes.Category", count=60)
    nodes = {node.path: node for node in shapes.Category.objects.all()}
    assert any(node.depth > 1 for node in nodes.values())
    for path, node in nodes.items():
        parent = nodes.get(path[: -shapes.Category.steplen])
        assert node.parent_id == (parent.pk if parent else None), path



# -- JSON the application parses into objects of its own -----------------------


def test_json_a_field_cannot_read_back_gives_way_to_the_fields_empty_value():
    seed("shapes.Story", count=10)
    stories = list(shapes.Story.objects.all())  # Every row loads.
    assert len(stories) == 10
    assert {str(story.body) for story in stories} == {"[]"}
    assert {story.aside for story in stories} == {None}


# -- a table a database trigger fills --------------------------------------------


def test_a_table_a_trigger_filled_during_the_run_gets_keys_of_its_own():
    seed("shapes.Article", "shapes.ArticleIndex", count=20)
    # The trigger wrote an index row per article; seed found every article taken.
    assert shapes.ArticleIndex.objects.count() == 20


# -- values the application interprets ------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_dotted_paths_and_class_names_are_left_blank_or_null(media):
    seed("shapes.Plugin", count=20)
    assert set(shapes.Plugin.objects.values_list("proxy_class", flat=True)) == {""}
    assert set(shapes.Plugin.objects.values_list("handler_path", flat=True)) == {None}
    assert set(shapes.Plugin.objects.values_list("renderer_class", flat=True)) == {""}


def test_language_codes_come_from_the_projects_languages(media, settings):
    settings.LANGUAGES = [("en", "English"), ("pt-br", "Brazilian Portuguese")]
    seed("shapes.Plugin", count=20)
    assert set(shapes.Plugin.objects.values_list("language", flat=True)) == {"en", "pt-br"}
    assert set(shapes.Plugin.objects.values_list("locale", flat=True)) <= {"", "en", "pt-br"}


def test_file_fields_name_files_that_exist_under_media_root(media):
    seed("shapes.Plugin", count=20)
    for plugin in shapes.Plugin.objects.all():
        assert (media / plugin.attachment.name).is_file()
        assert plugin.attachment.name.startswith("attachments/")
        if plugin.picture:
            image = Path(plugin.picture.path).read_bytes()
            assert image.startswith(b"\x89PNG\r\n\x1a\n")


def test_seeding_choices_give_a_field_the_values_the_project_declares(media, settings):
    settings.SEEDING = {
        **settings.SEEDING,
        "CHOICES": {"shapes.Plugin.plugin_type": ["TextPlugin", "LinkPlugin"]},
    }
    seed("shapes.Plugin", count=20)
    types = set(shapes.Plugin.objects.values_list("plugin_type", flat=True))
    assert types == {"TextPlugin", "LinkPlugin"}


@pytest.mark.parametrize(
    "choices, message",
    [
        ({"shapes.Plugin.nothing": ["a"]}, "shapes.Plugin.nothing, which is not a field"),
        ({"shapes.Plugin": ["a"]}, "'app_label.Model.field'"),
        ({"shapes.Plugin.plugin_type": "TextPlugin"}, "a non-empty list"),
        ({"shapes.Plugin.plugin_type": []}, "a non-empty list"),
    ],
)
def test_malformed_seeding_choices_are_a_one_line_error(settings, choices, message):
    settings.SEEDING = {**settings.SEEDING, "CHOICES": choices}
    with pytest.raises(CommandError, match=message) as error:
        seed("shapes.Plugin")
    assert "\n" not in str(error.value)
    assert not shapes.Plugin.objects.exists()


# -- a run that survives what it cannot do --------------------------------------


@pytest.fixture
def failing(settings):
    """Let the models built to fail be seeded."""
    excluded = [e for e in settings.SEEDING["EXCLUDE"] if e not in settings.FAILING]
    settings.SEEDING = {**settings.SEEDING, "EXCLUDE": excluded}


def run(*arguments):
    """seed's exit status (0, or a CommandError's), stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("seed", "--seed", "1", "--no-migrate", *arguments, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


FRAGILE = ["--only", "shapes.Fragile", "--only", "shapes.FragileNote", "--only", "shapes.Sturdy"]


def test_a_model_the_database_refuses_is_skipped_and_the_others_seeded(failing):
    status, _, errors = run(*FRAGILE)
    assert status == 1
    assert shapes.Sturdy.objects.count() == 20
    assert not shapes.Fragile.objects.exists() and not shapes.FragileNote.objects.exists()
    assert "shapes.Fragile " in errors and "refuses every row" in errors
    assert "fix: -e shapes.Fragile" in errors


def test_a_model_that_needs_a_skipped_model_is_skipped_too(failing):
    _, _, errors = run(*FRAGILE)
    assert "shapes.FragileNote  needs rows of shapes.Fragile, which was skipped" in errors


def test_strict_keeps_all_or_nothing(failing):
    status, _, errors = run("--strict", *FRAGILE)
    assert status == 1
    assert "Seeding shapes.Fragile failed" in errors
    assert not shapes.Sturdy.objects.exists()


SEALED = ["--only", "shapes.Sealed", "--only", "shapes.SealedNote", "--only", "shapes.Sturdy"]


def test_the_plan_predicts_the_skip_of_a_model_it_cannot_fill(failing):
    status, out, errors = run("--plan", *SEALED)
    assert status == 1
    assert "shapes.Sealed " in errors and "shapes.Sealed.token: no value" in errors
    assert "shapes.SealedNote  needs rows of shapes.Sealed, which was skipped" in errors
    assert "shapes.Sturdy" in out


def test_a_model_the_plan_cannot_fill_is_skipped_and_the_others_seeded(failing):
    status, _, errors = run(*SEALED)
    assert status == 1
    assert "fix: a recipe value for token in a seeds module" in errors
    assert shapes.Sturdy.objects.count() == 20
    assert not shapes.Sealed.objects.exists()


def test_the_report_lists_the_models_seed_would_skip_under_coverage(failing):
    out = io.StringIO()
    call_command("seed_report", "--format", "json", *SEALED, stdout=out)
    coverage = {entry["model"]: entry for entry in json.loads(out.getvalue())["coverage"]}
    assert "no value for a required Opaque" in coverage["shapes.Sealed"]["skipped"]["reason"]
    assert coverage["shapes.SealedNote"]["skipped"]["fix"] == "seeded once shapes.Sealed is"
    assert coverage["shapes.Sturdy"]["skipped"] is None



class Rows(seeding.Seed):
    """A seed module that decides its rows itself: their count is unknown."""

    def rows(self, ctx):
        yield {}


def test_a_cycle_no_key_can_break_is_skipped_and_the_others_seeded(monkeypatch):
    """Neither model of Egg <-> Hen can point forward at rows of unknown count."""
    entries = {**registry.site._registry}
    entries.update({"corpus.Egg": (Rows, __name__), "corpus.Hen": (Rows, __name__)})
    monkeypatch.setattr(registry.site, "_registry", entries)
    status, _, errors = run("--only", "corpus.Egg", "--only", "corpus.Hen", "--only", "shapes.Sturdy")
    assert status == 1
    assert "corpus.Egg " in errors and "corpus.Hen " in errors
    assert "cycle with no nullable key" in errors
    assert shapes.Sturdy.objects.count() == 20


def test_the_python_api_skips_only_when_asked(failing):
    only = ["shapes.Fragile", "shapes.FragileNote", "shapes.Sturdy"]
    with pytest.raises(SeedFailed, match="shapes.Fragile"):
        seeding.seed("default", seed=1, only=only)
    assert not shapes.Sturdy.objects.exists()
    result = seeding.seed("default", seed=1, only=only, strict=False)
    skipped = [skip.label for skip in result.plan.skipped]
    assert skipped == ["shapes.Fragile", "shapes.FragileNote"]
    assert result.inserted[shapes.Sturdy] == 20
