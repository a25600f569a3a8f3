"""Glossary CSV: one row per concept, columns per language; all rows or none; bad rows
reported with their line and reason; export formula-safe; a round trip changes nothing."""

import csv
import io
import json

import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.urls import reverse

from library.models import Concept, ConceptSource, ConceptTerm
from library.services.glossary import (
    GlossaryFileError,
    glossary_export_rows,
    glossary_import,
)
from tests.library.files import glossary_csv

pytestmark = pytest.mark.django_db


CCT = {
    "key": "conditional-cash-transfer",
    "en_term": "conditional cash transfer",
    "en_definition": "Cash paid on conditions.",
    "en_abbreviation": "CCT",
    "en_synonyms": "CCTs",
    "es_term": "transferencia monetaria condicionada",
    "es_definition": "Pago en efectivo sujeto a corresponsabilidades.",
    "es_abbreviation": "TMC",
    "es_synonyms": "TMCs; transferencia condicionada",
    "fr_term": "transfert monétaire conditionnel",
    "fr_definition": "Versement d'argent sous conditions.",
    "see_also": "targeting",
    "sources": "World Bank | 2018 | The State of Social Safety Nets | https://worldbank.org"
    " | 2026-11-02 || ISPA | | Glossary | |",
}
TARGETING = {"key": "targeting", "en_term": "targeting", "en_definition": "Choosing who gets it."}


def test_import_creates_concepts_with_terms_sources_and_see_also():
    result = glossary_import(actor=None, data=glossary_csv(CCT, TARGETING))
    assert result.as_dict() == {"created": 2, "updated": 0, "unchanged": 0, "errors": []}
    concept = Concept.objects.get(key="conditional-cash-transfer")
    es = concept.terms.get(language="es")
    assert (es.term, es.abbreviation, es.synonyms) == (
        "transferencia monetaria condicionada",
        "TMC",
        ["TMCs", "transferencia condicionada"],
    )
    assert es.slug == "transferencia-monetaria-condicionada"
    assert concept.terms.get(language="fr").slug == "transfert-monetaire-conditionnel"
    assert [c.key for c in concept.see_also.all()] == ["targeting"]
    first, second = ConceptSource.objects.filter(concept=concept)
    assert (first.author, first.year, first.accessed.isoformat()) == (
        "World Bank",
        2018,
        "2026-11-02",
    )
    assert (second.author, second.year, second.url) == ("ISPA", None, "")


def test_the_same_file_twice_changes_nothing():
    data = glossary_csv(CCT, TARGETING)
    glossary_import(actor=None, data=data)
    before = list(ConceptTerm.objects.values_list("id", "updated_at"))
    assert glossary_import(actor=None, data=data).as_dict()["unchanged"] == 2
    assert list(ConceptTerm.objects.values_list("id", "updated_at")) == before


def test_a_changed_row_updates_its_concept_and_keeps_addresses():
    glossary_import(actor=None, data=glossary_csv(CCT, TARGETING))
    changed = {**CCT, "es_term": "transferencia condicionada en efectivo", "fr_term": ""}
    changed["fr_definition"] = ""
    result = glossary_import(actor=None, data=glossary_csv(changed, TARGETING))
    assert (result.updated, result.unchanged) == (1, 1)
    es = ConceptTerm.objects.get(language="es")
    assert es.term == "transferencia condicionada en efectivo"
    assert es.slug == "transferencia-monetaria-condicionada"  # a page's address is stable
    assert not ConceptTerm.objects.filter(language="fr").exists()


def test_bad_rows_are_listed_with_line_and_reason_and_nothing_is_written():
    rows = [
        TARGETING,
        {**CCT, "key": "Bad Key"},
        {"key": "no-definition", "es_term": "focalización"},
        {"key": "targeting", "en_term": "again", "en_definition": "dup"},
        {**CCT, "key": "bad-source", "sources": "Someone | nineteen | A title"},
        {
            **CCT,
            "key": "unknown-see-also",
            "en_term": "x",
            "es_term": "y",
            "fr_term": "z",
            "see_also": "nowhere",
        },
        {"key": "dup-term", "en_term": "Targeting", "en_definition": "same term"},
    ]
    result = glossary_import(actor=None, data=glossary_csv(*rows))
    assert result.created == 0
    assert Concept.objects.count() == 0
    where = {e["where"]: e["reason"] for e in result.errors}
    assert set(where) == {"line 3", "line 4", "line 5", "line 6", "line 7", "line 8"}
    assert "Bad Key" in where["line 3"]
    assert "es_definition" in where["line 4"]
    assert "already on line 2" in where["line 5"]
    assert "nineteen" in where["line 6"]
    assert "nowhere" in where["line 7"]
    assert "Targeting" in where["line 8"]


def test_a_term_another_stored_concept_uses_is_refused():
    glossary_import(actor=None, data=glossary_csv(TARGETING))
    result = glossary_import(
        actor=None,
        data=glossary_csv({"key": "other", "en_term": "TARGETING", "en_definition": "x"}),
    )
    assert result.errors and "targeting" in result.errors[0]["reason"]
    assert not Concept.objects.filter(key="other").exists()


