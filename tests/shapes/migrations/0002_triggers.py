"""
Triggers of the kind real schemas hold and Django's models do not show: one
fills shapes_articleindex when an article is inserted, one refuses every row
of shapes_fragile.
"""

from django.db import migrations

TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER shapes_article_index AFTER INSERT ON shapes_article
        BEGIN INSERT INTO shapes_articleindex (article_id, words)
        VALUES (NEW.id, NEW.title); END""",
        """CREATE TRIGGER shapes_fragile_refuse BEFORE INSERT ON shapes_fragile
        BEGIN SELECT RAISE(ABORT, 'shapes_fragile refuses every row'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION shapes_article_index() RETURNS trigger AS $$
        BEGIN INSERT INTO shapes_articleindex (article_id, words)
        VALUES (NEW.id, NEW.title); RETURN NEW; END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER shapes_article_index AFTER INSERT ON shapes_article
        FOR EACH ROW EXECUTE FUNCTION shapes_article_index()""",
        """CREATE FUNCTION shapes_fragile_refuse() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'shapes_fragile refuses every row'; END $$
        LANGUAGE plpgsql""",
        """CREATE TRIGGER shapes_fragile_refuse BEFORE INSERT ON shapes_fragile
        FOR EACH ROW EXECUTE FUNCTION shapes_fragile_refuse()""",
    ],
    "mysql": [
        """CREATE TRIGGER shapes_article_index AFTER INSERT ON shapes_article
        FOR EACH ROW INSERT INTO shapes_articleindex (article_id, words)
        VALUES (NEW.id, NEW.title)""",
        """CREATE TRIGGER shapes_fragile_refuse BEFORE INSERT ON shapes_fragile
        FOR EACH ROW SIGNAL SQLSTATE '45000'
        SET MESSAGE_TEXT = 'shapes_fragile refuses every row'""",
    ],
}
DROPS = {
    "sqlite": ["DROP TRIGGER shapes_article_index", "DROP TRIGGER shapes_fragile_refuse"],
    "postgresql": [
        "DROP FUNCTION shapes_article_index CASCADE",
        "DROP FUNCTION shapes_fragile_refuse CASCADE",
    ],
    "mysql": ["DROP TRIGGER shapes_article_index", "DROP TRIGGER shapes_fragile_refuse"],
}


def run(statements):
    def apply(apps, schema_editor):
        # Through a cursor: MySQL commits a trigger's DDL at once, which the
        # schema editor refuses inside a migration's transaction.
        with schema_editor.connection.cursor() as cursor:
            for sql in statements[schema_editor.connection.vendor]:
                cursor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("shapes", "0001_initial"),
    ]

    operations = [migrations.RunPython(run(TRIGGERS), run(DROPS))]
