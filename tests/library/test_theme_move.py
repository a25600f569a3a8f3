"""Staff move a theme to a new parent in the admin: the publications filed under it (or
under a theme below it) are found by the new parent and no longer by the old one, in the
library's search (facet values included), and a theme cannot go under its own subtree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from library.models import Theme
from library.search.service import publication_search
from library.services.themes import theme_save
from members.models import Role
from tests.admin_forms import admin_post_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(member_factory):
    return member_factory(role=Role.STAFF, is_staff=True, is_superuser=True)


def _found(client, theme: str) -> str:
    page = client.get(reverse("library:publications"), {"theme": theme})
    assert page.status_code == 200
    return page.content.decode()


def _slugs(publication) -> set[str]:
    return set(publication.themes.values_list("slug", flat=True))


def test_a_theme_moved_in_the_admin_takes_its_publications_to_the_new_parent(
    client, superuser, publish, themes
):
    filed = publish(title="Conditional cash in Kenya", theme_ids=[themes["conditional"].pk])
    other = publish(title="Assistance at large", theme_ids=[themes["root"].pk])
    assert "Conditional cash in Kenya" in _found(client, "social-assistance")
    client.force_login(superuser)

    status, page = admin_post_changed(
        client,
        f"/admin/library/theme/{themes['cash'].pk}/change/",
        parent=str(themes["pensions"].pk),
    )

    assert status == 302, page
    assert Theme.objects.get(slug="conditional").path == (
        "social-pensions/cash-transfers/conditional"
    )
    assert _slugs(filed) == {"social-pensions", "cash-transfers", "conditional"}
    assert _slugs(other) == {"social-assistance"}
    assert "Conditional cash in Kenya" in _found(client, "social-pensions")
    old_parent = _found(client, "social-assistance")
    assert "Conditional cash in Kenya" not in old_parent
    assert "Assistance at large" in old_parent
    # The facet counts (stored with the search document on PostgreSQL) follow too.
    counts = {v.value: v.count for v in publication_search(query="").facets["theme"]}
    assert counts["social-pensions"] == 1 and counts["social-assistance"] == 1


def test_a_theme_chosen_beside_the_moved_one_is_kept(publish, themes):
    both = publish(theme_ids=[themes["conditional"].pk, themes["pensions"].pk])
    cash = themes["cash"]
    cash.parent = None
    theme_save(cash)
    assert _slugs(both) == {"cash-transfers", "conditional", "social-pensions"}
    found = publication_search(query="", filters={"theme": ["social-assistance"]})
    assert found.total == 0


def test_a_theme_cannot_be_moved_under_itself_or_below_it(client, superuser, publish, themes):
    filed = publish(theme_ids=[themes["conditional"].pk])
    client.force_login(superuser)
    url = f"/admin/library/theme/{themes['root'].pk}/change/"
    for below in ("root", "conditional"):
        status, page = admin_post_changed(client, url, parent=str(themes[below].pk))
        assert status == 200
        assert "A theme cannot be placed under itself or under a theme below it." in page
    assert Theme.objects.get(pk=themes["root"].pk).parent is None
    assert _slugs(filed) == {"social-assistance", "cash-transfers", "conditional"}


def test_the_service_refuses_a_cycle_the_form_did_not_see(themes):
    from django.core.exceptions import ValidationError

    # The admin checks on the form; a move made meanwhile is caught under the locks.
    root = Theme.objects.get(pk=themes["root"].pk)
    root.parent = themes["conditional"]
    with pytest.raises(ValidationError):
        theme_save(root)
    assert Theme.objects.get(pk=root.pk).path == "social-assistance"


def test_a_renamed_theme_takes_its_subtree_along(publish, themes):
    filed = publish(theme_ids=[themes["conditional"].pk])
    cash = themes["cash"]
    cash.slug = "cash"
    theme_save(cash)
    assert Theme.objects.get(slug="conditional").path == "social-assistance/cash/conditional"
    assert _slugs(filed) == {"social-assistance", "cash", "conditional"}


def test_a_move_takes_as_many_queries_for_many_publications_as_for_one(publish, themes):
    def move(n: int, parent: Theme | None) -> int:
        for _ in range(n):
            publish(theme_ids=[themes["conditional"].pk, themes["cash"].pk])
        cash = Theme.objects.get(pk=themes["cash"].pk)
        cash.parent = parent
        with CaptureQueriesContext(connection) as queries:
            theme_save(cash)
        return len(queries)

    few = move(1, themes["pensions"])
    many = move(6, themes["root"])
    assert many == few
    assert publication_search(query="", filters={"theme": ["social-assistance"]}).total == 7
