"""A webinar joins a series of its organizer's organization only (staff: any series):
the form offers no other, and the service refuses another organization's."""

import pytest
from django.core.exceptions import ValidationError

from members.models import Organization, Role
from webinars import services
from webinars.models import Series, Webinar


@pytest.fixture
def series_pair(organization):
    other = Organization.objects.create(name="Other", slug="other", country="BR", kind="ngo")
    ours = Series.objects.create(slug="ours", title="Our series", organization=organization)
    theirs = Series.objects.create(slug="theirs", title="Their series", organization=other)
    return ours, theirs


def webinar_data(organization, **extra):
    return {
        "title_en": "Digital ID",
        "slug": "digital-id",
        "organizations": [organization.pk],
        "language": "en",
        "platform": "zoom",
        "status": "draft",
        "reminder_text": "60",
        **extra,
    }


def test_another_organizations_series_is_a_field_error_and_nothing_is_saved(
    client, organizer, organization, series_pair
):
    ours, theirs = series_pair
    client.force_login(organizer)
    page = client.get("/webinars/manage/new/")
    offered = list(page.context["form"].fields["series"].queryset)
    assert offered == [ours]
    response = client.post("/webinars/manage/new/", webinar_data(organization, series=theirs.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["series"]
    assert not Webinar.objects.exists()
    created = client.post("/webinars/manage/new/", webinar_data(organization, series=ours.pk))
    assert created.status_code == 302
    webinar = Webinar.objects.get()
    assert webinar.series == ours
    edit = client.post(
        f"/webinars/manage/{webinar.slug}/edit/", webinar_data(organization, series=theirs.pk)
    )
    assert edit.status_code == 200 and edit.context["form"].errors["series"]
    webinar.refresh_from_db()
    assert webinar.series == ours


def test_the_service_refuses_another_organizations_series(organizer, organization, series_pair):
    ours, theirs = series_pair
    with pytest.raises(ValidationError) as refused:
        services.webinar_create(
            actor=organizer, organizations=[organization], title="X", slug="x", series=theirs
        )
    assert "series" in refused.value.message_dict
    assert not Webinar.objects.exists()
    webinar = services.webinar_create(
        actor=organizer, organizations=[organization], title="X", slug="x", series=ours
    )
    webinar.series = theirs  # what a bound form does to its instance before the service
    with pytest.raises(ValidationError):
        services.webinar_update(webinar=webinar, actor=organizer, series=theirs)
    assert Webinar.objects.get().series == ours


def test_staff_may_use_any_series_and_a_series_set_by_staff_stays(
    client, organizer, organization, series_pair, member_factory
):
    ours, theirs = series_pair
    staff = member_factory(role=Role.STAFF)
    webinar = services.webinar_create(
        actor=staff, organizations=[organization], title="X", slug="x", series=theirs
    )
    client.force_login(organizer)
    form = client.get(f"/webinars/manage/{webinar.slug}/edit/").context["form"]
    assert set(form.fields["series"].queryset) == {ours, theirs}
    response = client.post(
        f"/webinars/manage/{webinar.slug}/edit/",
        webinar_data(organization, slug="x", title_en="Renamed", series=theirs.pk),
    )
    assert response.status_code == 302
    webinar.refresh_from_db()
    assert (webinar.title, webinar.series) == ("Renamed", theirs)
