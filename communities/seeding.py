"""Demo communities for `make run`: a few partner-run spaces with members, discussions,
a chat history, one pending join request and one flagged post. Idempotent."""

import random
from datetime import timedelta

from django.db import transaction

from communities.models import (
    ChatMessage,
    ChatRoom,
    Community,
    ContentStatus,
    Flag,
    JoinRequest,
    Membership,
    Post,
    ReviewItem,
    Thread,
)
from communities.services.post_lifecycle import thread_recount
from communities.text import handle_base
from core.clock import now
from core.markdown import render_markdown, render_markdown_translations
from members.demo import DEMO_PARTNER_EMAIL, DEMO_STAFF_EMAIL
from members.models import Member, Organization
from webinars.models import Series, Topic, Webinar

RULES = {
    "en": "Be kind. Share what worked **and** what did not. No advertising.",
    "es": "Sea amable. Comparta lo que funcionó **y** lo que no. Nada de publicidad.",
    "fr": "Soyez bienveillants. Partagez ce qui a marché **et** ce qui n’a pas marché. "
    "Pas de publicité.",
}

# slug, name, organization, visibility, join policy, languages, topics,
# about text per language (rules come in the same languages)
COMMUNITIES = [
    (
        "adaptive-sp-asia",
        "Adaptive social protection in Asia",
        "ilo-asia",
        "public",
        "open",
        ["en"],
        ["shock-responsive"],
        {
            "en": "Practitioners from ministries and agencies across Asia compare how cash "
            "transfers scale up before and after floods, cyclones and droughts.",
        },
    ),
    (
        "transferencias-latam",
        "Transferencias monetarias en América Latina",
        "cepal-sp",
        "public",
        "request",
        ["es", "fr"],
        ["cash-transfers"],
        {
            "es": "Un espacio para los equipos de programas de transferencias de América Latina "
            "y el Caribe: focalización, pagos digitales y evaluación.",
            "fr": "Un espace pour les équipes des programmes de transferts monétaires d’Amérique "
            "latine et des Caraïbes : ciblage, paiements numériques et évaluation.",
        },
    ),
    (
        "cash-afrique-ouest",
        "Transferts monétaires en Afrique de l'Ouest",
        "africa-cash",
        "members",
        "request",
        ["fr"],
        ["cash-transfers", "shock-responsive"],
        {
            "fr": "Réseau d’apprentissage entre programmes de filets sociaux du Sahel et de la "
            "côte.",
        },
    ),
    (
        "digital-delivery-core",
        "Digital delivery working group",
        "bisp-pk",
        "hidden",
        "invite",
        ["en"],
        ["digital-delivery"],
        {"en": "A closed working group on ID, payments and grievance systems."},
    ),
]

THREADS = [
    (
        "How do you pre-register households before a cyclone season?",
        "We are trying to build a *pre-registration* list for anticipatory cash. "
        "What worked for you — social registry extracts, or community lists?",
        [
            "In Bangladesh we used the registry plus union-level verification two months ahead.",
            "Community lists were faster for us, but we had to fix duplicates by hand.",
            "Has anyone linked early-warning triggers directly to payment orders?",
        ],
    ),
    (
        "Sharing: evaluation of our 2026 flood top-up",
        "Attached our short note. Main lesson: **pay within 72 hours** or the top-up "
        "goes to debt repayment.",
        ["Thank you — the 72-hour finding matches what we saw in Nepal."],
    ),
    (
        "Grievance channels that people actually use",
        "Hotlines are quiet; WhatsApp is busy. How do you log and close complaints?",
        [],
    ),
]
CHAT = [
    "Good morning from Manila!",
    "Hello from Nairobi — the webinar recording is up, by the way.",
    "Does anyone have the slides from session 2?",
    "Yes, they are linked in the webinar page.",
    "Thanks!",
]


def _member(email: str) -> Member | None:
    return Member.objects.filter(email=email).first()


def _memberships(community: Community, people: list[Member], roles: dict[int, str], at):
    taken = set()
    rows = []
    for person in people:
        handle = handle_base(person.get_full_name())
        if handle in taken:
            handle = f"{handle}-{person.pk}"
        taken.add(handle)
        rows.append(
            Membership(
                community=community,
                member=person,
                role=roles.get(person.pk, Membership.Role.MEMBER),
                handle=handle,
                joined_at=at - timedelta(days=60),
                last_active_at=at - timedelta(days=person.pk % 40),
            )
        )
    Membership.objects.bulk_create(rows, ignore_conflicts=True)


def _threads(community: Community, people: list[Member], at, rng: random.Random) -> None:
    for index, (title, body, replies) in enumerate(THREADS):
        author = people[index % len(people)]
        created = at - timedelta(days=3 + 4 * index, hours=rng.randint(0, 20))
        thread = Thread.objects.create(
            community=community,
            author=author,
            title=title,
            created_at=created,
            last_activity_at=created,
            is_pinned=index == 0,
        )
        Post.objects.create(
            thread=thread,
            community=community,
            author=author,
            is_opening=True,
            body=body,
            body_html=render_markdown(body),
            created_at=created,
            notified_at=created,
        )
        for offset, text in enumerate(replies, start=1):
            Post.objects.create(
                thread=thread,
                community=community,
                author=people[(index + offset * 7) % len(people)],
                body=text,
                body_html=render_markdown(text),
                created_at=created + timedelta(hours=5 * offset),
                notified_at=created,
            )
        thread_recount(thread)
    community.last_post_at = at - timedelta(days=1)
    community.save(update_fields=["last_post_at"])


