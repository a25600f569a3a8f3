"""The search structures each database needs, created only where they apply.

PostgreSQL: the pg_trgm extension, a GIN index on the publications' weighted vectors and a
trigram GIN index on the word list ("did you mean"). SQLite: the FTS5 table the embedded
search reads (text stemmed per language before it goes in; rowid = publication id).
"""

from django.db import migrations

FTS_TABLE = "library_publication_fts"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS library_searchdoc_vector_gin "
            "ON library_publicationsearchdocument USING gin (vector)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS library_searchword_trgm "
            "ON library_searchword USING gin (word gin_trgm_ops)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, abstract, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS library_searchdoc_vector_gin")
        schema_editor.execute("DROP INDEX IF EXISTS library_searchword_trgm")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_publications")]

    operations = [migrations.RunPython(forwards, backwards)]
