"""Staff edit the glossary in the admin: a new term's address is made from the term,
free of the language's other addresses, and every edit reaches the linked texts."""

import pytest

from library.models import Concept, ConceptTerm
from members.models import Role
from tests.admin_forms import admin_post_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(member_factory):
    return member_factory(role=Role.STAFF, is_staff=True, is_superuser=True)


@pytest.fixture
def transfer(db):
    concept = Concept.objects.create(key="cash-transfer")
    ConceptTerm.objects.create(
        concept=concept,
        language="es",
        term="transferencia monetaria",
        slug="transferencia-monetaria",
        definition="Pago en efectivo.",
    )
    return concept


def _new_term(index: int, **fields) -> dict[str, str]:
    values = {"language": "es", "definition": "Una definición.", "synonyms": "[]", **fields}
    return {f"terms-{index}-{name}": value for name, value in values.items()}


def test_a_term_added_in_the_admin_whose_address_is_taken_gets_the_next_one(
    client, superuser, transfer
):
    # The address was slugify(term) unchecked: the unique constraint turned the save
    # into a 500.
    other = Concept.objects.create(key="monetary-transfer")
    client.force_login(superuser)
    status, page = admin_post_changed(
        client,
        f"/admin/library/concept/{other.pk}/change/",
        **{"terms-TOTAL_FORMS": "1"},
        **_new_term(0, term="Transferencia  monetaria", concept=str(other.pk)),
    )
    assert status == 302, page
    added = ConceptTerm.objects.get(concept=other)
    assert added.slug == "transferencia-monetaria-2"


def test_a_new_concepts_term_address_is_made_not_typed(client, superuser, transfer):
    # Typed, it could be "Cash_Transfer": the term's page URL cannot hold it and every
    # page linking the term failed to build its link.
    client.force_login(superuser)
    status, page = admin_post_changed(
        client,
        "/admin/library/concept/add/",
        key="conditional-transfer",
        **{"terms-TOTAL_FORMS": "2"},
        **_new_term(0, term="Transferencia monetaria", slug="Cash_Transfer"),
        **_new_term(1, language="en", term="Conditional transfer", slug="x"),
    )
    assert status == 302, page
    terms = ConceptTerm.objects.filter(concept__key="conditional-transfer")
    assert dict(terms.values_list("language", "slug")) == {
        "es": "transferencia-monetaria-2",
        "en": "conditional-transfer",
    }
    assert client.get("/library/glossary/es/transferencia-monetaria-2/").status_code == 200


def test_a_term_edited_in_the_admin_is_linked_with_its_new_wording(client, superuser, transfer):
    # Linked texts are cached under the glossary's version, read from the terms' times:
    # an admin edit kept them, so pages went on linking the old wording.
    from library.services.glossary import glossary_link_html

    html = "<p>Un subsidio monetario y una transferencia monetaria.</p>"
    assert "glossary-term" in glossary_link_html(html, "es")
    assert ">transferencia monetaria</a>" in glossary_link_html(html, "es")
    term = transfer.terms.get()
    client.force_login(superuser)
    status, page = admin_post_changed(
        client,
        f"/admin/library/concept/{transfer.pk}/change/",
        **{"terms-0-term": "subsidio monetario"},
    )
    assert status == 302, page
    term.refresh_from_db()
    assert term.term == "subsidio monetario"
    linked = glossary_link_html(html, "es")
    assert ">subsidio monetario</a>" in linked
    assert ">transferencia monetaria</a>" not in linked
