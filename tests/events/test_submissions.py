"""Members of partner organizations submit events; staff or the organization's admins
review them; the submitter is notified; likely duplicates are flagged."""

from datetime import UTC, datetime

import pytest

from events.models import Event
from members.models import Role
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_member(member_factory, organization):
    return member_factory(
        email="amina@example.org", organization=organization, time_zone="Africa/Dakar"
    )


def _form(**overrides):
    data = {
        "kind": "workshop",
        "status": "scheduled",
        "title": "Adaptive social protection in the Sahel",
        "description": "Two days **in person**. <script>x</script>",
        "online": "0",
        "city_search": "Dakar",
        "venue_name": "King Fahd Palace",
        "starts_local": "2027-06-14T10:00",
        "ends_local": "2027-06-14T17:00",
        "languages": ["fr"],
        "action": "save",
    }
    data.update(overrides)
    return data


def test_picking_the_city_shows_its_zone_before_saving(frozen, partner_member, client):
    client.force_login(partner_member)
    page = client.post("/events/submit/", _form(action="find")).content.decode()
    assert "Dakar — Africa/Dakar, UTC+0" in page
    assert "this time stays the same in the new place" in page
    assert not Event.objects.exists()


def test_a_member_submits_and_the_organizations_admin_approves(
    frozen, partner_member, organizer, client
):
    client.force_login(partner_member)
    dakar = [c for c in __import__("events.places").places.cities_matching("Dakar")][0]
    response = client.post("/events/submit/", _form(city=dakar.geonameid))
    event = Event.objects.get()
    assert response.status_code == 302 and event.review == Event.Review.PENDING
    assert (event.zone, event.starts_at) == (
        "Africa/Dakar",
        datetime(2027, 6, 14, 10, 0, tzinfo=UTC),
    )
    assert event.venue.city == "Dakar" and event.venue.zone == "Africa/Dakar"
    assert (
        "<script>" not in event.description_html
        and "<strong>in person</strong>" in event.description_html
    )
    assert client.get("/events/?view=month&month=2027-06").content.decode().count("Sahel") == 0
    client.force_login(organizer)
    queue = client.get("/events/review/").content.decode()
    assert "Adaptive social protection in the Sahel" in queue
    client.post(f"/events/{event.pk}/approve/")
    event.refresh_from_db()
    assert event.review == Event.Review.APPROVED
    note = Notification.objects.get(recipient=partner_member)
    assert note.kind == "events.approved" and "is on the calendar" in note.title
    assert "Sahel" in client.get("/events/?view=month&month=2027-06").content.decode()


def test_rejection_needs_a_reason_and_tells_the_submitter(
    frozen, partner_member, organizer, client
):
    client.force_login(partner_member)
    client.post("/events/submit/", _form())
    event = Event.objects.get()
    client.force_login(organizer)
    client.post(f"/events/{event.pk}/reject/", {"reason": " "})
    event.refresh_from_db()
    assert event.review == Event.Review.PENDING
    client.post(f"/events/{event.pk}/reject/", {"reason": "Please add the programme."})
    event.refresh_from_db()
    assert (event.review, event.rejection_reason) == ("rejected", "Please add the programme.")
    note = Notification.objects.get(recipient=partner_member)
    assert note.kind == "events.rejected" and note.body == "Please add the programme."


def test_another_organizations_admin_cannot_review(frozen, partner_member, member_factory, client):
    from members.models import Organization

    other = Organization.objects.create(name="Other", slug="other")
    stranger = member_factory(role=Role.PARTNER_ADMIN, organization=other)
    client.force_login(partner_member)
    client.post("/events/submit/", _form())
    event = Event.objects.get()
    client.force_login(stranger)
    assert "Sahel" not in client.get("/events/review/").content.decode()
    assert client.post(f"/events/{event.pk}/approve/").status_code == 403
    assert client.get(f"/events/{event.pk}/edit/").status_code == 403


def test_members_without_a_partner_organization_cannot_submit(frozen, member_factory, client):
    client.force_login(member_factory())
    assert client.get("/events/submit/").status_code == 403


def test_likely_duplicates_are_flagged_in_the_queue(
    frozen, partner_member, organizer, event_factory, client
):
    original = event_factory(
        title="Adaptive social protection in Sahel",
        starts_at=datetime(2027, 6, 14, 18, 0, tzinfo=UTC),
    )
    client.force_login(partner_member)
    client.post("/events/submit/", _form())
    submitted = Event.objects.exclude(pk=original.pk).get()
    assert submitted.duplicate_of == original
    client.force_login(organizer)
    assert "Possible duplicate of" in client.get("/events/review/").content.decode()


def test_changing_the_venue_keeps_the_local_time_and_follows_the_zone(frozen, organizer, client):
    client.force_login(organizer)  # an admin's own submission is approved at once
    client.post("/events/submit/", _form())
    event = Event.objects.get()
    assert event.review == Event.Review.APPROVED
    nairobi = __import__("events.places").places.cities_matching("Nairobi")[0]
    client.post(f"/events/{event.pk}/edit/", _form(city_search="Nairobi", city=nairobi.geonameid))
    event.refresh_from_db()
    assert event.zone == "Africa/Nairobi" and event.sequence == 1
    assert event.starts_at == datetime(2027, 6, 14, 7, 0, tzinfo=UTC)  # 10:00 in Nairobi
    client.post(f"/events/{event.pk}/edit/", _form(city_search="Nairobi", status="postponed"))
    event.refresh_from_db()
    assert event.status == Event.Status.POSTPONED and event.sequence == 2
    assert "(postponed)" in client.get("/events/?view=month&month=2027-06").content.decode()


