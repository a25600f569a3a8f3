"""A webinar's address never collides with a route under /webinars/ (plan, manage,
analytics, registration…): made from the title, it skips them; typed, it is refused."""

from webinars.models import Webinar

ROUTES = {"plan", "manage", "analytics", "registration"}


def webinar_data(organization, **extra):
    return {
        "title_en": "Plan",
        "slug": "",
        "organizations": [organization.pk],
        "language": "en",
        "platform": "zoom",
        "status": "published",
        "reminder_text": "60",
        **extra,
    }


def test_the_reserved_words_come_from_the_url_patterns():
    from webinars.services.webinars import reserved_slugs

    assert {"plan", "manage", "analytics", "registration"} <= reserved_slugs()
    assert "" not in reserved_slugs()


def test_a_webinar_titled_plan_gets_another_address_and_its_page_opens(
    client, organizer, organization
):
    client.force_login(organizer)
    response = client.post("/webinars/manage/new/", webinar_data(organization))
    assert response.status_code == 302, response.content.decode()[:2000]
    webinar = Webinar.objects.get()
    assert webinar.slug not in ROUTES and webinar.slug.startswith("plan")
    page = client.get(f"/webinars/{webinar.slug}/")
    assert page.status_code == 200 and page.context["webinar"] == webinar
    for title in ("Manage", "Analytics", "Registration", "Plan"):
        client.post("/webinars/manage/new/", webinar_data(organization, title_en=title))
    slugs = set(Webinar.objects.values_list("slug", flat=True))
    assert len(slugs) == 5 and not slugs & ROUTES
    for slug in slugs:
        assert client.get(f"/webinars/{slug}/registered/").status_code in (200, 302), slug


def test_a_typed_reserved_address_is_a_field_error(client, organizer, organization):
    client.force_login(organizer)
    for slug in ("plan", "manage", "analytics", "registration", "Manage"):
        response = client.post("/webinars/manage/new/", webinar_data(organization, slug=slug))
        assert response.status_code == 200
        assert response.context["form"].errors["slug"], slug
    assert not Webinar.objects.exists()


def test_the_service_refuses_a_reserved_slug_and_keeps_one_left_empty(organizer, organization):
    import pytest
    from django.core.exceptions import ValidationError

    from webinars import services

    with pytest.raises(ValidationError) as refused:
        services.webinar_create(
            actor=organizer, organizations=[organization], title="X", slug="analytics"
        )
    assert "slug" in refused.value.message_dict
    webinar = services.webinar_create(actor=organizer, organizations=[organization], title="X")
    assert webinar.slug == "x"
    services.webinar_update(webinar=webinar, actor=organizer, slug="", title="Renamed")
    assert Webinar.objects.get().slug == "x"
    with pytest.raises(ValidationError):
        services.webinar_update(webinar=webinar, actor=organizer, slug="manage")
