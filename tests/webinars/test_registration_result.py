"""The page after registering says what actually happened, as the person meets it:
confirmed, waitlisted (with the place in line, no join link promised), awaiting approval,
or already registered (the confirmation went out again)."""

import pytest

from core import clock
from tests.webinars.test_pages import form_data
from webinars.services.registrations import RESEND_EVERY

pytestmark = pytest.mark.django_db


def register_through_the_page(client, webinar, **changes):
    response = client.post(
        f"/webinars/{webinar.slug}/", form_data(webinar.sessions.get(), **changes), follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_confirmed_seat(frozen, webinar_factory, client):
    webinar = webinar_factory(title="Cash plus")
    page = register_through_the_page(client, webinar)
    assert "<h1>You are registered</h1>" in page
    assert "Your seat for “Cash plus” is confirmed" in page
    assert "join link" in page


def test_the_waiting_list_names_the_place_and_promises_no_join_link(
    frozen, webinar_factory, client
):
    webinar = webinar_factory(title="Full house", capacity=1)
    register_through_the_page(client, webinar, email="first@example.org")
    second = register_through_the_page(client, webinar, email="second@example.org")
    assert "<h1>You are on the waiting list</h1>" in second
    assert "You are next on the waiting list" in second
    third = register_through_the_page(client, webinar, email="third@example.org")
    assert "You are number 2 on the waiting list" in third
    assert "emailed you a calendar invitation and your personal join link" not in third


def test_awaiting_approval(frozen, webinar_factory, client):
    webinar = webinar_factory(title="Closed door", approval_required=True)
    page = register_through_the_page(client, webinar)
    assert "<h1>Waiting for approval</h1>" in page
    assert "approve each registration" in page


def test_registering_again_says_the_confirmation_was_sent_again(
    frozen, webinar_factory, client, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory(title="Twice")
    with django_capture_on_commit_callbacks(execute=True):
        register_through_the_page(client, webinar)
    with clock.travel(frozen + RESEND_EVERY), django_capture_on_commit_callbacks(execute=True):
        page = register_through_the_page(client, webinar)
    assert "You were already registered for “Twice”, so we have sent your confirmation" in page
    assert "<h1>You are registered</h1>" in page
    assert len(mailoutbox) == 2


def test_registering_again_at_once_says_the_email_was_not_sent_again_yet(
    frozen, webinar_factory, client, mailoutbox, django_capture_on_commit_callbacks
):
    """A double submit is one event, one email, and the page does not claim a second."""
    webinar = webinar_factory(title="Twice")
    with django_capture_on_commit_callbacks(execute=True):
        register_through_the_page(client, webinar)
        page = register_through_the_page(client, webinar)
    assert "You were already registered for “Twice”. We emailed you about it less than 10" in page
    assert "so we have not sent it again yet" in page
    assert "sent your confirmation email again" not in page
    assert len(mailoutbox) == 1


def test_a_forged_or_foreign_result_link_shows_only_the_generic_page(
    frozen, webinar_factory, client
):
    webinar = webinar_factory(title="Mine")
    other = webinar_factory(title="Other")
    response = client.post(
        f"/webinars/{other.slug}/", form_data(other.sessions.get()), follow=False
    )
    token = response["Location"].split("?r=")[1]
    foreign = client.get(f"/webinars/{webinar.slug}/registered/?r={token}").content.decode()
    assert "<h1>Check your email</h1>" in foreign
    forged = client.get(f"/webinars/{webinar.slug}/registered/?r=1:forged").content.decode()
    assert "<h1>Check your email</h1>" in forged


def test_the_result_page_reads_the_webinar_with_the_registration(
    frozen, webinar_factory, client, django_assert_num_queries
):
    """The result link's registration brings its webinar: one query for both (the page
    after every registration of a burst)."""
    webinar = webinar_factory(title="Once")
    response = client.post(f"/webinars/{webinar.slug}/", form_data(webinar.sessions.get()))
    with django_assert_num_queries(1):
        page = client.get(response["Location"]).content.decode()
    assert "<h1>You are registered</h1>" in page
    with django_assert_num_queries(1):  # no result: the webinar alone
        page = client.get(f"/webinars/{webinar.slug}/registered/").content.decode()
    assert "<h1>Check your email</h1>" in page
