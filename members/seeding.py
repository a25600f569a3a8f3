"""Idempotent demo data for members and organizations (other apps add their own)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from members.demo import (
    DEMO_COUNTRIES,
    DEMO_MEMBER_COUNT,
    DEMO_ORGANIZATIONS,
    DEMO_PARTNER_EMAIL,
    DEMO_PASSWORD,
    DEMO_STAFF_EMAIL,
)
from members.models import Member, Organization, Role


def _demo_people():
    organizations = list(Organization.objects.filter(slug__in=[o[0] for o in DEMO_ORGANIZATIONS]))
    for index in range(DEMO_MEMBER_COUNT):
        country, zone, language, given, family = DEMO_COUNTRIES[index % len(DEMO_COUNTRIES)]
        first = given[index % len(given)]
        last = family[(index // len(DEMO_COUNTRIES)) % len(family)]
        yield {
            "email": f"member{index:04d}@demo.baraza.example",
            "full_name": f"{first} {last}",
            "country": country,
            "time_zone": zone,
            "language": language,
            "organization": organizations[index % len(organizations)] if index % 3 else None,
        }


@transaction.atomic
def seed_members() -> dict:
    for slug, name, country, kind, website in DEMO_ORGANIZATIONS:
        Organization.objects.get_or_create(
            slug=slug, defaults={"name": name, "country": country, "kind": kind, "website": website}
        )
    password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo account
    existing = set(Member.objects.values_list("email", flat=True))
    gateway = Organization.objects.get(slug="sp-gateway")
    people = [
        {
            "email": DEMO_STAFF_EMAIL,
            "full_name": "Baraza Staff",
            "country": "GB",
            "time_zone": "Europe/London",
            "language": "en",
            "organization": gateway,
            "role": Role.STAFF,
            "is_staff": True,
            "is_superuser": True,
        },
        {
            "email": DEMO_PARTNER_EMAIL,
            "full_name": "Maria Santos",
            "country": "PH",
            "time_zone": "Asia/Manila",
            "language": "en",
            "organization": Organization.objects.get(slug="dswd-ph"),
            "role": Role.PARTNER_ADMIN,
        },
        *_demo_people(),
    ]
    new = [Member(password=password, **p) for p in people if p["email"] not in existing]
    Member.objects.bulk_create(new, ignore_conflicts=True)
    members = Member.objects.filter(email__in=[m.email for m in new])
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=m, email=m.email, verified=True, primary=True) for m in members],
        ignore_conflicts=True,
    )
    return {
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "countries": Member.objects.exclude(country="").values("country").distinct().count(),
        "created": len(new),
    }
