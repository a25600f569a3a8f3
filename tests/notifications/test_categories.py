"""One way to add a notification category: category_register, used by every app above
notifications (events, monitoring, surveys) from its AppConfig.ready()."""

import pytest

from notifications import categories
from notifications.categories import Category, Channel, category_of, category_register
from notifications.forms import PreferencesForm


@pytest.fixture
def restore_registry():
    saved = dict(categories.CATEGORIES), dict(categories.KIND_CATEGORY)
    yield
    categories.CATEGORIES.clear()
    categories.CATEGORIES.update(saved[0])
    categories.KIND_CATEGORY.clear()
    categories.KIND_CATEGORY.update(saved[1])


def test_apps_register_their_categories_through_the_registry():
    assert category_of("events.approved").code == "events.submission"
    assert category_of("events.rejected").code == "events.submission"
    assert category_of("surveys.reminder").code == "surveys.invitation"
    report = category_of("monitoring.partner_report")
    assert report.hidden and report.default == Channel.IMMEDIATE


def test_registering_the_same_category_twice_is_harmless(restore_registry):
    category = Category("tests.thing", "Things", Channel.DAILY)
    category_register(category, kinds=("tests.thing_done",))
    category_register(category, kinds=("tests.thing_done",))
    assert category_of("tests.thing_done") is category


def test_a_clashing_category_or_kind_is_refused(restore_registry):
    category_register(Category("tests.thing", "Things", Channel.DAILY), kinds=("tests.done",))
    with pytest.raises(ValueError, match="already registered"):
        category_register(Category("tests.thing", "Other things", Channel.WEEKLY))
    with pytest.raises(ValueError, match="already belongs"):
        category_register(Category("tests.other", "Others", Channel.DAILY), kinds=("tests.done",))
    with pytest.raises(ValueError, match="itself a category"):
        category_register(Category("tests.other", "Others", Channel.DAILY), kinds=("tests.thing",))
    assert "tests.other" not in categories.CATEGORIES


def test_hidden_categories_are_not_rows_of_the_preferences_matrix(restore_registry):
    category_register(Category("tests.secret", "Secret", Channel.IMMEDIATE, hidden=True))
    category_register(Category("tests.shown", "Shown", Channel.IMMEDIATE))
    form = PreferencesForm(channels={})
    assert "channel__tests.shown" in form.rows
    assert "channel__tests.secret" not in form.rows
    assert "channel__monitoring.partner_report" not in form.rows
    assert "channel__events.submission" in form.rows
