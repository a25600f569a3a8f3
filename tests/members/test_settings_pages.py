"""The profile, the settings page, and the language and time-zone switches."""

import pytest

from members.models import Member

pytestmark = pytest.mark.django_db


def settings_form(member, **changes):
    data = {
        "full_name": member.full_name,
        "country": "NP",
        "language": "en",
        "time_zone": "Asia/Kathmandu",
    }
    data.update(changes)
    return data


def test_settings_change_language_and_zone(client, member_factory):
    member = member_factory()
    client.force_login(member)
    response = client.post("/members/settings/", settings_form(member, language="fr"), follow=True)
    member.refresh_from_db()
    assert (member.language, member.time_zone, member.country) == ("fr", "Asia/Kathmandu", "NP")
    page = response.content.decode()
    assert 'lang="fr"' in page
    assert "Asia/Kathmandu, UTC+5:45" in page


def test_malformed_time_zone_is_a_field_error_and_nothing_is_saved(client, member_factory):
    member = member_factory(time_zone="Africa/Nairobi")
    client.force_login(member)
    response = client.post(
        "/members/settings/", settings_form(member, time_zone="Mars/Olympus", language="es")
    )
    assert response.status_code == 200
    assert "“Mars/Olympus” is not a known time zone" in response.content.decode()
    member.refresh_from_db()
    assert (member.time_zone, member.language) == ("Africa/Nairobi", "en")


def test_unknown_language_is_a_field_error_and_nothing_is_saved(client, member_factory):
    member = member_factory()
    client.force_login(member)
    response = client.post("/members/settings/", settings_form(member, language="xx"))
    assert response.status_code == 200
    assert "is not a language Baraza speaks" in response.content.decode()
    member.refresh_from_db()
    assert (member.language, member.time_zone) == ("en", "UTC")


def test_hostile_name_is_escaped(client, member_factory):
    member = member_factory()
    client.force_login(member)
    client.post("/members/settings/", settings_form(member, full_name="<script>alert(1)</script>"))
    page = client.get(f"/members/{member.public_id}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_language_switch_for_a_visitor_sets_a_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["baraza_language"].value == "es"
    assert 'lang="es"' in client.get("/").content.decode()


def test_language_switch_for_a_member_is_saved(client, member_factory):
    member = member_factory()
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/members/me/"})
    member.refresh_from_db()
    assert member.language == "fr"


def test_unknown_language_switch_changes_nothing(client, member_factory):
    member = member_factory()
    client.force_login(member)
    response = client.post("/i18n/setlang/", {"language": "klingon", "next": "/"}, follow=True)
    member.refresh_from_db()
    assert member.language == "en"
    assert "is not a language Baraza speaks" in response.content.decode()


def test_switch_refuses_to_redirect_off_site(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_visitor_zone_comes_from_the_browser_cookie(client):
    client.cookies["baraza_tz"] = "Asia/Manila"
    assert "Asia/Manila, UTC+8" in client.get("/").content.decode()


def test_a_forged_zone_cookie_falls_back_to_utc(client):
    client.cookies["baraza_tz"] = "<b>Nowhere</b>"
    page = client.get("/").content.decode()
    assert "UTC, UTC+0" in page
    assert "<b>Nowhere</b>" not in page


def test_a_members_saved_zone_wins_over_the_browser(client, member_factory):
    member = member_factory(time_zone="Africa/Nairobi")
    client.force_login(member)
    client.cookies["baraza_tz"] = "Asia/Manila"
    assert "Africa/Nairobi, UTC+3" in client.get("/").content.decode()


def test_timezone_switch_for_visitor_and_member(client, member_factory):
    response = client.post("/timezone/", {"time_zone": "America/Lima", "next": "/"})
    assert response.cookies["baraza_tz"].value == "America/Lima"
    member = member_factory()
    client.force_login(member)
    client.post("/timezone/", {"time_zone": "Asia/Kathmandu", "next": "/"})
    member.refresh_from_db()
    assert member.time_zone == "Asia/Kathmandu"


def test_bad_timezone_switch_is_refused(client, member_factory):
    member = member_factory()
    client.force_login(member)
    response = client.post("/timezone/", {"time_zone": "Mars/Olympus"}, follow=True)
    member.refresh_from_db()
    assert member.time_zone == "UTC"
    assert "is not a known time zone" in response.content.decode()


def test_profile_needs_login_and_hides_the_email(client, member_factory):
    member = member_factory(email="private@example.org", full_name="Nimali Perera")
    assert client.get(f"/members/{member.public_id}/").status_code == 302
    client.force_login(member_factory())
    page = client.get(f"/members/{member.public_id}/").content.decode()
    assert "Nimali Perera" in page
    assert "private@example.org" not in page


def test_profile_query_count_does_not_grow_with_members(
    client, member_factory, django_assert_max_num_queries
):
    viewer = member_factory()
    client.force_login(viewer)
    target = member_factory()
    with django_assert_max_num_queries(6):
        assert client.get(f"/members/{target.public_id}/").status_code == 200
    Member.objects.bulk_create(
        [Member(email=f"bulk{i}@example.org", full_name=f"Bulk {i}") for i in range(300)]
    )
    with django_assert_max_num_queries(6):
        assert client.get(f"/members/{target.public_id}/").status_code == 200


def test_home_page_lists_navigation_and_partners(client):
    from members.seeding import seed_members

    seed_members()
    page = client.get("/").content.decode()
    assert 'aria-label="Main"' in page
    assert "African Cash Transfer Learning Network" in page
    assert '<main id="main"' in page


def test_profiles_are_addressed_by_a_random_public_id_not_the_row_number(client, member_factory):
    viewer = member_factory()
    member = member_factory(full_name="Nimali Perera")
    client.force_login(viewer)
    assert client.get(f"/members/{member.pk}/").status_code == 404
    assert client.get(f"/members/{member.pk + 1}/").status_code == 404
    assert client.get(f"/members/{member.public_id}/").status_code == 200
    assert len(member.public_id) >= 16 and member.public_id != viewer.public_id
    me = client.get("/members/me/")
    assert me["Location"] == f"/members/{viewer.public_id}/"
    assert client.get("/members/no-such-person/").status_code == 404
    assert client.get("/members/%3Cscript%3E/").status_code == 404


def test_a_nameless_members_profile_never_shows_their_email(client, member_factory):
    nameless = member_factory(email="quiet.person@example.org", full_name="")
    client.force_login(member_factory())
    page = client.get(f"/members/{nameless.public_id}/").content.decode()
    assert "quiet.person" not in page
    assert "Baraza member" in page
