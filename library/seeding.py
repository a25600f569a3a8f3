# ruff: noqa: E501 (data: definitions are sentences)
"""Demo data for the library's glossary and programme profiles (`make run`)."""

import csv
import io

from communities.models import Community
from library.demo_glossary import CONCEPTS
from library.models import GLOSSARY_LANGUAGES, Concept, Programme, Publication
from library.publication_seeding import seed_themes
from library.services.glossary import GLOSSARY_COLUMNS, glossary_import
from library.services.programmes import programme_coverage_record, programme_create
from webinars.models import Webinar


def demo_glossary_csv() -> bytes:
    """The demo glossary as the CSV staff would import. It has no `themes` column (so it
    imports before the theme tree exists, and leaves the themes it has alone)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column for column in GLOSSARY_COLUMNS if column != "themes"])
    for key, terms, see_also, sources in CONCEPTS:
        row = [key]
        for code in GLOSSARY_LANGUAGES:
            term, abbreviation, synonyms, definition = terms[code]
            row += [term, definition, abbreviation, "; ".join(synonyms)]
        writer.writerow([*row, "; ".join(see_also), " || ".join(sources)])
    return out.getvalue().encode()


# concept key → the demo theme tree's slugs (library.publication_seeding.THEMES)
CONCEPT_THEMES = {
    "conditional-cash-transfer": ["conditional-cash-transfers"],
    "conditionality": ["conditional-cash-transfers"],
    "unconditional-cash-transfer": ["unconditional-cash-transfers"],
    "child-grant": ["cash-transfers"],
    "cash-plus": ["cash-transfers"],
    "social-pension": ["social-pensions"],
    "social-assistance": ["social-assistance"],
    "social-insurance": ["social-insurance"],
    "public-works": ["public-works"],
    "adaptive-social-protection": ["shock-responsive"],
    "shock-responsive-social-protection": ["shock-responsive"],
}

PROGRAMMES = [
    {
        "fields": {
            "name": "Programa Bolsa Família",
            "name_language": "pt",
            "name_en": "Bolsa Família Programme",
            "country": "BR",
            "kind": Programme.Kind.CONDITIONAL_CASH,
            "start_year": 2003,
            "implementing_agency": "Ministério do Desenvolvimento e Assistência Social (MDS)",
            "target_group_en": "Families in poverty and extreme poverty",
            "target_group_es": "Familias en situación de pobreza y pobreza extrema",
            "target_group_fr": "Familles en situation de pauvreté et d'extrême pauvreté",
            "summary_en": "Monthly transfers to poor families, conditional on school attendance, vaccination and prenatal care; families are selected from the Cadastro Único social registry.",
            "summary_es": "Transferencias mensuales a familias pobres, condicionadas a la asistencia escolar, la vacunación y los controles prenatales; las familias se seleccionan a partir del registro social Cadastro Único.",
            "summary_fr": "Transferts mensuels aux familles pauvres, conditionnés à la scolarisation, à la vaccination et au suivi prénatal ; les familles sont sélectionnées à partir du registre social Cadastro Único.",
            "website": "https://www.gov.br/mds/pt-br/acoes-e-programas/bolsa-familia",
        },
        "coverage": [(2023, 21_100_000, "households", "MDS, Relatório de Programas e Ações")],
        "publications": ["Programa de alimentación escolar en Brasil"],
        "webinars": ["pensiones-no-contributivas"],
        "communities": ["transferencias-latam"],
    },
    {
        "fields": {
            "name": "Pantawid Pamilyang Pilipino Program (4Ps)",
            "name_language": "tl",
            "name_en": "Philippine Conditional Cash Transfer Programme (4Ps)",
            "country": "PH",
            "kind": Programme.Kind.CONDITIONAL_CASH,
            "start_year": 2008,
            "implementing_agency": "Department of Social Welfare and Development (DSWD)",
            "target_group_en": "Poor households with children aged 0–18 or pregnant women",
            "target_group_es": "Hogares pobres con hijos de 0 a 18 años o mujeres embarazadas",
            "target_group_fr": "Ménages pauvres avec des enfants de 0 à 18 ans ou des femmes enceintes",
            "summary_en": "Health and education grants to poor households identified by the Listahanan proxy means test, with family development sessions.",
            "website": "https://pantawid.dswd.gov.ph/",
        },
        "coverage": [
            (
                2023,
                4_400_000,
                "households",
                "DSWD, Pantawid Pamilya programme implementation status report",
            )
        ],
        "publications": [
            "Conditional cash transfers and school attendance in the Philippines",
            "Transferencias monetarias condicionadas y asistencia escolar en Filipinas",
        ],
        "webinars": ["adaptive-sp-asia", "digital-id-cash"],
        "communities": ["adaptive-sp-asia"],
    },
    {
        "fields": {
            "name": "Programme national de bourses de sécurité familiale (PNBSF)",
            "name_language": "fr",
            "name_en": "National Family Security Grants Programme",
            "country": "SN",
            "kind": Programme.Kind.CONDITIONAL_CASH,
            "start_year": 2013,
            "implementing_agency": "Délégation générale à la protection sociale et à la solidarité nationale (DGPSN)",
            "target_group_en": "Poor households listed in the national unified registry (RNU)",
            "target_group_fr": "Ménages pauvres inscrits au Registre national unifié (RNU)",
            "summary_fr": "Bourse trimestrielle versée aux ménages pauvres, avec des engagements en matière de scolarisation, de vaccination et d'état civil des enfants.",
            "summary_en": "A quarterly grant to poor households, with commitments on children's schooling, vaccination and civil registration.",
        },
        "coverage": [(2019, 316_941, "households", "DGPSN")],
        "publications": [
            "Les transferts monétaires au Sénégal : leçons du Programme national de bourses",
            "Cash transfers in Senegal: lessons from the national family grants programme",
        ],
        "webinars": ["protection-sociale-sahel"],
        "communities": ["cash-afrique-ouest"],
    },
]


def seed_library() -> dict:
    """The demo glossary (filed under the demo themes) and programme profiles (linked to
    the demo publications, webinars and communities there are); running it again adds
    nothing."""
    themes = seed_themes()
    result = glossary_import(actor=None, data=demo_glossary_csv())
    for concept in Concept.objects.filter(key__in=CONCEPT_THEMES, themes__isnull=True):
        concept.themes.set([themes[slug] for slug in CONCEPT_THEMES[concept.key]])
    created = 0
    for spec in PROGRAMMES:
        if Programme.objects.filter(name_en=spec["fields"]["name_en"]).exists():
            continue
        programme = programme_create(
            actor=None,
            publications=list(Publication.objects.filter(title__in=spec["publications"])),
            webinars=list(Webinar.objects.filter(slug__in=spec["webinars"])),
            communities=list(Community.objects.filter(slug__in=spec["communities"])),
            **spec["fields"],
        )
        for year, figure, unit, source in spec["coverage"]:
            programme_coverage_record(
                actor=None, programme=programme, year=year, figure=figure, unit=unit, source=source
            )
        created += 1
    return {
        "concepts": len(CONCEPTS),
        "glossary_created": result.created,
        "programmes": Programme.objects.count(),
        "created": created,
        "errors": result.errors,
    }
