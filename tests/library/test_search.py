"""The search service: same contract on SQLite (FTS5, Snowball-stemmed) and PostgreSQL
(tsvector per language config); this module runs on whichever the suite uses."""

import pytest
from django.db import connection

from library.search.service import publication_search

pytestmark = pytest.mark.django_db


def titles(results):
    return [p.title for p in results.items]


def test_backend_is_the_databases_own():
    from library.search.backends import backend

    assert backend().name == connection.vendor


def test_french_stemming_finds_plural_and_singular(publish):
    publish(title="Les transferts monétaires conditionnels au Sénégal", language="fr")
    publish(title="Pensions for older people", language="en")
    assert titles(publication_search(query="transfert monétaire")) == [
        "Les transferts monétaires conditionnels au Sénégal"
    ]


def test_spanish_and_english_stemming(publish):
    publish(title="Transferencias condicionadas en efectivo", language="es")
    publish(title="Evaluating cash transfers", language="en")
    assert titles(publication_search(query="transferencia condicionada")) == [
        "Transferencias condicionadas en efectivo"
    ]
    assert titles(publication_search(query="evaluation transfer")) == ["Evaluating cash transfers"]


def test_each_word_may_match_in_any_language(publish):
    # Spanish stems "evaluación" as English stems "evaluating"; only English stems
    # "targeting": each query word is matched on its own, in whichever language fits.
    publish(title="Evaluating targeting in cash transfers", language="en")
    publish(title="Pensions for older people", language="en")
    results = publication_search(query="evaluación targeting")
    assert titles(results) == ["Evaluating targeting in cash transfers"]
    assert not results.corrected  # found as typed, not through a "did you mean"


def test_a_stop_word_in_one_language_does_not_hide_a_match(publish):
    publish(title="Pensiones de vejez en Bolivia", language="es")
    publish(title="The graduation approach", language="en")
    for query, title in (
        ("pensiones de vejez", "Pensiones de vejez en Bolivia"),
        ("the graduation", "The graduation approach"),
    ):
        results = publication_search(query=query)
        assert titles(results) == [title]
        assert not results.corrected


def test_title_outranks_abstract_outranks_body(publish):
    publish(
        title="Unrelated report", abstract="nothing", body="graduation programmes in Bangladesh"
    )
    publish(title="Another report", abstract="On graduation programmes and exits.")
    publish(title="Graduation programmes: a review")
    assert titles(publication_search(query="graduation")) == [
        "Graduation programmes: a review",
        "Another report",
        "Unrelated report",
    ]


def test_only_published_are_found(publish):
    draft = publish(title="Secret draft about pensions", index=False)
    draft.status = "submitted"
    draft.save()
    from library.search.service import search_index

    search_index([draft.pk])
    assert publication_search(query="pensions").total == 0


def test_unpublishing_removes_from_the_index(publish):
    from library.search.service import search_index

    item = publish(title="Pensions in Nepal")
    assert publication_search(query="pensions").total == 1
    item.status = "rejected"
    item.save()
    search_index([item.pk])
    assert publication_search(query="pensions").total == 0


def test_one_index_pass_over_many_ids_keeps_the_published_and_drops_the_rest(publish):
    from library.search.service import search_index

    items = [publish(title=f"Pensions report {i}") for i in range(6)]
    for item in items[::2]:
        item.status = "rejected"
        item.save()
    gone = items[-1].pk + 1000  # an id with no publication behind it
    assert search_index([item.pk for item in items] + [gone]) == 3
    found = publication_search(query="pensions")
    assert sorted(p.pk for p in found.items) == [item.pk for item in items[1::2]]


def test_facets_count_and_filter(publish, themes, organization):
    publish(
        title="Cash transfers in Kenya",
        countries=["KE"],
        theme_ids=[themes["conditional"].pk],
        organization_ids=[organization.pk],
        year=2021,
    )
    publish(
        title="Cash transfers in Senegal",
        countries=["SN"],
        kind="policy_brief",
        language="fr",
        year=2023,
    )
    publish(
        title="Cash transfers in Brazil",
        countries=["BR"],
        theme_ids=[themes["pensions"].pk],
        year=2023,
    )
    results = publication_search(query="cash transfers")
    assert results.total == 3
    counts = {name: {v.value: v.count for v in values} for name, values in results.facets.items()}
    assert counts["country"] == {"KE": 1, "SN": 1, "BR": 1}
    assert counts["region"]["sub_saharan_africa"] == 2
    assert counts["year"] == {"2023": 2, "2021": 1}
    assert counts["type"] == {"report": 2, "policy_brief": 1}
    assert counts["language"] == {"en": 2, "fr": 1}
    # A theme counts what is filed under it: the conditional one is under both parents.
    assert counts["theme"]["social-assistance"] == 1
    assert counts["theme"]["cash-transfers"] == 1
    assert counts["organization"] == {"ipol": 1}

    filtered = publication_search(
        query="cash transfers", filters={"region": ["sub_saharan_africa"]}
    )
    assert sorted(titles(filtered)) == ["Cash transfers in Kenya", "Cash transfers in Senegal"]
    by_theme = publication_search(query="", filters={"theme": ["social-assistance"]})
    assert titles(by_theme) == ["Cash transfers in Kenya"]
    both = publication_search(query="cash", filters={"country": ["SN", "KE"], "year": ["2023"]})
    assert titles(both) == ["Cash transfers in Senegal"]
    selected = [v for v in both.facets["country"] if v.selected]
    assert [v.value for v in selected] == ["SN"]


