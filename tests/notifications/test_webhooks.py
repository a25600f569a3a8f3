"""ESP tracking webhooks (Postmark and Brevo payload shapes) → the suppression list."""

import base64
import json

import pytest

from notifications.models import SuppressedAddress, WebhookEvent

pytestmark = pytest.mark.django_db
SECRET = "esp-user:s3cret-pass"

POSTMARK_BOUNCE = {
    "RecordType": "Bounce",
    "ID": 4323372036854775807,
    "Type": "HardBounce",
    "TypeCode": 1,
    "Name": "Hard bounce",
    "Tag": "",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "ServerID": 23,
    "MessageStream": "outbound",
    "Description": "The server was unable to deliver your message (ex: unknown user).",
    "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    "Email": "Bounced.Person@Example.org",
    "From": "noreply@baraza.example",
    "BouncedAt": "2027-03-02T16:33:54.9070259Z",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": True,
    "Subject": "You are registered",
    "Metadata": {},
}
POSTMARK_COMPLAINT = {
    "RecordType": "SpamComplaint",
    "MessageStream": "outbound",
    "ID": 42,
    "Type": "SpamComplaint",
    "TypeCode": 512,
    "Name": "Spam complaint",
    "Tag": "",
    "MessageID": "00000000-0000-0000-0000-000000000000",
    "ServerID": 1234,
    "Description": "",
    "Details": "Test spam complaint details",
    "Email": "angry@example.org",
    "From": "noreply@baraza.example",
    "BouncedAt": "2027-03-02T16:40:00Z",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": False,
    "Subject": "Digest",
}
BREVO_BOUNCE = {
    "event": "hard_bounce",
    "email": "gone@example.org",
    "id": 26224,
    "date": "2027-03-02 16:33:54",
    "ts": 1804005234,
    "message-id": "<202703021633@smtp-relay.brevo.com>",
    "ts_event": 1804005234,
    "subject": "Reminder",
    "tag": "",
    "sending_ip": "185.41.28.109",
    "ts_epoch": 1804005234000,
    "reason": "550 5.1.1 user unknown",
}
BREVO_SPAM = {
    "event": "spam",
    "email": "annoyed@example.org",
    "id": 26225,
    "date": "2027-03-02 16:35:00",
    "ts": 1804005300,
    "message-id": "<202703021635@smtp-relay.brevo.com>",
    "ts_event": 1804005300,
    "subject": "Digest",
    "tag": "",
    "ts_epoch": 1804005300000,
}


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}


def post(client, esp: str, payload, *, auth: str = SECRET):
    token = base64.b64encode(auth.encode()).decode()
    return client.post(
        f"/anymail/{esp}/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {token}",
    )


@pytest.mark.parametrize(
    ("esp", "payload", "address", "reason"),
    [
        ("postmark", POSTMARK_BOUNCE, "bounced.person@example.org", "bounced"),
        ("postmark", POSTMARK_COMPLAINT, "angry@example.org", "complained"),
        ("brevo", BREVO_BOUNCE, "gone@example.org", "bounced"),
        ("brevo", BREVO_SPAM, "annoyed@example.org", "complained"),
    ],
)
def test_bounces_and_complaints_suppress_the_address(client, esp, payload, address, reason):
    assert post(client, esp, payload).status_code == 200
    row = SuppressedAddress.objects.get()
    assert (row.email, row.reason, row.esp.lower()) == (address, reason, esp)


def test_a_retried_webhook_counts_once(client):
    for _ in range(3):
        assert post(client, "postmark", POSTMARK_BOUNCE).status_code == 200
        assert post(client, "brevo", BREVO_BOUNCE).status_code == 200
    assert SuppressedAddress.objects.count() == 2
    assert WebhookEvent.objects.count() == 2


@pytest.mark.parametrize("auth", ["esp-user:wrong", "", "intruder:s3cret-pass"])
def test_wrong_credentials_are_401_and_change_nothing(client, auth):
    response = post(client, "postmark", POSTMARK_BOUNCE, auth=auth)
    assert response.status_code == 401
    assert not SuppressedAddress.objects.exists() and not WebhookEvent.objects.exists()


def test_without_a_configured_secret_webhooks_are_still_closed(client, settings):
    from config.settings import ANYMAIL as defaults

    settings.ANYMAIL = {"WEBHOOK_SECRET": defaults["WEBHOOK_SECRET"]}
    assert post(client, "postmark", POSTMARK_BOUNCE, auth="anyone:anything").status_code == 401


def test_staff_see_the_list_and_lift_an_entry(client, member_factory):
    from members.models import Role

    post(client, "postmark", POSTMARK_BOUNCE)
    client.force_login(member_factory())
    assert client.get("/notifications/staff/suppressions/").status_code == 403
    client.force_login(member_factory(role=Role.STAFF))
    page = client.get("/notifications/staff/suppressions/").content.decode()
    assert "bounced.person@example.org" in page and "Bounced" in page
    row = SuppressedAddress.objects.get()
    client.post("/notifications/staff/suppressions/", {"lift": row.pk})
    row.refresh_from_db()
    assert row.lifted_at is not None
    post(client, "postmark", {**POSTMARK_BOUNCE, "ID": 99})  # bounces again later
    assert SuppressedAddress.objects.filter(lifted_at__isnull=True).count() == 1
