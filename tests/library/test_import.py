# ruff: noqa: E501, W291  (the CSV and RIS samples are files as exporters write them)
"""import_publications: CSV, RIS and BibTeX; matching by DOI then normalised title;
idempotent; bad records listed with where and why; an unreadable file exits 2."""

import subprocess
import sys
from pathlib import Path

import pytest

from library.models import Publication, PublicationTransition
from library.search.service import publication_search
from tests.library.files import import_publications

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

CSV_TEXT = """title,abstract,authors,organizations,date,type,language,themes,countries,doi,licence,work
Cash transfers in Senegal,A study,"Diop, Awa;Ndiaye, M.",Institute of Policy,2023-05,working_paper,en,conditional,SN,10.1234/sn1,cc-by,w1
Les transferts au Sénégal,Une étude,"Diop, Awa",Institute of Policy,2023,working_paper,fr,conditional,SN,,cc-by,w1
Pensions in Nepal,,,New Org,2019,report,en,,NP,,cc0,
"""


def test_csv_import_is_idempotent_and_published(tmp_path, themes, organization):
    path = tmp_path / "pubs.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    first = import_publications(path)
    assert first == {"created": 3, "updated": 0, "skipped": 0, "errors": []}
    assert set(Publication.objects.values_list("status", flat=True)) == {"published"}
    english = Publication.objects.get(doi="10.1234/sn1")
    french = Publication.objects.get(language="fr")
    assert english.work_id == french.work_id  # linked translations
    assert (english.year, english.month) == (2023, 5)
    assert [o.slug for o in english.organizations.all()] == ["ipol"]
    assert {t.slug for t in english.themes.all()} >= {"conditional", "social-assistance"}
    assert publication_search(query="pensions").total == 1
    assert import_publications(path) == {"created": 0, "updated": 0, "skipped": 3, "errors": []}
    assert Publication.objects.count() == 3

    changed = CSV_TEXT.replace("A study", "A longer study").replace(
        "Pensions in Nepal", "PENSIONS in Nepal!"
    )
    path.write_text(changed, encoding="utf-8")
    assert import_publications(path) == {"created": 0, "updated": 2, "skipped": 1, "errors": []}
    assert Publication.objects.count() == 3
    assert PublicationTransition.objects.filter(action="import").count() == 5


def test_csv_bad_rows_listed_others_imported(tmp_path, themes):
    path = tmp_path / "bad.csv"
    path.write_text(
        "title,date,type,countries,themes\n"
        ",2020,report,,\n"
        "Good one,2020,report,KE,\n"
        "Bad date,20x0,report,,\n"
        "Bad country,2020,report,ZZ,\n"
        "Bad theme,2020,report,,no-such-theme\n"
        "Too many,2020,report,,,extra\n",
        encoding="utf-8",
    )
    report = import_publications(path)
    assert report["created"] == 1
    wheres = [e["where"] for e in report["errors"]]
    assert wheres == ["line 2", "line 4", "line 5", "line 6", "line 7"]
    assert all(e["reason"] for e in report["errors"])
    assert list(Publication.objects.values_list("title", flat=True)) == ["Good one"]


RIS_TEXT = """TY  - RPRT
TI  - Graduation programmes in Bangladesh
AU  - Rahman, A.
PY  - 2021
DO  - 10.5555/grad
LA  - en
ER  - 

TY  - JOUR
TI  - A record with a broken line
this line is not RIS
PY  - 2020
ER  - 

TY  - RPRT
TI  - Sin terminar
"""


def test_ris_broken_lines_are_errors(tmp_path):
    path = tmp_path / "zotero.ris"
    path.write_text(RIS_TEXT, encoding="utf-8")
    report = import_publications(path)
    assert report["created"] == 1
    assert report["errors"] == [
        {"where": "record at line 9", "reason": "not imported: unreadable lines line 11"},
        {"where": "record at line 15", "reason": "file ends inside the record (no ER)"},
    ]
    assert import_publications(path)["skipped"] == 1


BIB_TEXT = """@techreport{rahman2021,
  title = {Graduation programmes in {Bangladesh}},
  author = {Rahman, A. and Khan, B.},
  year = {2021},
  doi = {10.5555/GRAD},
  institution = {BRAC}
}

@article{broken,
  title = {Unbalanced {braces,
  year = {2020}
}

@misc{ok2,
  title = {Social pensions},
  year = {2018},
  language = {french}
}
"""


