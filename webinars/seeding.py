"""Demo webinars: several partners, past and upcoming sessions, registrants worldwide."""

import random
from datetime import timedelta

from django.db import transaction

from core.clock import now
from core.markdown import render_markdown
from members.demo import DEMO_COUNTRIES
from members.models import Member, Organization
from webinars.models import Registration, Session, Topic, Webinar

TOPICS = [
    ("cash-transfers", "Cash transfers"),
    ("shock-responsive", "Shock-responsive social protection"),
    ("social-insurance", "Social insurance"),
    ("digital-delivery", "Digital delivery and ID"),
    ("gender", "Gender and social protection"),
    ("financing", "Financing social protection"),
]

# slug, title, organization, language, audience, topics,
# sessions as (day offset, UTC hour, capacity)
WEBINARS = [
    (
        "adaptive-sp-asia",
        "Adaptive social protection for climate shocks in Asia",
        "ilo-asia",
        "en",
        {"IN": 30, "BD": 20, "PH": 20, "ID": 15, "NP": 15},
        ["shock-responsive"],
        [(12, 4, 300)],
    ),
    (
        "digital-id-cash",
        "Digital ID and cash transfers: lessons from Pakistan and Kenya",
        "bisp-pk",
        "en",
        {"PK": 30, "KE": 30, "ET": 20, "NG": 20},
        ["digital-delivery", "cash-transfers"],
        [(20, 9, 200), (21, 14, 200)],
    ),
    (
        "protection-sociale-sahel",
        "Protection sociale adaptative au Sahel",
        "africa-cash",
        "fr",
        {"SN": 40, "CI": 30, "RW": 15, "MA": 15},
        ["shock-responsive"],
        [(30, 10, None)],
    ),
    (
        "pensiones-no-contributivas",
        "Pensiones no contributivas en América Latina",
        "cepal-sp",
        "es",
        {"MX": 30, "CO": 25, "PE": 20, "CL": 15, "AR": 10},
        ["social-insurance"],
        [(9, 15, 500)],
    ),
    (
        "financing-sp-pacific",
        "Financing social protection in Pacific island states",
        "pacific-sp",
        "en",
        {"FJ": 60, "AU": 20, "PH": 20},
        ["financing"],
        [(-20, 22, None)],
    ),
    (
        "women-cash-plus",
        "Cash plus for women's economic empowerment",
        "unicef-esaro",
        "en",
        {"KE": 30, "ZA": 20, "MZ": 20, "GH": 15, "IN": 15},
        ["gender", "cash-transfers"],
        [(-45, 10, 250)],
    ),
]


@transaction.atomic
def seed_webinars() -> dict:
    rng = random.Random(2027)
    for slug, name in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    members = list(Member.objects.filter(email__endswith="@demo.baraza.example"))
    today = now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for slug, title, org, language, audience, topics, sessions in WEBINARS:
        if Webinar.objects.filter(slug=slug).exists():
            continue
        webinar = Webinar.objects.create(
            slug=slug,
            title=title,
            language=language,
            audience=audience,
            description=f"A South-South exchange — **{title}**. Programme leads "
            "share what worked, what did not, and what they would do again.",
            status=Webinar.Status.PUBLISHED,
            platform=Webinar.Platform.ZOOM,
        )
        webinar.description_html = render_markdown(webinar.description)
        if any(day < 0 for day, _h, _c in sessions):
            webinar.recording_url = "https://example.org/recordings/" + slug
        webinar.save()
        webinar.organizations.set(Organization.objects.filter(slug=org))
        webinar.topics.set(Topic.objects.filter(slug__in=topics))
        for index, (day, hour, capacity) in enumerate(sessions):
            start = today.replace(hour=hour) + timedelta(days=day)
            session = Session.objects.create(
                webinar=webinar,
                starts_at=start,
                duration_minutes=90,
                capacity=capacity,
                host_zone="UTC",
                join_url=f"https://zoom.example.org/j/{slug}-{index}",
                title=("Asia-Pacific" if index == 0 else "Americas") if len(sessions) > 1 else "",
            )
            people = rng.sample(members, k=min(len(members), rng.randint(40, 90)))
            rows = []
            for person in people:
                zone = next((c[1] for c in DEMO_COUNTRIES if c[0] == person.country), "UTC")
                at = start - timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 23))
                rows.append(
                    Registration(
                        webinar=webinar,
                        session=session,
                        member=person,
                        email=person.email,
                        full_name=person.full_name,
                        country=person.country,
                        language=person.language,
                        time_zone=zone,
                        consent=True,
                        status=Registration.Status.CONFIRMED,
                        created_at=at,
                        status_changed_at=at,
                        source=rng.choice(["", "newsletter", "twitter", "partner-site"]),
                    )
                )
            if start < today:  # past: about 44% came, as partners see historically
                for row in rows:
                    if rng.random() < 0.44:
                        row.join_first_clicked_at = start + timedelta(minutes=rng.randint(-10, 20))
            Registration.objects.bulk_create(rows, ignore_conflicts=True)
        created += 1
    return {"webinars": Webinar.objects.count(), "created": created}
