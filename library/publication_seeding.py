"""Idempotent demo data for the library: the theme tree and a few dozen publications in
English, Spanish and French (some as linked translations, some with a PDF), a few
downloads, and one submission waiting in the review queue."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from core.clock import now
from library.models import (
    DownloadCount,
    Publication,
    PublicationSearchDocument,
    PublicationTransition,
    Theme,
    Work,
)
from library.search.service import search_index
from library.services.publications import PublicationData, _write, publication_data_clean
from members.models import Member, Organization

# slug, parent slug, en, es, fr
THEMES = [
    ("social-assistance", None, "Social assistance", "Asistencia social", "Assistance sociale"),
    (
        "cash-transfers",
        "social-assistance",
        "Cash transfers",
        "Transferencias monetarias",
        "Transferts monétaires",
    ),
    (
        "conditional-cash-transfers",
        "cash-transfers",
        "Conditional",
        "Condicionadas",
        "Conditionnels",
    ),
    (
        "unconditional-cash-transfers",
        "cash-transfers",
        "Unconditional",
        "No condicionadas",
        "Inconditionnels",
    ),
    (
        "social-pensions",
        "social-assistance",
        "Social pensions",
        "Pensiones sociales",
        "Pensions sociales",
    ),
    (
        "school-feeding",
        "social-assistance",
        "School feeding",
        "Alimentación escolar",
        "Cantines scolaires",
    ),
    ("social-insurance", None, "Social insurance", "Seguro social", "Assurance sociale"),
    (
        "health-insurance",
        "social-insurance",
        "Health insurance",
        "Seguro de salud",
        "Assurance maladie",
    ),
    (
        "labour-market",
        None,
        "Labour market programmes",
        "Programas de mercado laboral",
        "Programmes du marché du travail",
    ),
    ("public-works", "labour-market", "Public works", "Obras públicas", "Travaux publics"),
    (
        "shock-responsive",
        None,
        "Shock-responsive social protection",
        "Protección social reactiva ante crisis",
        "Protection sociale réactive aux chocs",
    ),
    ("gender", None, "Gender", "Género", "Genre"),
]

# title, language, kind, year, countries, themes, org slug, authors, abstract, work key
PUBLICATIONS = [
    (
        "Conditional cash transfers and school attendance in the Philippines",
        "en",
        "evaluation",
        2022,
        ["PH"],
        ["conditional-cash-transfers"],
        "dswd-ph",
        ["Maria Santos", "Jose Reyes"],
        "An impact evaluation of the Pantawid programme's education conditions on attendance "
        "and enrolment of children aged 6 to 14.",
        "pantawid",
    ),
    (
        "Transferencias monetarias condicionadas y asistencia escolar en Filipinas",
        "es",
        "evaluation",
        2022,
        ["PH"],
        ["conditional-cash-transfers"],
        "dswd-ph",
        ["Maria Santos", "Jose Reyes"],
        "Evaluación de impacto de las condiciones educativas del programa Pantawid sobre la "
        "asistencia y la matrícula escolar.",
        "pantawid",
    ),
    (
        "Les transferts monétaires au Sénégal : leçons du Programme national de bourses",
        "fr",
        "working_paper",
        2023,
        ["SN"],
        ["cash-transfers"],
        "africa-cash",
        ["Awa Diop", "Moussa Ndiaye"],
        "Ce document de travail examine la mise en œuvre des bourses de sécurité familiale et "
        "leurs effets sur la consommation des ménages pauvres.",
        "senegal-bourses",
    ),
    (
        "Cash transfers in Senegal: lessons from the national family grants programme",
        "en",
        "working_paper",
        2023,
        ["SN"],
        ["cash-transfers"],
        "africa-cash",
        ["Awa Diop", "Moussa Ndiaye"],
        "This working paper examines the family security grants and their effects on the "
        "consumption of poor households.",
        "senegal-bourses",
    ),
    (
        "Social pensions in Nepal: coverage and adequacy",
        "en",
        "report",
        2021,
        ["NP"],
        ["social-pensions"],
        "ipc-ig",
        ["Sita Sharma"],
        "Coverage, benefit levels and delivery of Nepal's old-age and disability allowances.",
        "",
    ),
    (
        "Pensiones no contributivas en América Latina",
        "es",
        "policy_brief",
        2020,
        ["CL", "BO", "MX"],
        ["social-pensions"],
        "cepal-sp",
        ["Carlos Muñoz"],
        "Una síntesis de la cobertura y el financiamiento de las pensiones sociales en la región.",
        "",
    ),
    (
        "Benazir Income Support Programme: targeting with a poverty scorecard",
        "en",
        "case_study",
        2019,
        ["PK"],
        ["unconditional-cash-transfers"],
        "bisp-pk",
        ["Ayesha Khan"],
        "How the national socio-economic registry and a proxy means test select families.",
        "",
    ),
    (
        "Shock-responsive cash transfers after Typhoon Haiyan",
        "en",
        "evaluation",
        2018,
        ["PH"],
        ["shock-responsive", "cash-transfers"],
        "dswd-ph",
        ["Jose Reyes"],
        "Vertical and horizontal expansion of the national programme after a typhoon.",
        "",
    ),
    (
        "Protection sociale réactive aux chocs au Sahel",
        "fr",
        "report",
        2021,
        ["ML", "NE", "BF"],
        ["shock-responsive"],
        "africa-cash",
        ["Fatou Sow"],
        "Comment les filets sociaux adaptatifs répondent aux sécheresses et aux crises "
        "alimentaires au Sahel.",
        "",
    ),
    (
        "Kenya's Inua Jamii old-age grant: a toolkit for county officers",
        "en",
        "toolkit",
        2022,
        ["KE"],
        ["social-pensions"],
        "kenya-sp",
        ["Wanjiru Kamau"],
        "Registration, payment and grievance procedures for county social development officers.",
        "",
    ),
    (
        "Programa de alimentación escolar en Brasil",
        "es",
        "case_study",
        2019,
        ["BR"],
        ["school-feeding"],
        "ipc-ig",
        ["Ana Souza"],
        "El programa nacional de alimentación escolar y las compras a la agricultura familiar.",
        "",
    ),
    (
        "Public works and women's employment in India",
        "en",
        "journal_article",
        2020,
        ["IN"],
        ["public-works", "gender"],
        "ipc-ig",
        ["Priya Nair"],
        "Participation of women in the rural employment guarantee and its effect on wages.",
        "",
    ),
    (
        "Health insurance for informal workers in Indonesia",
        "en",
        "report",
        2023,
        ["ID"],
        ["health-insurance"],
        "tnp2k-id",
        ["Budi Santoso"],
        "Extending national health insurance to informal workers: contribution subsidies and "
        "enrolment.",
        "",
    ),
    (
        "Transferts monétaires et genre : ce que disent les évaluations",
        "fr",
        "policy_brief",
        2024,
        ["SN", "CI", "CM"],
        ["cash-transfers", "gender"],
        "africa-cash",
        ["Awa Diop"],
        "Une note de synthèse sur les effets des transferts monétaires sur l'autonomie des femmes.",
        "",
    ),
    (
        "Presentation: designing conditional cash transfers",
        "en",
        "presentation",
        2024,
        [],
        ["conditional-cash-transfers"],
        "sp-gateway",
        ["Baraza Staff"],
        "Slides from the design course: conditions, co-responsibilities and monitoring.",
        "",
    ),
    (
        "Protección social reactiva ante crisis en Centroamérica",
        "es",
        "report",
        2024,
        ["GT", "HN", "SV"],
        ["shock-responsive"],
        "cepal-sp",
        ["Lucía Pérez"],
        "Transferencias de emergencia ante huracanes y sequías en el Corredor Seco.",
        "",
    ),
]


def _pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (demo files only)."""
    safe = (
        text.encode("latin-1", "replace").replace(b"\\", b"").replace(b"(", b"").replace(b")", b"")
    )
    stream = b"BT /F1 16 Tf 40 700 Td (" + safe[:90] + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def seed_themes() -> dict[str, Theme]:
    themes: dict[str, Theme] = {t.slug: t for t in Theme.objects.all()}
    for slug, parent, en, es, fr in THEMES:
        if slug not in themes:
            themes[slug] = Theme.objects.create(
                slug=slug,
                parent=themes[parent] if parent else None,
                name_en=en,
                name_es=es,
                name_fr=fr,
            )
    return themes


