"""Signing up, verifying, and the emails allauth sends (through the worker, after commit)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from members.models import Member

SIGNUP = "/accounts/signup/"


def signup(client, email, *, name="Ama Mensah", password="wide-open-savanna-77", **extra):
    return client.post(
        SIGNUP,
        {"email": email, "full_name": name, "password1": password, "password2": password},
        **extra,
    )


@pytest.mark.django_db
def test_email_is_unique_whatever_its_case():
    Member.objects.create_user(email="ama@example.org", password="x" * 12)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create_user(email="AMA@Example.org", password="x" * 12)


@pytest.mark.django_db
def test_login_lookup_ignores_case():
    member = Member.objects.create_user(email="ama@example.org", password="x" * 12)
    assert Member.objects.get_by_natural_key("AMA@EXAMPLE.ORG") == member


@pytest.mark.django_db
def test_language_outside_en_es_fr_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create_user(email="x@example.org", password="x" * 12, language="de")


@pytest.mark.django_db
def test_signup_sends_verification_after_commit(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = signup(client, "ama@example.org")
    assert response.status_code == 302
    assert mailoutbox == [], "no email may leave before the transaction commits"
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ama@example.org"]
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", message.body)
    member = Member.objects.get(email="ama@example.org")
    assert member.full_name == "Ama Mensah"
    assert not EmailAddress.objects.get(user=member).verified


@pytest.mark.django_db
def test_verification_email_is_in_the_language_of_signup(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    client.cookies["baraza_language"] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "awa@example.org", name="Awa Kouassi")
    member = Member.objects.get(email="awa@example.org")
    assert member.language == "fr"
    assert mailoutbox[0].subject == "[Baraza] Confirmez votre adresse e-mail"
    assert "adresse" in mailoutbox[0].body.lower()


@pytest.mark.django_db
def test_signup_takes_the_browser_time_zone(client, django_capture_on_commit_callbacks):
    client.cookies["baraza_tz"] = "Asia/Kathmandu"
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "sita@example.org", name="Sita Thapa")
    assert Member.objects.get(email="sita@example.org").time_zone == "Asia/Kathmandu"


@pytest.mark.django_db
def test_duplicate_email_in_another_case_is_a_form_error(client, member_factory, mailoutbox):
    member_factory(email="priya@example.org")
    response = signup(client, "PRIYA@Example.ORG", name="Someone Else")
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert Member.objects.filter(email__iexact="priya@example.org").count() == 1


@pytest.mark.django_db
def test_password_reset_email_goes_out_in_the_members_language(
    client, member_factory, mailoutbox, django_capture_on_commit_callbacks
):
    member_factory(email="lucia@example.org", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "LUCIA@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "contraseña" in mailoutbox[0].body.lower()


@pytest.mark.django_db
def test_login_by_code_is_offered_and_emails_a_code(
    client, member_factory, mailoutbox, django_capture_on_commit_callbacks
):
    member_factory(email="otieno@example.org")
    assert "/accounts/login/code/" in client.get("/accounts/login/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/code/", {"email": "otieno@example.org"})
    assert response.status_code == 302
    assert re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{2,}\b", mailoutbox[0].body)
    assert "example.com" not in mailoutbox[0].body


@pytest.mark.django_db
def test_login_by_code_cannot_bomb_an_inbox(
    member_factory, mailoutbox, django_capture_on_commit_callbacks
):
    from django.test import Client

    member_factory(email="otieno@example.org")
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):  # six fresh sessions, one address
            responses.append(
                Client().post("/accounts/login/code/", {"email": "otieno@example.org"})
            )
    assert len(mailoutbox) == 3
    assert responses[-1].status_code == 200
    assert "Too many" in responses[-1].content.decode()
