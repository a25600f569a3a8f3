"""What organizers and registrants do through the pages: approve, add, message, switch."""

import pytest

from webinars.links import manage_token
from webinars.models import Registration

pytestmark = pytest.mark.django_db


def test_registrant_list_searches_and_filters_then_approves_from_the_page(
    frozen,
    webinar_factory,
    register,
    organizer,
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    webinar = webinar_factory(approval_required=True)
    register(webinar, "ama@example.org", full_name="Ama Mensah", country="GH")
    register(webinar, "lucia@example.org", full_name="Lucía Quispe", country="PE")
    client.force_login(organizer)
    url = f"/webinars/manage/{webinar.slug}/registrants/"
    by_country = client.get(url, {"country": "pe"}).content.decode()
    assert "Lucía Quispe" in by_country and "Ama Mensah" not in by_country
    by_search = client.get(url, {"q": "mensah", "status": "pending"}).content.decode()
    assert "Ama Mensah" in by_search and "Lucía Quispe" not in by_search
    ama = Registration.objects.get(email="ama@example.org")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}{ama.pk}/", {"action": "approve"})
    ama.refresh_from_db()
    assert ama.status == "confirmed"
    assert [m.subject for m in mailoutbox] == [f"You are registered: {webinar.title}"]
    response = client.post(f"{url}{ama.pk}/", {"action": "approve"}, follow=True)
    assert "Only pending registrations" in response.content.decode()


def test_organizer_adds_someone_by_hand_and_messages_everyone(
    frozen,
    webinar_factory,
    register,
    organizer,
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    webinar = webinar_factory()
    register(webinar, "ama@example.org")
    client.force_login(organizer)
    base = f"/webinars/manage/{webinar.slug}/registrants/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{base}add/",
            {
                "session": webinar.sessions.get().pk,
                "email": "kofi@example.org",
                "full_name": "Kofi Owusu",
                "language": "en",
                "time_zone": "Africa/Accra",
            },
        )
    assert Registration.objects.get(email="kofi@example.org").status == "confirmed"
    bad = client.post(f"{base}add/", {"email": "not-an-email"}, follow=True)
    assert "could not be added" in bad.content.decode()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            f"{base}message/", {"subject": "Slides", "body": "Here they are."}, follow=True
        )
    assert "Message queued for 2 registrants" in page.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == ["ama@example.org", "kofi@example.org"]
    assert all("Here they are." in m.body for m in mailoutbox)


def test_registrant_switches_session_through_the_manage_link(
    frozen, webinar_factory, register, client
):
    webinar = webinar_factory(sessions=2)
    first, second = webinar.sessions.all()
    registration = register(webinar, session=first).registration
    url = f"/webinars/registration/{manage_token(registration)}/"
    response = client.post(url, {"action": "switch", "session": second.pk}, follow=True)
    assert "You have moved to the other session." in response.content.decode()
    registration.refresh_from_db()
    assert registration.session_id == second.pk
    forged = client.post(url, {"action": "switch", "session": 999999}, follow=True)
    assert forged.status_code == 200
    registration.refresh_from_db()
    assert registration.session_id == second.pk
