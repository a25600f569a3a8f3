"""The partner monthly report: each organization's admins, in their language, last
month's figures of their own content only; run twice (beat, the command), sent once."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.management import call_command

from core import clock
from members.models import Organization, Role
from monitoring.models import DailyCount, PartnerReport, UsageKind
from monitoring.tasks import partner_reports_send
from notifications.models import OutboundEmail
from webinars.models import Webinar

pytestmark = pytest.mark.django_db

FIRST_OF_APRIL = datetime(2027, 4, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def partners(member_factory):
    ours = Organization.objects.create(name="DSWD", slug="dswd", country="PH")
    theirs = Organization.objects.create(name="NSSF", slug="nssf", country="KE")
    Webinar.objects.create(slug="cash", title="Cash", status="published").organizations.add(ours)
    ana = member_factory(
        email="ana@dswd.example",
        role=Role.PARTNER_ADMIN,
        organization=ours,
        language="es",
        full_name="Ana Cruz",
    )
    ben = member_factory(
        email="ben@dswd.example",
        role=Role.PARTNER_ADMIN,
        organization=ours,
        language="en",
        full_name="Ben Reyes",
    )
    kim = member_factory(
        email="kim@nssf.example",
        role=Role.PARTNER_ADMIN,
        organization=theirs,
        language="fr",
        full_name="Kim Otieno",
    )
    member_factory(email="plain@dswd.example", organization=ours)  # not an admin
    rows = [
        (UsageKind.DOWNLOAD, "target", "publication:dswd-guide", ours.pk, 4),
        (UsageKind.DOWNLOAD, "total", "", ours.pk, 4),
        (UsageKind.DOWNLOAD, "target", "publication:nssf-secret-study", theirs.pk, 9),
        (UsageKind.DOWNLOAD, "total", "", theirs.pk, 9),
        (UsageKind.PAGE_VIEW, "path", "/webinars/cash/", 0, 12),
        (UsageKind.PAGE_VIEW, "path", "/webinars/cash/", ours.pk, 12),
        (UsageKind.PAGE_VIEW, "total", "", ours.pk, 12),
        (UsageKind.PAGE_VIEW, "total", "", 0, 500),
    ]
    DailyCount.objects.bulk_create(
        DailyCount(
            day=date(2027, 3, 15),
            kind=k,
            dimension=d,
            value=v,
            organization_id=o,
            count=c,
            visitors=c,
        )
        for k, d, v, o, c in rows
    )
    return ours, theirs, ana, ben, kim


def test_run_twice_sends_once(partners, django_capture_on_commit_callbacks):
    ours, theirs, ana, ben, kim = partners
    with clock.travel(FIRST_OF_APRIL), django_capture_on_commit_callbacks(execute=True):
        assert partner_reports_send.delay().get() == 3
        assert partner_reports_send.delay().get() == 0
        call_command("send_partner_reports", "--month", "2027-03")
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "ana@dswd.example",
        "ben@dswd.example",
        "kim@nssf.example",
    ]
    assert len(mail.outbox) == 3
    assert PartnerReport.objects.filter(month=date(2027, 3, 1)).count() == 2


def test_each_admin_gets_their_own_organizations_figures_in_their_language(
    partners, django_capture_on_commit_callbacks
):
    ours, theirs, ana, ben, kim = partners
    with clock.travel(FIRST_OF_APRIL), django_capture_on_commit_callbacks(execute=True):
        partner_reports_send.delay().get()
    sent = {message.to[0]: message for message in mail.outbox}
    spanish = sent["ana@dswd.example"]
    assert "marzo" in spanish.subject.lower() or "DSWD" in spanish.subject
    assert "Hola, Ana" in spanish.body
    english = sent["ben@dswd.example"].body
    assert "dswd-guide (4)" in english and "/webinars/cash/ (12)" in english
    assert "/monitoring/?start=2027-03-01&end=2027-03-31" in english
    assert "nssf-secret-study" not in english and "500" not in english
    french = sent["kim@nssf.example"].body
    assert "Bonjour Kim" in french and "Voici les résultats du contenu de NSSF" in french
    assert "nssf-secret-study (9)" in french and "dswd-guide" not in french


def test_a_bad_month_is_a_clear_error(partners):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("send_partner_reports", "--month", "March")
