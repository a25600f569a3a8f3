"""Shared set-up for the attendance and analytics tests (no tests here).

The sample reports in fixtures/ all describe one session: 26 April 2026, 10:00–11:30 in
Nairobi (07:00 UTC), with the same people — registrants Maria, Juan (whose address the
reports write in capitals), Amina (on two devices at once), Li Wei (stayed two hours);
Kofi, who never registered; Ravi, registered and absent.
"""

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from webinars.models import Registration, Session

__all__ = ["past_webinar", "registrants"]  # the fixtures, for `import *`

FIXTURES = Path(__file__).parent / "fixtures"
SESSION_START = datetime(2026, 4, 26, 7, 0, tzinfo=UTC)

# email, name, status, country, language, time zone, source
REGISTRANTS = [
    (
        "maria.santos@dswd.gov.ph",
        "Maria Santos",
        "confirmed",
        "PH",
        "en",
        "Asia/Manila",
        "newsletter",
    ),
    ("juan.perez@mides.gub.uy", "Juan Pérez", "confirmed", "UY", "es", "America/Montevideo", ""),
    (
        "amina.diallo@example.sn",
        "Amina Diallo",
        "confirmed",
        "SN",
        "fr",
        "Africa/Dakar",
        "newsletter",
    ),
    ("li.wei@example.cn", "Li Wei", "confirmed", "CN", "en", "Asia/Shanghai", "partner"),
    ("ravi.kumar@example.in", "Ravi Kumar", "confirmed", "IN", "en", "Asia/Kolkata", ""),
    ("nadia.benali@example.ma", "Nadia Benali", "confirmed", "MA", "fr", "Africa/Casablanca", ""),
    ("zawadi@example.ke", "Zawadi Mwangi", "confirmed", "KE", "en", "Africa/Nairobi", "newsletter"),
    ("pat@example.gh", "Pat Mensah", "waitlisted", "GH", "en", "Africa/Accra", ""),
    ("chris@example.za", "Chris Naidoo", "cancelled", "ZA", "en", "Africa/Johannesburg", ""),
]


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def add_registrants(webinar, session=None, people=REGISTRANTS, *, days_before=10):
    """Registrations as they stood after the session (created straight in the database)."""
    session = session or webinar.sessions.get()
    created = session.starts_at - timedelta(days=days_before)
    rows = []
    for index, (email, name, status, country, language, zone, source) in enumerate(people):
        rows.append(
            Registration(
                webinar=webinar,
                session=session,
                email=email,
                full_name=name,
                status=status,
                country=country,
                language=language,
                time_zone=zone,
                source=source,
                consent=True,
                created_at=created + timedelta(days=index % 3),
                status_changed_at=created,
                join_first_clicked_at=session.starts_at if email.startswith("zawadi") else None,
            )
        )
    return Registration.objects.bulk_create(rows)


@pytest.fixture
def past_webinar(webinar_factory):
    """A published webinar whose one session (26 Apr 2026, Nairobi 10:00) is over."""
    return webinar_factory(slug="cash-and-climate", starts_at=SESSION_START)


@pytest.fixture
def registrants(past_webinar):
    return add_registrants(past_webinar)


def run(*args) -> tuple[str, str, int]:
    """`manage.py import_attendance …` → (stdout, stderr, exit status)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_attendance", *args, stdout=out, stderr=err)
    except SystemExit as exit_:  # pragma: no cover - call_command raises CommandError instead
        return out.getvalue(), err.getvalue(), int(exit_.code or 0)
    except Exception as error:  # CommandError: the message is what a person sees
        from django.core.management import CommandError

        if not isinstance(error, CommandError):
            raise
        return out.getvalue(), str(error), 1
    return out.getvalue(), err.getvalue(), 0


def run_json(*args) -> dict:
    out, err, code = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def session_of(webinar) -> Session:
    return webinar.sessions.get()
