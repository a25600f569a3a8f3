"""Demo webinars: several partners, past and upcoming sessions, registrants worldwide."""

import random
from datetime import timedelta

from django.db import transaction

from core.clock import now
from core.markdown import render_markdown_translations
from members.demo import DEMO_COUNTRIES
from members.models import Member, Organization
from webinars.models import Registration, Session, Topic, Webinar

# slug, {language: name}
TOPICS = [
    (
        "cash-transfers",
        {"en": "Cash transfers", "es": "Transferencias monetarias", "fr": "Transferts monétaires"},
    ),
    (
        "shock-responsive",
        {
            "en": "Shock-responsive social protection",
            "es": "Protección social reactiva ante crisis",
            "fr": "Protection sociale réactive aux chocs",
        },
    ),
    (
        "social-insurance",
        {"en": "Social insurance", "es": "Seguro social", "fr": "Assurance sociale"},
    ),
    (
        "digital-delivery",
        {
            "en": "Digital delivery and ID",
            "es": "Pagos digitales e identificación",
            "fr": "Paiements numériques et identification",
        },
    ),
    (
        "gender",
        {
            "en": "Gender and social protection",
            "es": "Género y protección social",
            "fr": "Genre et protection sociale",
        },
    ),
    (
        "financing",
        {
            "en": "Financing social protection",
            "es": "Financiamiento de la protección social",
            "fr": "Financement de la protection sociale",
        },
    ),
]


def _exchange(title: str) -> str:
    return (
        f"A South-South exchange — **{title}**. Programme leads share what worked, what did "
        "not, and what they would do again."
    )


# slug, {language: title}, {language: description}, organization, language of delivery,
# audience, topics, sessions as (day offset, UTC hour, capacity). Each is written in its
# language of delivery; some are translated into the others, some are not (readers of
# those languages see the original, marked).
WEBINARS = [
    (
        "adaptive-sp-asia",
        {
            "en": "Adaptive social protection for climate shocks in Asia",
            "es": "Protección social adaptativa frente a los choques climáticos en Asia",
            "fr": "Protection sociale adaptative face aux chocs climatiques en Asie",
        },
        {
            "en": "A South-South exchange on **adaptive social protection** in Asia. Programme "
            "leads from Bangladesh, Nepal and the Philippines share how they scale up cash "
            "transfers before and after floods and cyclones: what worked, what did not, and "
            "what they would do again.",
            "es": "Un intercambio Sur-Sur sobre la **protección social adaptativa** en Asia. "
            "Responsables de programas de Bangladés, Nepal y Filipinas cuentan cómo amplían las "
            "transferencias monetarias antes y después de inundaciones y ciclones: qué "
            "funcionó, qué no y qué volverían a hacer.",
            "fr": "Un échange Sud-Sud sur la **protection sociale adaptative** en Asie. Des "
            "responsables de programmes du Bangladesh, du Népal et des Philippines expliquent "
            "comment ils étendent les transferts monétaires avant et après les inondations et "
            "les cyclones : ce qui a marché, ce qui n’a pas marché, et ce qu’ils referaient.",
        },
        "ilo-asia",
        "en",
        {"IN": 30, "BD": 20, "PH": 20, "ID": 15, "NP": 15},
        ["shock-responsive"],
        [(12, 4, 300)],
    ),
    (
        "digital-id-cash",
        {"en": "Digital ID and cash transfers: lessons from Pakistan and Kenya"},
        {"en": _exchange("Digital ID and cash transfers: lessons from Pakistan and Kenya")},
        "bisp-pk",
        "en",
        {"PK": 30, "KE": 30, "ET": 20, "NG": 20},
        ["digital-delivery", "cash-transfers"],
        [(20, 9, 200), (21, 14, 200)],
    ),
    (
        "protection-sociale-sahel",
        {
            "fr": "Protection sociale adaptative au Sahel",
            "en": "Adaptive social protection in the Sahel",
        },
        {
            "fr": "Un échange Sud-Sud entre les programmes de filets sociaux du Sénégal, de "
            "Côte d’Ivoire, du Niger et du Mali. Comment déclencher des **transferts "
            "monétaires** avant la période de soudure, cibler les ménages touchés par la "
            "sécheresse et payer à temps ? Les équipes partagent ce qui a marché, ce qui n’a "
            "pas marché, et ce qu’elles referaient.",
        },
        "africa-cash",
        "fr",
        {"SN": 40, "CI": 30, "RW": 15, "MA": 15},
        ["shock-responsive"],
        [(30, 10, None)],
    ),
    (
        "pensiones-no-contributivas",
        {"es": "Pensiones no contributivas en América Latina"},
        {
            "es": "Un intercambio Sur-Sur sobre las **pensiones no contributivas** en México, "
            "Colombia, Perú, Chile y Argentina: cobertura, montos, financiamiento y cómo "
            "llegar a las personas mayores de las zonas rurales.",
        },
        "cepal-sp",
        "es",
        {"MX": 30, "CO": 25, "PE": 20, "CL": 15, "AR": 10},
        ["social-insurance"],
        [(9, 15, 500)],
    ),
    (
        "financing-sp-pacific",
        {"en": "Financing social protection in Pacific island states"},
        {"en": _exchange("Financing social protection in Pacific island states")},
        "pacific-sp",
        "en",
        {"FJ": 60, "AU": 20, "PH": 20},
        ["financing"],
        [(-20, 22, None)],
    ),
    (
        "women-cash-plus",
        {
            "en": "Cash plus for women's economic empowerment",
            "es": "Cash plus para el empoderamiento económico de las mujeres",
        },
        {
            "en": _exchange("Cash plus for women's economic empowerment"),
            "es": "Un intercambio Sur-Sur sobre **cash plus**: transferencias acompañadas de "
            "formación, ahorro y acompañamiento para el empoderamiento económico de las "
            "mujeres. Los equipos cuentan qué funcionó, qué no y qué volverían a hacer.",
        },
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
    for slug, names in TOPICS:
        Topic.objects.get_or_create(
            slug=slug, defaults={f"name_{code}": name for code, name in names.items()}
        )
    members = list(Member.objects.filter(email__endswith="@demo.baraza.example"))
    today = now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for slug, titles, descriptions, org, language, audience, topics, sessions in WEBINARS:
        if Webinar.objects.filter(slug=slug).exists():
            continue
        webinar = Webinar(
            slug=slug,
            language=language,
            audience=audience,
            status=Webinar.Status.PUBLISHED,
            platform=Webinar.Platform.ZOOM,
            **{f"title_{code}": title for code, title in titles.items()},
            **{f"description_{code}": text for code, text in descriptions.items()},
        )
        render_markdown_translations(webinar, "description", "description_html")
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
