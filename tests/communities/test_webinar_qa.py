"""The same chat serves each webinar session's live Q&A: registrants only; people without
an account come in through their personal join link, under their registered name."""

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from communities.models import ChatMessage, ContentStatus
from tests.communities.chat_helpers import closed_with, frame, joined, open_socket, send
from tests.webinars.conftest import organizer, register, webinar_factory  # noqa: F401
from webinars.models import Registration


def qa_path(session) -> str:
    return f"/ws/webinars/sessions/{session.pk}/qa/"


@pytest.fixture
def qa(webinar_factory, register):  # noqa: F811
    webinar = webinar_factory(sessions=2, title="Shock-responsive cash")
    first, second = webinar.sessions.all()
    guest = register(
        webinar, email="guest@example.org", full_name="Awa Kouassi", session=first
    ).registration
    return webinar, first, second, guest


@pytest.mark.django_db
def test_the_join_link_admits_its_registrant_to_that_sessions_room(qa, client):
    webinar, first, second, guest = qa
    assert guest.status == Registration.Status.CONFIRMED
    response = client.get(f"/j/{guest.join_token}/qa/")
    assert response.status_code == 302
    assert response["Location"] == f"/communities/qa/{first.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Awa Kouassi" in page.content.decode()
    # posting works without JavaScript, under the registered name
    client.post(f"/communities/qa/{first.pk}/post/", {"body": "When are the slides shared?"})
    message = ChatMessage.objects.get()
    assert (message.author, message.author_name) == (None, "Awa Kouassi")
    assert message.registration == guest
    # that room only
    assert client.get(f"/communities/qa/{second.pk}/").status_code == 403


@pytest.mark.django_db
def test_without_admission_visitors_are_sent_to_log_in(qa, client):
    _webinar, first, _second, _guest = qa
    response = client.get(f"/communities/qa/{first.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_confirmation_email_and_manage_page_carry_the_qa_link(
    webinar_factory,  # noqa: F811
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    import re

    webinar = webinar_factory(title="Shock-responsive cash")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/webinars/{webinar.slug}/",
            {
                "session": webinar.sessions.get().pk,
                "email": "guest@example.org",
                "full_name": "Awa Kouassi",
                "country": "CI",
                "language": "fr",
                "time_zone": "Africa/Abidjan",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    (email,) = mailoutbox
    html = email.alternatives[0][0]
    qa_link = re.search(r"https?://\S+/j/[\w-]+/qa/", email.body).group(0)
    assert qa_link in html
    assert "salle de questions en direct" in email.body  # in the registrant's language
    path = qa_link.split("://", 1)[1].split("/", 1)[1]
    room = client.get("/" + path)
    assert room.status_code == 302
    assert "Awa Kouassi" in client.get(room["Location"]).content.decode()
    manage = re.search(r"https?://[^/\s]+(/webinars/registration/\S+/)", email.body).group(1)
    assert path in client.get(manage).content.decode()


@pytest.mark.django_db
def test_the_wait_page_links_to_the_qa(qa, client):
    _webinar, _first, _second, guest = qa
    page = client.get(f"/j/{guest.join_token}")
    assert f"/j/{guest.join_token}/qa/".encode() in page.content


@pytest.mark.django_db(transaction=True)
async def test_guests_chat_over_the_websocket_under_their_registered_name(qa):
    _webinar, first, second, guest = qa
    session = {"qa_registration": guest.pk}
    comm = await open_socket(qa_path(first), AnonymousUser(), session=session)
    await joined(comm)
    await send(comm, "Hello from Abidjan", client_id="g1")
    message = (await frame(comm, "message.new"))["message"]
    assert message["author"] == {"id": None, "name": "Awa Kouassi"}
    other_room = await open_socket(qa_path(second), AnonymousUser(), session=session)
    assert await closed_with(other_room) == 4403
    nobody = await open_socket(qa_path(first), AnonymousUser())
    assert await closed_with(nobody) == 4401
    await comm.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_registered_members_and_organizers_take_part_others_do_not(
    qa,
    member_factory,
    organizer,  # noqa: F811
):
    from webinars.services import registration_create

    webinar, first, _second, _guest = qa
    member = await database_sync_to_async(member_factory)(full_name="Ama Mensah")
    stranger = await database_sync_to_async(member_factory)()
    await database_sync_to_async(registration_create)(
        webinar=webinar,
        session=first,
        email=member.email,
        full_name="Ama M.",
        consent=True,
        member=member,
    )
    speaker = await open_socket(qa_path(first), member)
    host = await open_socket(qa_path(first), organizer)
    await joined(speaker)
    await joined(host)
    await send(speaker, "Off-topic advert")
    message_id = (await frame(host, "message.new"))["message"]["id"]
    await host.send_json_to({"type": "message.hide", "id": message_id})
    assert await frame(speaker, "message.hidden") == {"type": "message.hidden", "id": message_id}
    stored = await database_sync_to_async(ChatMessage.objects.get)(pk=message_id)
    assert stored.status == ContentStatus.HIDDEN
    outsider = await open_socket(qa_path(first), stranger)
    assert await closed_with(outsider) == 4403
    await speaker.disconnect()
    await host.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_cancelled_registration_loses_its_seat(qa):
    from webinars.services import registration_cancel

    _webinar, first, _second, guest = qa
    comm = await open_socket(qa_path(first), AnonymousUser(), session={"qa_registration": guest.pk})
    await joined(comm)
    await database_sync_to_async(registration_cancel)(registration=guest)
    await send(comm, "still here?")
    assert await closed_with(comm) == 4403
    assert await database_sync_to_async(ChatMessage.objects.count)() == 0


@pytest.mark.django_db(transaction=True)
async def test_a_guest_name_with_control_characters_is_shown_clean(webinar_factory, register):  # noqa: F811
    webinar = await database_sync_to_async(webinar_factory)(title="Shock-responsive cash")
    session = await database_sync_to_async(webinar.sessions.get)()
    guest = (
        await database_sync_to_async(register)(
            webinar, email="guest@example.org", full_name="Awa \x1b[2J\u202eKouassi\r\nX\x00"
        )
    ).registration
    assert guest.full_name == "Awa [2JKouassi X"  # one line, nothing that moves the cursor
    comm = await open_socket(
        qa_path(session), AnonymousUser(), session={"qa_registration": guest.pk}
    )
    await joined(comm)
    await send(comm, "Hello", client_id="g1")
    message = (await frame(comm, "message.new"))["message"]
    assert message["author"]["name"] == "Awa [2JKouassi X"
    await comm.disconnect()
