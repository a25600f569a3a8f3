import pytest

from core.clock import now
from library.models import Publication, Theme, Work
from library.search.service import search_index
from library.seeding import demo_glossary_csv
from library.selectors import glossary as glossary_selectors
from library.services.glossary import glossary_import
from library.services.publications import PublicationData, _write
from members.models import Organization, Role


@pytest.fixture(autouse=True)
def _fresh_glossary_state():
    """Each test sees the glossary of its own database (the in-process version is per
    process; test databases are rolled back under it)."""
    glossary_selectors.glossary_state_reset()
    glossary_selectors._state.version = ""
    from django.core.cache import cache

    cache.clear()
    yield
    glossary_selectors.glossary_state_reset()
    glossary_selectors._state.version = ""


@pytest.fixture
def glossary(db):
    result = glossary_import(actor=None, data=demo_glossary_csv())
    assert not result.errors, result.errors
    return result


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def themes(db):
    root = Theme.objects.create(
        slug="social-assistance",
        name_en="Social assistance",
        name_es="Asistencia social",
        name_fr="Assistance sociale",
    )
    cash = Theme.objects.create(
        parent=root,
        slug="cash-transfers",
        name_en="Cash transfers",
        name_es="Transferencias monetarias",
        name_fr="Transferts monétaires",
    )
    conditional = Theme.objects.create(
        parent=cash,
        slug="conditional",
        name_en="Conditional",
        name_es="Condicionadas",
        name_fr="Conditionnels",
    )
    pensions = Theme.objects.create(
        slug="social-pensions", name_en="Social pensions", name_fr="Pensions sociales"
    )
    return {"root": root, "cash": cash, "conditional": conditional, "pensions": pensions}


@pytest.fixture
def organization(db):
    return Organization.objects.create(name="Institute of Policy", slug="ipol", country="SN")


@pytest.fixture
def staff(member_factory):
    return member_factory(
        email="staff@example.org", is_staff=True, role=Role.STAFF, full_name="Rita Reviewer"
    )


@pytest.fixture
def member(member_factory):
    return member_factory(full_name="Samba Submitter", language="fr")


@pytest.fixture
def publish(db):
    """Make a published, indexed publication straight away (no review), for reads."""

    def make(*, body: str = "", index: bool = True, **fields) -> Publication:
        data = PublicationData(
            title=fields.pop("title", "A publication"),
            kind=fields.pop("kind", "report"),
            language=fields.pop("language", "en"),
            abstract=fields.pop("abstract", ""),
            authors=fields.pop("authors", []),
            organization_ids=fields.pop("organization_ids", []),
            year=fields.pop("year", 2024),
            theme_ids=fields.pop("theme_ids", []),
            countries=fields.pop("countries", []),
            regions=fields.pop("regions", []),
            doi=fields.pop("doi", ""),
            licence=fields.pop("licence", "cc-by"),
        )
        stamp = fields.pop("published_at", now())
        publication = Publication(
            work=fields.pop("work", None) or Work.objects.create(),
            status=Publication.Status.PUBLISHED,
            created_at=stamp,
            published_at=stamp,
            **fields,
        )
        from library.services.publications import publication_data_clean

        _write(publication, publication_data_clean(data))
        if body:
            from library.models import PublicationSearchDocument

            PublicationSearchDocument.objects.update_or_create(
                publication=publication, defaults={"body": body, "language": publication.language}
            )
        if index:
            search_index([publication.pk])
        return publication

    return make
