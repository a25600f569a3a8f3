import pytest

from library.seeding import demo_glossary_csv
from library.selectors import glossary as glossary_selectors
from library.services.glossary import glossary_import


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


@pytest.fixture
def staff(member_factory):
    return member_factory(email="staff@example.org", is_staff=True)
