"""Staff pages that act on a row named in the POST: a missing or malformed id is a 400
with a message on the page, never a 500, and changes nothing."""

import pytest

from core.clock import now
from members.models import Role
from notifications.models import OutboundEmail, SuppressedAddress

HOSTILE = [{"id": "abc"}, {"id": ""}, {}, {"id": "1e9999"}, {"id": "-1"}, {"id": "1.5"}]


@pytest.fixture
def staff_client(client, member_factory):
    client.force_login(member_factory(role=Role.STAFF))
    return client


@pytest.mark.parametrize("data", HOSTILE)
def test_lifting_a_suppression_with_a_bad_id_is_a_400(staff_client, data):
    row = SuppressedAddress.objects.create(email="gone@example.org", reason="bounced")
    posted = {"lift": data["id"]} if "id" in data else {}
    response = staff_client.post("/notifications/staff/suppressions/", posted)
    assert response.status_code == 400
    assert "Choose an address on this list to lift." in response.content.decode()
    assert "gone@example.org" in response.content.decode()  # the list is still shown
    row.refresh_from_db()
    assert row.lifted_at is None


@pytest.mark.parametrize("data", HOSTILE + [{"id": "99999999999999999999"}])
def test_retrying_a_failed_email_with_a_bad_id_is_a_400(staff_client, data):
    row = OutboundEmail.objects.create(
        to="x@example.org", subject="Hello", status=OutboundEmail.Status.FAILED, created_at=now()
    )
    posted = {"retry": data["id"]} if "id" in data else {}
    response = staff_client.post("/notifications/staff/failed/", posted)
    assert response.status_code == 400
    assert "Choose a failed email on this list to retry." in response.content.decode()
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED


def test_a_good_id_still_lifts(staff_client):
    row = SuppressedAddress.objects.create(email="gone@example.org", reason="bounced")
    response = staff_client.post("/notifications/staff/suppressions/", {"lift": str(row.pk)})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.lifted_at is not None
    again = staff_client.post("/notifications/staff/suppressions/", {"lift": str(row.pk)})
    assert again.status_code == 400  # a double submit says so, nothing else happens


def test_only_staff_lift_a_suppression_whatever_calls_the_service(member_factory):
    from django.core.exceptions import PermissionDenied

    from notifications.services import suppression_lift

    row = SuppressedAddress.objects.create(email="gone@example.org", reason="bounced")
    with pytest.raises(PermissionDenied):
        suppression_lift(suppression_id=row.pk, actor=member_factory())
    row.refresh_from_db()
    assert row.lifted_at is None