def test_bibtex_unbalanced_braces_and_doi_match(tmp_path):
    ris = tmp_path / "a.ris"
    ris.write_text(RIS_TEXT, encoding="utf-8")
    import_publications(ris)
    path = tmp_path / "refs.bib"
    path.write_text(BIB_TEXT, encoding="utf-8")
    report = import_publications(path)
    # The BibTeX record with the RIS record's DOI is the same publication: updated.
    assert report["updated"] == 1 and report["created"] == 1
    assert len(report["errors"]) == 1 and report["errors"][0]["where"].startswith("line 9")
    grad = Publication.objects.get(doi="10.5555/grad")
    assert [a.name for a in grad.authors.all()] == ["Rahman, A.", "Khan, B."]
    assert Publication.objects.get(title="Social pensions").language == "fr"


def test_matches_by_normalised_title_without_doi(tmp_path, publish):
    publish(title="Cash Transfers: A Review", language="en")
    path = tmp_path / "x.csv"
    path.write_text("title,language\ncash transfers a review,en\n", encoding="utf-8")
    report = import_publications(path)
    assert report["created"] == 0 and report["updated"] == 1
    assert Publication.objects.count() == 1


@pytest.mark.parametrize(
    "content, reason",
    [(None, "No such file"), (b"\x00\x01\x02binary", "binary"), (b"name,year\nx,1\n", "title")],
)
def test_unreadable_file_exits_2_with_one_line(tmp_path, content, reason):
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_publications", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "SQLITE_PATH": str(tmp_path / "db.sqlite3")},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert reason in result.stderr and "Traceback" not in result.stderr


def test_an_update_keeps_what_the_file_does_not_carry(tmp_path, themes):
    """Staff file a publication under themes, countries and a licence by hand; a later
    RIS export of the same record (RIS carries none of these) or a CSV without those
    columns updates what it carries and leaves the rest as staff left it."""
    ris = tmp_path / "zotero.ris"
    ris.write_text(RIS_TEXT, encoding="utf-8")
    import_publications(ris)
    publication = Publication.objects.get(doi="10.5555/grad")
    publication.themes.set([themes["conditional"].pk, themes["cash"].pk])
    publication.themes.add(themes["root"].pk)
    publication.licence = "cc-by"
    publication.save()
    publication.country_rows.create(country="BD")
    publication.region_rows.create(region="south_asia")

    def filed():
        publication.refresh_from_db()
        return (
            sorted(t.slug for t in publication.themes.all()),
            [c.country for c in publication.country_rows.all()],
            [r.region for r in publication.region_rows.all()],
            publication.licence,
        )

    before = filed()
    assert before[0] == ["cash-transfers", "conditional", "social-assistance"]
    assert import_publications(ris)["skipped"] == 1  # nothing it carries changed
    ris.write_text(RIS_TEXT.replace("Graduation", "Graduation and resilience"), encoding="utf-8")
    assert import_publications(ris)["updated"] == 1
    assert filed() == before
    assert publication.title.startswith("Graduation and resilience")

    csv_path = tmp_path / "titles.csv"
    csv_path.write_text("title,doi,abstract\nGraduation,10.5555/GRAD,New abstract\n", "utf-8")
    assert import_publications(csv_path)["updated"] == 1
    assert filed() == before
    assert publication.abstract == "New abstract"


def test_a_csv_that_changes_only_themes_is_an_update(tmp_path, themes, organization):
    path = tmp_path / "pubs.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    import_publications(path)
    path.write_text(CSV_TEXT.replace(",conditional,SN,10.1234", ",cash-transfers,SN,10.1234"))
    assert import_publications(path) == {"created": 0, "updated": 1, "skipped": 2, "errors": []}
    english = Publication.objects.get(doi="10.1234/sn1")
    assert sorted(t.slug for t in english.themes.all()) == ["cash-transfers", "social-assistance"]
    # An empty themes cell is a statement: no themes.
    path.write_text(CSV_TEXT.replace(",conditional,SN,10.1234", ",,SN,10.1234"))
    assert import_publications(path)["updated"] == 1
    assert not english.themes.exists()