def _chat(community: Community, people: list[Member], at) -> None:
    room, _created = ChatRoom.objects.get_or_create(community=community)
    for index, text in enumerate(CHAT):
        person = people[(index * 3) % len(people)]
        ChatMessage.objects.create(
            room=room,
            author=person,
            author_name=person.get_full_name(),
            body=text,
            body_html=render_markdown(text),
            created_at=at - timedelta(hours=6) + timedelta(minutes=7 * index),
        )


def _series_link(community: Community) -> None:
    """The Asia community continues the adaptive social protection webinar series."""
    webinar = Webinar.objects.filter(slug="adaptive-sp-asia").first()
    if webinar is None:
        return
    series, _created = Series.objects.get_or_create(
        slug="adaptive-sp",
        defaults={
            "title_en": "Adaptive social protection",
            "title_es": "Protección social adaptativa",
            "title_fr": "Protection sociale adaptative",
            "organization": community.organization,
        },
    )
    if webinar.series_id is None:
        webinar.series = series
        webinar.save(update_fields=["series"])
    community.series = series
    community.save(update_fields=["series"])


def _moderation_examples(community: Community, people: list[Member], outsider, at) -> None:
    """One flagged post (Asia) and one pending join request (Latin America)."""
    post = Post.objects.filter(community=community, is_opening=False).order_by("id").last()
    flagger = people[-1]
    if post is not None and post.author_id != flagger.pk:
        Flag.objects.create(
            community=community,
            post=post,
            flagged_by=flagger,
            reason=Flag.Reason.OFF_TOPIC,
            detail="Looks like an advert for a consultancy.",
            created_at=at - timedelta(hours=30),
        )
        post.flag_count = 1
        post.save(update_fields=["flag_count"])
        ReviewItem.objects.create(
            community=community,
            kind=ReviewItem.Kind.FLAGGED_POST,
            post=post,
            reason=str(Flag.Reason.OFF_TOPIC.label),
            created_at=at - timedelta(hours=30),
        )


@transaction.atomic
def seed_communities() -> dict:
    rng = random.Random(2027)
    at = now()
    members = list(
        Member.objects.filter(email__endswith="@demo.baraza.example").order_by("email")[:200]
    )
    staff, partner = _member(DEMO_STAFF_EMAIL), _member(DEMO_PARTNER_EMAIL)
    if not members or staff is None:
        return {"communities": Community.objects.count(), "created": 0}
    topics = {t.slug: t for t in Topic.objects.all()}
    created = 0
    for slug, name, org, visibility, policy, languages, topic_slugs, about in COMMUNITIES:
        if Community.objects.filter(slug=slug).exists():
            continue
        organization = Organization.objects.get(slug=org)
        community = Community(
            slug=slug,
            name=name,
            organization=organization,
            visibility=visibility,
            join_policy=policy,
            languages=languages,
            premoderate_posts=1 if visibility == "public" else 0,
            created_at=at - timedelta(days=90),
            **{f"description_{code}": text for code, text in about.items()},
            **{f"rules_{code}": RULES[code] for code in about},
        )
        render_markdown_translations(community, "description", "description_html")
        render_markdown_translations(community, "rules", "rules_html")
        community.save()
        community.topics.set([topics[t] for t in topic_slugs if t in topics])
        start = (created * 37) % len(members)
        people = (members[start:] + members[:start])[: 40 + 20 * created]
        roles = {people[0].pk: Membership.Role.OWNER, people[1].pk: Membership.Role.MODERATOR}
        if partner is not None:
            people = [partner, *[p for p in people if p.pk != partner.pk]]
            roles[partner.pk] = Membership.Role.OWNER if created == 0 else Membership.Role.MODERATOR
        _memberships(community, people, roles, at)
        _threads(community, people[1:], at, rng)
        _chat(community, people, at)
        if slug == "adaptive-sp-asia":
            _series_link(community)
            _moderation_examples(community, people, None, at)
        if slug == "transferencias-latam":
            outsider = next(m for m in members if m not in people)
            request = JoinRequest.objects.create(
                community=community,
                member=outsider,
                message="Trabajo en el programa de pensiones; me gustaría aprender de ustedes.",
                created_at=at - timedelta(hours=5),
            )
            ReviewItem.objects.create(
                community=community,
                kind=ReviewItem.Kind.JOIN_REQUEST,
                join_request=request,
                reason="Asked to join",
                created_at=request.created_at,
            )
        created += 1
    return {
        "communities": Community.objects.count(),
        "created": created,
        "messages": ChatMessage.objects.filter(status=ContentStatus.VISIBLE).count(),
    }