@transaction.atomic
def seed_publications() -> dict:
    from library.services.publications_files import publication_file_process

    themes = seed_themes()
    if Publication.objects.exists():
        return {"publications": Publication.objects.count(), "created": 0}
    rng = random.Random(14)
    at = now()
    orgs = {o.slug: o.pk for o in Organization.objects.all()}
    works: dict[str, Work] = {}
    created: list[Publication] = []
    for index, row in enumerate(PUBLICATIONS):
        title, language, kind, year, countries, theme_slugs, org, authors, abstract, key = row
        work = works.get(key) if key else None
        if work is None:
            work = Work.objects.create()
            if key:
                works[key] = work
        data = publication_data_clean(
            PublicationData(
                title=title,
                kind=kind,
                language=language,
                abstract=abstract,
                authors=authors,
                organization_ids=[orgs[org]] if org in orgs else [],
                year=year,
                theme_ids=[themes[s].pk for s in theme_slugs if s in themes],
                countries=countries,
                licence="cc-by",
            )
        )
        # Two published this month (for "new this month"), the rest over the past year.
        published_at = at - timedelta(days=1 + index if index < 2 else 40 + 20 * index)
        publication = Publication(
            work=work,
            status=Publication.Status.PUBLISHED,
            created_at=published_at,
            published_at=published_at,
            check_metadata=True,
            check_taxonomy=True,
            check_licence=True,
        )
        _write(publication, data)
        PublicationTransition.objects.create(
            publication=publication,
            action=PublicationTransition.Action.IMPORT,
            to_status=publication.status,
            at=published_at,
        )
        if index % 3 == 0:
            publication.file.save(
                f"publication-{index + 1}.pdf",
                ContentFile(_pdf(f"{title}. {abstract}")),
                save=False,
            )
            publication.file_name = f"publication-{index + 1}.pdf"
            publication.file_kind = "pdf"
            publication.file_size = publication.file.size
            publication.file_status = Publication.FileStatus.PENDING
            publication.save()
        created.append(publication)
    for publication in created:
        if publication.file:
            publication_file_process(publication_id=publication.pk)
        else:
            PublicationSearchDocument.objects.get_or_create(
                publication=publication, defaults={"language": publication.language}
            )
    search_index([p.pk for p in created])
    month = at.date().replace(day=1)
    for publication in created[::2]:
        for country in rng.sample(["KE", "SN", "PH", "BR", "IN", "PK", ""], 3):
            DownloadCount.objects.create(
                publication=publication, month=month, country=country, count=rng.randint(1, 40)
            )
    submitter = (
        Member.objects.filter(email__endswith="@demo.baraza.example").order_by("email").first()
    )
    if submitter is not None:
        waiting = Publication(
            work=Work.objects.create(),
            submitter=submitter,
            status=Publication.Status.SUBMITTED,
            created_at=at,
        )
        _write(
            waiting,
            publication_data_clean(
                PublicationData(
                    title="Social pensions in Nepal: coverage and adequacy.",
                    kind="report",
                    language="en",
                    year=2021,
                    countries=["NP"],
                )
            ),
        )
        waiting.possible_duplicate = created[4]
        waiting.save(update_fields=["possible_duplicate"])
        PublicationTransition.objects.create(
            publication=waiting,
            actor=submitter,
            action=PublicationTransition.Action.SUBMIT,
            to_status=waiting.status,
            at=at,
        )
    return {"publications": Publication.objects.count(), "created": len(created)}
