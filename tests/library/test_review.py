"""Submitting and the review workflow: checklist, comments, decisions, the log,
duplicates, and the submitter told through notifications."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from library.models import Publication, PublicationTransition
from library.search.service import publication_search
from library.services import publications as services
from library.services.publications import PublicationData
from library.services.themes import theme_save
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def data(**fields):
    fields.setdefault("title", "Les transferts monétaires au Sénégal")
    fields.setdefault("kind", "working_paper")
    fields.setdefault("language", "fr")
    fields.setdefault("countries", ["SN"])
    return PublicationData(**fields)


def test_full_review_round(member, staff, themes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.publication_submit(
            submitter=member, data=data(theme_ids=[themes["conditional"].pk], year=2024, month=3)
        )
    assert submitted.status == "submitted"
    # The conditional theme brings its ancestors.
    assert {t.slug for t in submitted.themes.all()} == {
        "social-assistance",
        "cash-transfers",
        "conditional",
    }
    assert [r.region for r in submitted.region_rows.all()] == ["sub_saharan_africa"]
    assert Notification.objects.filter(recipient=staff, kind="library.submitted").exists()

    with pytest.raises(ValidationError):
        services.publication_publish(reviewer=staff, publication=submitted)  # checklist open
    services.publication_comment(actor=staff, publication=submitted, note="Add the abstract.")
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_request_changes(
            reviewer=staff, publication=submitted, note="Please add an abstract."
        )
    told = Notification.objects.filter(recipient=member, kind="library.review")
    # In the submitter's language (French).
    assert (
        told.filter(title__startswith="Modifications demandées").exists()
        or told.filter(title__startswith="Changes requested").exists()
    )

    services.publication_update(
        actor=member,
        publication=submitted,
        data=data(abstract="Une étude des transferts.", theme_ids=[themes["conditional"].pk]),
    )
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    services.publication_checklist_set(
        reviewer=staff, publication=submitted, metadata=True, taxonomy=True, licence=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_publish(reviewer=staff, publication=submitted)
    submitted.refresh_from_db()
    assert submitted.status == "published" and submitted.published_at
    assert publication_search(query="transfert").total == 1

    log = list(
        PublicationTransition.objects.filter(publication=submitted).values_list(
            "action", "actor__full_name", "from_status", "to_status"
        )
    )
    assert log == [
        ("submit", "Samba Submitter", "", "submitted"),
        ("comment", "Rita Reviewer", "submitted", "submitted"),
        ("request_changes", "Rita Reviewer", "submitted", "changes_requested"),
        ("resubmit", "Samba Submitter", "changes_requested", "submitted"),
        ("checklist", "Rita Reviewer", "submitted", "submitted"),
        ("publish", "Rita Reviewer", "submitted", "published"),
    ]
    assert all(t.at for t in PublicationTransition.objects.all())


def test_reject_needs_a_reason_and_tells_the_submitter(member, staff):
    submitted = services.publication_submit(submitter=member, data=data())
    with pytest.raises(ValidationError):
        services.publication_reject(reviewer=staff, publication=submitted, reason=" ")
    services.publication_reject(reviewer=staff, publication=submitted, reason="Out of scope.")
    submitted.refresh_from_db()
    assert submitted.status == "rejected"
    note = Notification.objects.get(recipient=member, kind="library.review")
    assert note.body == "Out of scope."


def test_only_reviewers_decide(member, member_factory):
    submitted = services.publication_submit(submitter=member, data=data())
    other = member_factory()
    for action in (
        lambda: services.publication_publish(reviewer=member, publication=submitted),
        lambda: services.publication_request_changes(
            reviewer=other, publication=submitted, note="x"
        ),
        lambda: services.publication_update(actor=other, publication=submitted, data=data()),
    ):
        with pytest.raises(PermissionDenied):
            action()


def test_the_submitter_edits_only_under_review_even_from_a_page_loaded_before(
    member, staff, client
):
    from django.urls import reverse

    submitted = services.publication_submit(submitter=member, data=data())
    edit, review = (
        reverse(name, args=[submitted.pk]) for name in ("library:edit", "library:review")
    )
    client.force_login(member)
    assert client.get(edit).status_code == 200
    assert f'href="{edit}"' in client.get(review).content.decode()
    loaded = Publication.objects.get(pk=submitted.pk)  # the submitter's form, still open
    services.publication_reject(reviewer=staff, publication=submitted, reason="Out of scope.")
    with pytest.raises(PermissionDenied):
        services.publication_update(actor=member, publication=loaded, data=data(title="New"))
    submitted.refresh_from_db()
    assert submitted.status == "rejected" and submitted.title != "New"
    assert client.get(edit).status_code == 403
    assert f'href="{edit}"' not in client.get(review).content.decode()
    client.force_login(staff)  # reviewers correct metadata at any stage
    assert client.get(edit).status_code == 200
    assert f'href="{edit}"' in client.get(review).content.decode()


def test_duplicates_by_doi_then_normalised_title(member, publish):
    original = publish(title="Cash Transfers: A Review.", doi="10.1234/abc")
    by_doi = services.publication_submit(
        submitter=member, data=data(title="Something else", doi="https://doi.org/10.1234/ABC")
    )
    assert by_doi.possible_duplicate == original
    by_title = services.publication_submit(
        submitter=member, data=data(title="cash transfers — a review", language="en")
    )
    assert by_title.possible_duplicate == original
    fresh = services.publication_submit(submitter=member, data=data(title="New"))
    assert fresh.possible_duplicate is None


def test_translations_are_one_work(member, publish):
    english = publish(title="Cash transfers in Senegal", language="en")
    french = services.publication_submit(
        submitter=member, data=data(title="Les transferts au Sénégal"), translation_of=english
    )
    assert french.work_id == english.work_id
    with pytest.raises(ValidationError):
        services.publication_submit(
            submitter=member, data=data(title="Again", language="en"), translation_of=english
        )


@pytest.mark.parametrize(
    "fields, bad",
    [
        ({"title": "  "}, "title"),
        ({"kind": "novel"}, "kind"),
        ({"year": 2024, "month": 2, "day": 30}, "day"),
        ({"month": 3}, "month"),
        ({"doi": "not a doi"}, "doi"),
        ({"countries": ["XX"]}, "countries"),
        ({"isbn": "12"}, "isbn"),
    ],
)
def test_bad_metadata_is_refused_by_field(member, fields, bad):
    with pytest.raises(ValidationError) as caught:
        services.publication_submit(submitter=member, data=data(**fields))
    assert bad in caught.value.message_dict
    assert not Publication.objects.exists()


def test_year_only_dates(publish):
    item = publish(title="Old report", year=1998)
    assert item.date_label == "1998"


def test_moving_a_theme_moves_its_subtree(themes):
    from django.core.exceptions import ValidationError as ModelError

    from library.models import Theme

    cash = themes["cash"]
    cash.parent = themes["pensions"]
    theme_save(cash)
    assert (
        Theme.objects.get(slug="conditional").path == "social-pensions/cash-transfers/conditional"
    )
    root = Theme.objects.get(slug="social-pensions")
    root.parent = Theme.objects.get(slug="conditional")
    with pytest.raises(ModelError):
        root.full_clean()