def test_unreadable_files_are_refused_whole():
    with pytest.raises(GlossaryFileError):
        glossary_import(actor=None, data="key,en_term\nx,é".encode("latin-1"))
    with pytest.raises(GlossaryFileError):
        glossary_import(actor=None, data=b"name,definition\nx,y\n")
    with pytest.raises(GlossaryFileError):
        glossary_import(actor=None, data=b"key,en_term,colour\nx,y,z\n")


def test_export_is_formula_safe_and_imports_back_unchanged(tmp_path):
    hostile = {**TARGETING, "en_definition": '=HYPERLINK("http://evil")', "en_synonyms": "@sum"}
    glossary_import(actor=None, data=glossary_csv(CCT, hostile))
    path = tmp_path / "glossary.csv"
    call_command("export_glossary", str(path))
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["key"] for r in rows] == ["conditional-cash-transfer", "targeting"]
    assert rows[1]["en_definition"].startswith("'=HYPERLINK")
    assert rows[1]["en_synonyms"] == "'@sum"
    result = glossary_import(actor=None, data=path.read_bytes())
    assert result.as_dict() == {"created": 0, "updated": 0, "unchanged": 2, "errors": []}
    assert ConceptTerm.objects.get(concept__key="targeting").definition.startswith("=HYPER")
    assert len(list(glossary_export_rows())) == 2


def test_command_reports_json_and_exit_codes(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(glossary_csv({"key": "x", "en_term": "y"}))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_glossary", str(bad), "--json")
    assert exit_.value.code == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["errors"] == [{"where": "line 2", "reason": "en_definition is empty"}]
    with pytest.raises(SystemExit) as exit_:
        call_command("import_glossary", str(tmp_path / "missing.csv"))
    assert exit_.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_bytes(glossary_csv(TARGETING))
    call_command("import_glossary", str(good), "--json")
    assert json.loads(capsys.readouterr().out)["created"] == 1


def test_staff_page_imports_and_shows_errors(client, staff, member_factory):
    url = reverse("library:glossary_import")
    client.force_login(member_factory())
    assert client.get(url).status_code == 302  # to the admin login: staff only
    assert client.get(reverse("library:glossary_export")).status_code == 302
    client.force_login(staff)
    upload = io.BytesIO(glossary_csv(TARGETING, {"key": "x", "en_term": "y"}))
    upload.name = "glossary.csv"
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert (
        "Line 3" in response.content.decode()
        and "en_definition is empty" in response.content.decode()
    )
    assert Concept.objects.count() == 0
    upload = io.BytesIO(glossary_csv(TARGETING))
    upload.name = "glossary.csv"
    assert client.post(url, {"file": upload}).status_code == 302
    assert Concept.objects.count() == 1
    export = client.get(reverse("library:glossary_export"))
    body = async_to_sync(_body)(export)
    assert body.splitlines()[0].startswith("key,en_term,en_definition")
    assert "targeting" in body


async def _body(response) -> str:
    return b"".join([chunk async for chunk in response.streaming_content]).decode("utf-8-sig")


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_a_new_concept_at_once_store_it_once(tmp_path):
    # Both read "no such concept, no such address", then both wrote it: the second
    # ended in an IntegrityError (a 500 on the page, a traceback from the command).
    import threading

    from tests.threads import in_threads

    path = tmp_path / "glossary.csv"
    path.write_bytes(glossary_csv(CCT, TARGETING))
    together = threading.Barrier(2)
    failures: list[BaseException] = []

    def run():
        together.wait()
        try:
            call_command("import_glossary", str(path), "--json", stdout=io.StringIO())
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    in_threads(run, 2)
    assert failures == []
    assert sorted(Concept.objects.values_list("key", flat=True)) == [
        "conditional-cash-transfer",
        "targeting",
    ]
    assert ConceptTerm.objects.filter(language="en").count() == 2


def test_an_oversized_file_is_refused_by_its_size_on_the_page(client, staff, settings):
    # The page read the whole upload into memory, then compared its length with 5 MB.
    settings.LIBRARY_GLOSSARY_MAX_BYTES = 2000
    url = reverse("library:glossary_import")
    client.force_login(staff)
    big = glossary_csv(*({**TARGETING, "key": f"t{n}", "en_term": f"t{n}"} for n in range(60)))
    assert 2000 < len(big) < 10_000
    upload = io.BytesIO(big)
    upload.name = "glossary.csv"
    page = client.post(url, {"file": upload}).content.decode()
    assert "The file is larger than 2.0\xa0KB: glossary files up to that size are imported." in (
        page
    )
    # A body past the limit (and the form's margin) is not even parsed: 413.
    upload = io.BytesIO(big * 120)
    upload.name = "glossary.csv"
    response = client.post(url, {"file": upload})
    assert response.status_code == 413
    assert "The file is larger than 2.0\xa0KB" in response.content.decode()
    assert Concept.objects.count() == 0


def test_the_command_refuses_an_oversized_file_before_reading_it(tmp_path, settings, capsys):
    # A sparse file of a gigabyte: read whole, it would fill the memory first.
    settings.LIBRARY_GLOSSARY_MAX_BYTES = 2000
    path = tmp_path / "huge.csv"
    with path.open("wb") as out:
        out.truncate(1024**3)
    with pytest.raises(SystemExit) as exit:
        call_command("import_glossary", str(path))
    assert exit.value.code == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        "import_glossary: The file is larger than 2.0\xa0KB: "
        "glossary files up to that size are imported."
    )