def test_an_online_event_needs_a_zone(frozen, organizer, client):
    client.force_login(organizer)
    page = client.post("/events/submit/", _form(online="1", city_search="")).content.decode()
    assert "Choose the time zone of an online event." in page
    client.post("/events/submit/", _form(online="1", city_search="", zone="Asia/Manila"))
    event = Event.objects.get()
    assert event.online and event.venue is None
    assert event.starts_at == datetime(2027, 6, 14, 2, 0, tzinfo=UTC)


def test_the_submitter_gets_the_decision_by_email_in_their_language(
    frozen, member_factory, organization, organizer, client
):
    from datetime import timedelta

    from notifications.immediate import notifications_email_pending
    from notifications.models import OutboundEmail

    amina = member_factory(email="amina@example.org", organization=organization, language="fr")
    client.force_login(amina)
    client.post("/events/submit/", _form())
    event = Event.objects.get()
    client.force_login(organizer)
    client.post(f"/events/{event.pk}/reject/", {"reason": "Ajoutez le programme."})
    assert notifications_email_pending(recipient_id=amina.pk, at=frozen + timedelta(hours=1)) == 1
    email = OutboundEmail.objects.get(to="amina@example.org")
    assert email.kind == "events.rejected"
    assert "n'a pas été accepté" in email.subject + email.text
    assert "Ajoutez le programme." in email.text


def test_a_double_submit_stores_one_event(frozen, partner_member, client):
    # A double click (or the browser resending the form) used to put the event in the
    # review queue twice, the second flagged as a duplicate of the first.
    client.force_login(partner_member)
    dakar = __import__("events.places").places.cities_matching("Dakar")[0]
    first = client.post("/events/submit/", _form(city=dakar.geonameid))
    second = client.post("/events/submit/", _form(city=dakar.geonameid))
    event = Event.objects.get()
    assert first["Location"] == second["Location"] == f"/events/{event.pk}/"
    assert Event.objects.filter(duplicate_of__isnull=False).count() == 0
    # A different event by the same member is a new row.
    client.post(
        "/events/submit/",
        _form(city=dakar.geonameid, starts_local="2027-06-15T10:00", ends_local="2027-06-15T17:00"),
    )
    assert Event.objects.count() == 2


def _submitted(client, member, **form):
    client.force_login(member)
    client.post("/events/submit/", _form(**form))
    return Event.objects.filter(submitted_by=member).latest("pk")


def test_a_cancelled_or_rejected_event_is_nobodys_duplicate(
    frozen, partner_member, event_factory, client
):
    # The same workshop announced again after the first announcement was called off
    # is the one to review, not a repeat of an event that will not happen.
    starts_at = datetime(2027, 6, 14, 10, 0, tzinfo=UTC)
    event_factory(
        title="Adaptive social protection in the Sahel",
        starts_at=starts_at,
        status=Event.Status.CANCELLED,
    )
    event_factory(
        title="Adaptive social protection in the Sahel",
        starts_at=starts_at,
        review=Event.Review.REJECTED,
    )
    assert _submitted(client, partner_member).duplicate_of is None


def test_titles_match_whatever_their_case_spacing_and_accent_encoding(
    frozen, partner_member, event_factory, client
):
    import unicodedata

    # Outlook writes "é" as e + a combining accent; the form sends it composed.
    decomposed = unicodedata.normalize("NFD", "Éducation à l’épargne")
    original = event_factory(
        title=f"  {decomposed.upper()}  ", starts_at=datetime(2027, 6, 14, 9, 0, tzinfo=UTC)
    )
    submitted = _submitted(client, partner_member, title="éducation à  l’épargne")
    assert submitted.duplicate_of == original


def test_the_closest_title_is_flagged_not_the_first_similar_one(
    frozen, partner_member, event_factory, client
):
    starts_at = datetime(2027, 6, 14, 10, 0, tzinfo=UTC)
    event_factory(title="Adaptive social protection in the Sahel region", starts_at=starts_at)
    same = event_factory(title="Adaptive social protection in the Sahel", starts_at=starts_at)
    assert _submitted(client, partner_member).duplicate_of == same


def test_an_event_entered_in_another_zone_is_found_by_its_instant(
    frozen, partner_member, event_factory, client
):
    # 10:00 in Dakar is 11:00 in Lagos: the same start, entered in two zones.
    lagos = event_factory(
        title="Adaptive social protection in the Sahel",
        zone="Africa/Lagos",
        starts_at=datetime(2027, 6, 14, 10, 0, tzinfo=UTC),
    )
    event_factory(
        title="Adaptive social protection in the Sahel",
        starts_at=datetime(2027, 6, 15, 10, 30, tzinfo=UTC),  # more than a day later
    )
    assert _submitted(client, partner_member).duplicate_of == lagos


def test_an_imported_series_is_not_the_duplicate_of_its_own_moved_occurrence(organization):
    # A moved occurrence carries its series' UID: it is part of the event, not another.
    from events.models import CalendarSubscription
    from events.services.imports import calendar_import

    subscription = CalendarSubscription.objects.create(
        organization=organization, url="https://cal.example.org/x.ics", review_first=True
    )
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:clinic@x\r\nSUMMARY:Registry clinic\r\n"
        b"DTSTART:20270302T080000Z\r\nDTEND:20270302T090000Z\r\n"
        b"RRULE:FREQ=WEEKLY;COUNT=4\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:clinic@x\r\nSUMMARY:Registry clinic (moved)\r\n"
        b"RECURRENCE-ID:20270309T080000Z\r\n"
        b"DTSTART:20270310T080000Z\r\nDTEND:20270310T090000Z\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    calendar_import(organization=organization, data=data, subscription=subscription)
    series = Event.objects.get(uid="clinic@x", recurrence_id__isnull=True)
    assert series.duplicate_of is None
