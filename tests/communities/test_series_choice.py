"""A community continues a webinar series of its own organization only (staff: any)."""

import pytest
from django.core.exceptions import ValidationError

from communities.models import Community, ModerationAction
from communities.services import spaces
from members.models import Organization
from webinars.models import Series


@pytest.fixture
def series_pair(organization):
    other = Organization.objects.create(name="Other", slug="other", country="BR", kind="ngo")
    ours = Series.objects.create(slug="ours", title="Our series", organization=organization)
    theirs = Series.objects.create(slug="theirs", title="Their series", organization=other)
    return ours, theirs


def settings_data(community, **extra):
    return {
        "name": community.name,
        "description_en": community.description_en or "",
        "visibility": community.visibility,
        "join_policy": community.join_policy,
        "rules_en": community.rules_en or "",
        "premoderate_posts": community.premoderate_posts,
        "auto_hide_flags": community.auto_hide_flags,
        **extra,
    }


def test_another_organizations_series_is_a_field_error_on_the_settings_page(
    client, community, partner, series_pair
):
    ours, theirs = series_pair
    client.force_login(partner)
    page = client.get(f"/communities/{community.slug}/settings/")
    assert list(page.context["form"].fields["series"].queryset) == [ours]
    response = client.post(
        f"/communities/{community.slug}/settings/", settings_data(community, series=theirs.pk)
    )
    assert response.status_code == 200 and response.context["form"].errors["series"]
    community.refresh_from_db()
    assert community.series_id is None
    assert not ModerationAction.objects.filter(action="settings").exists()
    saved = client.post(
        f"/communities/{community.slug}/settings/", settings_data(community, series=ours.pk)
    )
    assert saved.status_code == 302
    community.refresh_from_db()
    assert community.series == ours


def test_another_organizations_series_is_refused_when_creating(
    client, partner, organization, series_pair
):
    ours, theirs = series_pair
    client.force_login(partner)
    data = {
        "slug": "new-space",
        "organization": organization.pk,
        "name": "New space",
        "visibility": "public",
        "join_policy": "open",
        "premoderate_posts": 0,
        "auto_hide_flags": 3,
        "series": theirs.pk,
    }
    response = client.post("/communities/new/", data)
    assert response.status_code == 200 and response.context["form"].errors["series"]
    assert not Community.objects.filter(slug="new-space").exists()
    with pytest.raises(ValidationError) as refused:
        spaces.community_create(
            creator=partner, organization=organization, slug="new-space", name="N", series=theirs
        )
    assert "series" in refused.value.message_dict
    assert not Community.objects.filter(slug="new-space").exists()


def test_the_service_refuses_it_even_after_a_form_set_it_on_the_instance(
    community, partner, series_pair
):
    _ours, theirs = series_pair
    community.series = theirs
    with pytest.raises(ValidationError):
        spaces.community_update(community=community, actor=partner, series=theirs)
    assert Community.objects.get(pk=community.pk).series_id is None


def test_staff_may_attach_any_series(community, staff, series_pair):
    _ours, theirs = series_pair
    spaces.community_update(community=community, actor=staff, series=theirs)
    assert Community.objects.get(pk=community.pk).series == theirs
