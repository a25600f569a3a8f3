"""The calendar as a visitor meets it: list and month views in their zone, filters."""

from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.django_db


def test_list_and_month_views_show_sessions_in_the_viewers_zone(frozen, webinar_factory, client):
    # 23:30Z on 31 March is already 1 April in Manila: the month view must file it there.
    webinar_factory(title="Late in Europe", starts_at=datetime(2027, 3, 31, 23, 30, tzinfo=UTC))
    client.cookies["baraza_tz"] = "Asia/Manila"
    listing = client.get("/events/").content.decode()
    assert "Thu 1 Apr 2027, 07:30 (Asia/Manila, UTC+8)" in listing
    march = client.get("/events/?view=month&month=2027-03").content.decode()
    april = client.get("/events/?view=month&month=2027-04").content.decode()
    assert "Late in Europe" not in march
    assert "07:30</time>" in april and "Late in Europe" in april


def test_filters_by_language_including_interpretation_and_by_region(
    frozen, webinar_factory, client
):
    webinar_factory(title="Pensiones", language="es", audience={"PE": 10})
    webinar_factory(
        title="Cash in Asia", language="en", interpretation_languages=["fr"], audience={"ID": 10}
    )
    spanish = client.get("/events/?language=es").content.decode()
    assert "Pensiones" in spanish and "Cash in Asia" not in spanish
    french = client.get("/webinars/?language=fr").content.decode()
    assert "Cash in Asia" in french and "Pensiones" not in french
    asia = client.get("/events/?region=southeast_asia").content.decode()
    assert "Cash in Asia" in asia and "Pensiones" not in asia


def test_an_unknown_month_or_region_is_ignored_not_an_error(frozen, webinar_factory, client):
    webinar_factory(title="Shown anyway")
    assert client.get("/events/?view=month&month=2027-13").status_code == 200
    page = client.get("/events/?region=<script>").content.decode()
    assert "Shown anyway" in page and "<script>" not in page


def test_the_calendar_gives_titles_in_the_readers_language_or_marks_the_one_shown(
    frozen, webinar_factory, client
):
    webinar_factory(title="Cash plus", language="en")
    sahel = webinar_factory(title="Sahel", language="fr")
    sahel.title_es = "Protección social en el Sahel"
    sahel.save()
    client.cookies["baraza_language"] = "es"
    listing = client.get("/events/").content.decode()
    assert (
        '<span lang="en">Cash plus</span> <small class="fallback-language">(en inglés)</small>'
        in listing
    )
    assert ">Protección social en el Sahel</a>" in listing


def test_a_month_or_week_at_the_end_of_time_is_the_current_one_not_an_error(frozen, client):
    # The page links the month or week before and after: past 9999 or before year 1
    # there is none, and working it out was an OverflowError (a 500).
    current_month = client.get("/events/?view=month").context["month"]
    current_week = client.get("/events/?view=week").context["week"]
    for month in ("9999-12", "1-01"):
        response = client.get(f"/events/?view=month&month={month}")
        assert (response.status_code, response.context["month"]) == (200, current_month)
    for week in ("9999-12-31", "0001-01-01"):
        response = client.get(f"/events/?view=week&week={week}")
        assert (response.status_code, response.context["week"]) == (200, current_week)


def test_the_organization_choice_lists_organizers_not_every_organization(
    frozen, webinar_factory, event_factory, organization, client
):
    from events.models import Event
    from members.models import Organization

    webinar_factory(title="Cash plus", starts_at=datetime(2027, 3, 3, 9, 0, tzinfo=UTC))
    pending = Organization.objects.create(name="Only a pending event", slug="pending-org")
    event_factory(
        title="Unreviewed", starts_at=datetime(2027, 3, 4, 9, 0, tzinfo=UTC), review="pending"
    ).organizations.set([pending])
    Organization.objects.create(name="Never organized anything", slug="idle-org")
    assert Event.objects.filter(review="pending").count() == 1
    choices = client.get("/events/").context["organizations"]
    assert [o.slug for o in choices] == [organization.slug]
    chosen = client.get("/events/?organization=idle-org").context["organizations"]
    assert {o.slug for o in chosen} == {organization.slug, "idle-org"}  # still shown chosen


def test_a_country_narrows_events_to_its_venues_and_webinars_to_its_audience(
    frozen, webinar_factory, event_factory
):
    from events.selectors import CalendarFilters, calendar_items

    webinar_factory(title="For Senegal", audience={"SN": 10})
    webinar_factory(title="For Peru", audience={"PE": 10})
    event_factory(
        title="Dakar seminar", city="Dakar", starts_at=datetime(2027, 3, 4, 9, tzinfo=UTC)
    )
    event_factory(title="Online course", starts_at=datetime(2027, 3, 5, 9, tzinfo=UTC))
    items = calendar_items(
        start=datetime(2027, 1, 1, tzinfo=UTC),
        end=datetime(2028, 1, 1, tzinfo=UTC),
        filters=CalendarFilters(country="SN"),
    )
    assert sorted(item.title for item in items) == ["Dakar seminar", "For Senegal"]