def test_typo_is_corrected_when_nothing_matches(publish):
    publish(title="Transferts monétaires au Sénégal", language="fr")
    results = publication_search(query="tranferts")
    assert results.corrected and results.searched == "transferts"
    assert titles(results) == ["Transferts monétaires au Sénégal"]


def test_suggestion_offered_when_some_words_unknown(publish):
    publish(title="Social pensions in Nepal")
    publish(title="Pensions and nepal's elders")
    results = publication_search(query="pensions nepall")
    # "nepall" alone found nothing... and the corrected query finds both.
    assert results.total == 2


def test_hostile_query_is_just_words(publish):
    publish(title="Cash transfers")
    for query in ['"', "AND (", "cash OR", "NEAR(cash", "*", "cash' ; DROP TABLE x; --", "\x00"]:
        publication_search(query=query)  # no error
    assert publication_search(query='"cash"').total == 1


def test_search_query_count_does_not_grow(
    publish, themes, organization, django_assert_max_num_queries
):
    def make(n):
        for i in range(n):
            publish(
                title=f"Cash transfer study {i}",
                countries=["KE", "UG"],
                theme_ids=[themes["conditional"].pk],
                organization_ids=[organization.pk],
                authors=["A. Author", "B. Author"],
            )

    make(3)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        publication_search(query="cash transfer", filters={"country": ["KE"]})
    make(25)
    with CaptureQueriesContext(connection) as large:
        results = publication_search(query="cash transfer", filters={"country": ["KE"]})
    assert results.total == 28 and len(results.items) == 20
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 20


def facet_counts(results):
    return {name: {v.value: v.count for v in values} for name, values in results.facets.items()}


def test_facets_and_filters_follow_a_correction(
    publish, themes, organization, staff, django_capture_on_commit_callbacks
):
    """A reviewer corrects a published publication: its facet values (stored with its
    index entry on PostgreSQL) change with it, in the counts and in the filters."""
    from library.services.publications import PublicationData, publication_update

    item = publish(title="Cash transfers in Kenya", countries=["KE"], year=2021)
    publish(title="Cash transfers in the Philippines", countries=["PH"], year=2021)
    with django_capture_on_commit_callbacks(execute=True):
        publication_update(
            actor=staff,
            publication=item,
            data=PublicationData(
                title="Cash transfers in Senegal",
                kind="policy_brief",
                language="en",
                year=2023,
                countries=["SN"],
                theme_ids=[themes["conditional"].pk],
                organization_ids=[organization.pk],
            ),
        )
    counts = facet_counts(publication_search(query="cash transfers"))
    assert counts["country"] == {"SN": 1, "PH": 1}
    assert counts["year"] == {"2023": 1, "2021": 1}
    assert counts["type"] == {"policy_brief": 1, "report": 1}
    assert counts["theme"] == {"social-assistance": 1, "cash-transfers": 1, "conditional": 1}
    assert counts["organization"] == {"ipol": 1}
    for filters in (
        {"country": ["ke"]},
        {"year": ["2021"], "type": ["policy_brief"]},
        {"organization": ["no-such-org"]},
    ):
        assert publication_search(query="cash", filters=filters).total == 0
    for filters in (
        {"country": ["sn"]},  # codes in any case
        {"year": ["2023"], "type": ["policy_brief", "report"]},
        {"theme": ["cash-transfers"], "organization": ["ipol"]},
        {"region": ["sub_saharan_africa"], "language": ["en"]},
    ):
        found = publication_search(query="cash", filters=filters)
        assert titles(found) == ["Cash transfers in Senegal"], filters
    assert publication_search(query="cash", filters={"year": ["20x3"]}).total == 0


def test_a_page_past_the_last_shows_the_last(publish):
    for i in range(23):
        publish(title=f"Pensions study {i}", abstract="pensions" if i == 7 else "")
    first = publication_search(query="pensions")
    assert (first.total, first.pages, len(first.items)) == (23, 2, 20)
    assert titles(first)[0] == "Pensions study 7"  # title and abstract outrank title alone
    for page in (2, 3, 10**12):
        last = publication_search(query="pensions", page=page)
        assert last.page == 2 and len(last.items) == 3
    assert set(titles(first)).isdisjoint(titles(last))
    browse = publication_search(query="", filters={"type": ["report"]}, page=5)
    assert browse.page == 2 and len(browse.items) == 3


def test_near_spellings_are_looked_for_only_when_few_were_found(publish):
    from library.search.service import FEW_RESULTS

    # "nepall" is in bodies only (no indexed title or abstract has it), "nepal" in a title.
    publish(title="Social pensions in Nepal")
    for i in range(FEW_RESULTS):
        publish(title=f"Pensions report {i}", body="pensions in nepall")
    assert publication_search(query="pensions nepall").suggestion is None
    publish(title="Pensions in Bhutan", body="nepall")
    few = publication_search(query="bhutan nepall")
    assert few.total == 1 and few.suggestion == "bhutan nepal"
