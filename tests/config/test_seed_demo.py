import pytest
from django.core.management import CommandError, call_command

from core.zones import is_valid_zone
from members.models import Member, Organization


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_worldwide(capsys, settings):
    settings.DEBUG = True  # a developer's machine (`make run` sets DEBUG=1)
    call_command("seed_demo")
    first = (Member.objects.count(), Organization.objects.count())
    call_command("seed_demo")
    assert (Member.objects.count(), Organization.objects.count()) == first
    assert first[0] >= 300
    assert Member.objects.values("country").distinct().count() >= 30
    assert set(Organization.objects.values_list("kind", flat=True)) >= {
        "government",
        "un_agency",
        "development_partner",
        "ngo",
        "academia",
    }
    assert all(is_valid_zone(z) for z in Member.objects.values_list("time_zone", flat=True))
    assert set(Member.objects.values_list("language", flat=True)) == {"en", "es", "fr"}
    staff = Member.objects.get(email="staff@baraza.example")
    assert staff.is_platform_staff
    assert staff.check_password("baraza-demo-2027")
    assert "0 new" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off_and_creates_no_published_password(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo")
    assert not Member.objects.filter(email="staff@baraza.example").exists()
    assert not any(m.check_password("baraza-demo-2027") for m in Member.objects.all())
    assert Member.objects.count() == 0 and Organization.objects.count() == 0
