"""A glossary concept's themes: shown on its term page as links to the library filtered
by each, set by staff in the admin, carried by the glossary CSV (a `themes` column of
theme slugs), and a theme's library search names the glossary terms filed under it."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from library.models import Concept, ConceptTerm, Theme
from library.seeding import seed_library
from library.services.glossary import GLOSSARY_COLUMNS, glossary_import
from library.services.themes import theme_save
from members.models import Role
from tests.admin_forms import admin_post_changed
from tests.library.files import glossary_csv
from tests.queries import queries_of

pytestmark = pytest.mark.django_db


CCT = {
    "key": "conditional-cash-transfer",
    "en_term": "conditional cash transfer",
    "en_definition": "Cash paid on conditions.",
    "en_abbreviation": "CCT",
    "es_term": "transferencia monetaria condicionada",
    "es_definition": "Pago en efectivo sujeto a corresponsabilidades.",
    "fr_term": "transfert monétaire conditionnel",
    "fr_definition": "Versement d'argent sous conditions.",
}
PENSION = {"key": "social-pension", "en_term": "social pension", "en_definition": "Paid at 65."}


def themes_of(key: str) -> list[str]:
    return sorted(Concept.objects.get(key=key).themes.values_list("slug", flat=True))


def test_the_themes_column_files_concepts_by_slug_or_path(themes):
    data = glossary_csv(
        {**CCT, "themes": "conditional; social-assistance/cash-transfers"},
        {**PENSION, "themes": "SOCIAL-PENSIONS"},
    )
    result = glossary_import(actor=None, data=data)
    assert result.as_dict() == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert themes_of("conditional-cash-transfer") == ["cash-transfers", "conditional"]
    assert themes_of("social-pension") == ["social-pensions"]
    # Naming the same themes again changes nothing; a changed cell replaces them.
    assert glossary_import(actor=None, data=data).unchanged == 2
    result = glossary_import(actor=None, data=glossary_csv({**CCT, "themes": "social-pensions"}))
    assert result.updated == 1
    assert themes_of("conditional-cash-transfer") == ["social-pensions"]
    glossary_import(actor=None, data=glossary_csv({**CCT, "themes": ""}))
    assert themes_of("conditional-cash-transfer") == []


def test_a_file_without_the_themes_column_leaves_themes_alone(themes):
    glossary_import(actor=None, data=glossary_csv({**CCT, "themes": "conditional"}))
    older = [c for c in GLOSSARY_COLUMNS if c != "themes"]
    result = glossary_import(actor=None, data=glossary_csv(CCT, columns=older))
    assert result.unchanged == 1
    changed = {**CCT, "en_definition": "Cash paid when families meet conditions."}
    assert glossary_import(actor=None, data=glossary_csv(changed, columns=older)).updated == 1
    assert themes_of("conditional-cash-transfer") == ["conditional"]


def test_unknown_or_malformed_themes_are_row_errors_and_nothing_is_written(themes):
    rows = [
        {**PENSION, "themes": "social-pensions"},
        {**CCT, "themes": "conditional; cash transfers; nowhere/at-all"},
        {"key": "targeting", "en_term": "targeting", "en_definition": "Who.", "themes": ";;=1+1"},
    ]
    result = glossary_import(actor=None, data=glossary_csv(*rows))
    assert (result.created, Concept.objects.count()) == (0, 0)
    where = {e["where"]: e["reason"] for e in result.errors}
    assert set(where) == {"line 3", "line 4"}
    assert "unknown themes: cash transfers, nowhere/at-all" in where["line 3"]
    assert "conditional," not in where["line 3"]  # the theme it knows is not blamed
    assert "=1+1" in where["line 4"]


def test_a_theme_deleted_between_the_check_and_the_writing_is_a_row_error(themes):
    """The file is checked before the import's transaction; a theme deleted in between
    (by staff in the admin) is reported, not a foreign-key failure."""
    data = glossary_csv(PENSION, {**CCT, "themes": "conditional; social-pensions"})
    deleted = []

    def delete_once_checked(execute, sql, params, many, context):
        # The import's first read inside its transaction: the concepts it will write.
        if not deleted and '"library_concept"."key" IN' in sql:
            deleted.append(themes["pensions"].pk)
            Theme.objects.filter(pk=themes["pensions"].pk).delete()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(delete_once_checked):
        result = glossary_import(actor=None, data=data)
    assert deleted
    assert [e["where"] for e in result.errors] == ["line 3"]
    assert "deleted while importing" in result.errors[0]["reason"]
    assert not Concept.objects.exists()


def test_a_malformed_themes_cell_is_reported_on_the_staff_page(client, themes, staff):
    client.force_login(staff)
    upload = io.BytesIO(glossary_csv({**CCT, "themes": "cash-transfer"}))
    upload.name = "glossary.csv"
    page = client.post(reverse("library:glossary_import"), {"file": upload})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Line 2" in html and "unknown themes: cash-transfer" in html
    assert not Concept.objects.exists()


def test_export_writes_theme_slugs_and_imports_back_unchanged(tmp_path, themes):
    glossary_import(
        actor=None,
        data=glossary_csv({**CCT, "themes": "conditional; cash-transfers"}, PENSION),
    )
    path = tmp_path / "glossary.csv"
    call_command("export_glossary", str(path))
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(path.read_text("utf-8-sig")))}
    assert rows["conditional-cash-transfer"]["themes"] == "cash-transfers; conditional"
    assert rows["social-pension"]["themes"] == ""
    # The tree changes under the file: a theme moved keeps its slug, so the file still holds.
    themes["conditional"].parent = themes["pensions"]
    theme_save(themes["conditional"])
    result = glossary_import(actor=None, data=path.read_bytes())
    assert result.as_dict() == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}


def test_the_term_page_links_each_theme_to_the_library_filtered_by_it(client, themes):
    data = glossary_csv({**CCT, "themes": "conditional; social-pensions"}, PENSION)
    glossary_import(actor=None, data=data)
    page = client.get("/library/glossary/es/transferencia-monetaria-condicionada/")
    html = page.content.decode()
    assert 'href="/library/?theme=conditional"' in html
    assert 'href="/library/?theme=social-pensions"' in html
    assert ">Social assistance › Cash transfers › Conditional<" in html
    assert ">Social pensions<" in html
    spanish = client.get(
        "/library/glossary/en/conditional-cash-transfer/", HTTP_ACCEPT_LANGUAGE="es"
    )
    # In the reader's language (a theme without a Spanish name keeps its English one).
    assert (
        ">Asistencia social › Transferencias monetarias › Condicionadas<"
        in spanish.content.decode()
    )
    bare = client.get("/library/glossary/en/social-pension/")
    assert bare.status_code == 200 and "?theme=" not in bare.content.decode()


def test_the_term_page_costs_the_same_queries_whatever_its_themes(
    client, themes, django_assert_num_queries
):
    glossary_import(actor=None, data=glossary_csv({**CCT, "themes": "conditional"}))
    url = "/library/glossary/en/conditional-cash-transfer/"
    client.get(url)  # the glossary version and the session settle
    one = queries_of(client, url)
    all_four = "conditional; cash-transfers; social-assistance; social-pensions"
    glossary_import(actor=None, data=glossary_csv({**CCT, "themes": all_four}))
    client.get(url)
    with django_assert_num_queries(one):
        html = client.get(url).content.decode()
    assert html.count("/library/?theme=") == 4


def test_staff_set_a_concepts_themes_in_the_admin(client, themes, member_factory):
    glossary_import(actor=None, data=glossary_csv(CCT))
    concept = Concept.objects.get()
    client.force_login(member_factory(role=Role.STAFF, is_staff=True, is_superuser=True))
    url = f"/admin/library/concept/{concept.pk}/change/"
    chosen = [str(themes["conditional"].pk), str(themes["pensions"].pk)]
    status, body = admin_post_changed(client, url, themes=chosen)
    assert status == 302, body[:2000]
    assert themes_of(concept.key) == ["conditional", "social-pensions"]
    assert ConceptTerm.objects.filter(concept=concept).count() == 3  # its terms kept


def test_a_themes_library_search_names_the_glossary_terms_filed_under_it(
    client, themes, publish, django_assert_num_queries
):
    glossary_import(
        actor=None,
        data=glossary_csv(
            {**CCT, "themes": "conditional"},  # below cash transfers
            {**PENSION, "themes": "social-pensions"},
            {"key": "cash", "en_term": "cash transfer", "en_definition": "Money.", "themes": ""},
        ),
    )
    publish(title="Cash for families", theme_ids=[themes["conditional"].pk])
    page = client.get(reverse("library:publications"), {"theme": "cash-transfers"})
    html = page.content.decode()
    assert 'href="/library/glossary/en/conditional-cash-transfer/"' in html
    assert "social pension" not in html and ">cash transfer<" not in html
    spanish = client.get(
        reverse("library:publications"), {"theme": "cash-transfers"}, HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert 'href="/library/glossary/es/transferencia-monetaria-condicionada/"' in spanish
    unfiltered = client.get(reverse("library:publications")).content.decode()
    assert "Glossary terms on this theme" not in unfiltered
    # The same queries however many concepts are filed under the theme.
    one = queries_of(client, reverse("library:publications"), theme="cash-transfers")
    for n in range(5):
        glossary_import(
            actor=None,
            data=glossary_csv(
                {
                    "key": f"c{n}",
                    "en_term": f"term {n}",
                    "en_definition": "d",
                    "themes": "cash-transfers",
                }
            ),
        )
    client.get(reverse("library:publications"), {"theme": "cash-transfers"})
    with django_assert_num_queries(one):
        html = client.get(reverse("library:publications"), {"theme": "cash-transfers"}).content
    assert html.decode().count("/library/glossary/en/") == 6


def test_the_demo_glossary_is_filed_under_the_demo_themes(db):
    seed_library()
    assert themes_of("conditional-cash-transfer") == ["conditional-cash-transfers"]
    assert Theme.objects.filter(slug="shock-responsive").get().glossary_concepts.count() == 2
