"""PostgreSQL: each search document carries its publication's facet values ("country:KE",
"theme:12"), GIN-indexed, so a search filters on them and counts its facets from the
matched documents alone instead of joining every matched id to four facet tables. Filled
here for what is already indexed; the search backend writes them with the vector from
then on. Nothing on SQLite.
"""

from django.db import migrations

# A copy of library.search.backends.FACET_KEYS_SQL as it was when this migration was written.
FACET_KEYS_SQL = (
    "ARRAY['type:' || p.kind, 'language:' || p.language] "
    "|| CASE WHEN p.year IS NULL THEN '{}'::text[] ELSE ARRAY['year:' || p.year] END "
    "|| ARRAY(SELECT 'theme:' || f.theme_id FROM library_publication_themes f "
    "WHERE f.publication_id = p.id) "
    "|| ARRAY(SELECT 'country:' || f.country FROM library_publicationcountry f "
    "WHERE f.publication_id = p.id) "
    "|| ARRAY(SELECT 'region:' || f.region FROM library_publicationregion f "
    "WHERE f.publication_id = p.id) "
    "|| ARRAY(SELECT 'organization:' || f.organization_id "
    "FROM library_publication_organizations f WHERE f.publication_id = p.id)"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE library_publicationsearchdocument "
        "ADD COLUMN IF NOT EXISTS facet_keys text[] NOT NULL DEFAULT '{}'"
    )
    schema_editor.execute(
        f"UPDATE library_publicationsearchdocument AS d SET facet_keys = {FACET_KEYS_SQL} "  # noqa: S608
        "FROM library_publication AS p WHERE p.id = d.publication_id AND d.vector IS NOT NULL"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS library_searchdoc_facets_gin "
        "ON library_publicationsearchdocument USING gin (facet_keys)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS library_searchdoc_facets_gin")
        schema_editor.execute(
            "ALTER TABLE library_publicationsearchdocument DROP COLUMN IF EXISTS facet_keys"
        )


class Migration(migrations.Migration):
    dependencies = [("library", "0004_glossary_themes_programme_publications")]

    operations = [migrations.RunPython(forwards, backwards)]
