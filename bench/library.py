"""Library search: p95 latency of the search page with facets over 50,000 publications.

    python -m bench.library [--publications N] [--requests R]

Generates N publications (English, Spanish and French titles and abstracts, types,
themes, countries, organizations, years) in bulk, indexes them with the search service,
then times R sequential GETs of `/library/?q=…&<facet>=…` (queries that match many and
few publications, one with a typo that the page corrects) against a ceiling: a page that
looks one publication up by its primary key and renders its title (`/bench/ceiling/
library/<id>/`), over the same server. Ratio = ceiling p95 ÷ search p95.

The database is SQLite unless DATABASE_URL points at PostgreSQL; with PostgreSQL the
SQLite figure is measured first in a child process (the same run, the same data), so one
run reports both backends. The last line is the run's own database (PostgreSQL when given).
Queries per search are counted in-process (they must not grow with the data).
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.library")

import argparse
import os
import random
import statistics
import subprocess
import sys
import time

import httpx

from bench.harness import bench_site, summary_line, time_ratio

EN = (
    "cash transfer conditional unconditional pension social protection poverty household "
    "school attendance nutrition health insurance evaluation targeting registry payment "
    "women children elderly disability coverage adequacy shock drought flood resilience "
    "employment public works graduation livelihood informal workers digital delivery grievance"
).split()
ES = (
    "transferencias monetarias condicionadas pensiones sociales protección pobreza hogares "
    "asistencia escolar nutrición seguro salud evaluación focalización registro pagos mujeres "
    "niños adultos mayores discapacidad cobertura sequía empleo obras públicas resiliencia"
).split()
FR = (
    "transferts monétaires conditionnels pensions sociales protection pauvreté ménages "
    "scolarisation nutrition assurance maladie évaluation ciblage registre paiements femmes "
    "enfants personnes âgées handicap couverture sécheresse emploi travaux publics résilience"
).split()
WORDS = {"en": EN, "es": ES, "fr": FR}
COUNTRIES = "KE SN PH BR IN PK NP ID MX CL BO GH ET RW TZ UG ZA CO PE BD".split()
KINDS = [
    "report",
    "working_paper",
    "policy_brief",
    "journal_article",
    "toolkit",
    "evaluation",
    "case_study",
    "presentation",
]
SEARCHES = [
    "q=cash+transfer",
    "q=cash+transfer&country=KE",
    "q=pensiones+sociales&type=report",
    "q=transferts+mon%C3%A9taires&language=fr&year=2020",
    "q=evaluation+targeting&region=sub_saharan_africa",
    "q=graduation+livelihood&theme=cash-transfers",
    "q=drought+resilience&country=PH&type=evaluation",
    "q=tranferts",  # a typo: corrected to "transferts"
    "q=nutrition&organization=bench-org-3",
    "theme=social-pensions&country=BR",
]


def generate(count: int) -> list[int]:
    from core.clock import now
    from library.models import (
        Publication,
        PublicationAuthor,
        PublicationCountry,
        PublicationRegion,
        PublicationSearchDocument,
        Theme,
        Work,
        normalise_title,
    )
    from members.models import Organization
    from webinars.regions import REGIONS

    rng = random.Random(14)
    root = Theme.objects.create(slug="social-assistance", name_en="Social assistance")
    cash = Theme.objects.create(parent=root, slug="cash-transfers", name_en="Cash transfers")
    themes = [
        root,
        cash,
        Theme.objects.create(parent=cash, slug="conditional", name_en="Conditional"),
        Theme.objects.create(parent=root, slug="social-pensions", name_en="Social pensions"),
        Theme.objects.create(slug="public-works", name_en="Public works"),
    ]
    orgs = Organization.objects.bulk_create(
        Organization(slug=f"bench-org-{i}", name=f"Bench institute {i}") for i in range(30)
    )
    region_of = {c: key for key, (_l, codes) in REGIONS.items() for c in codes.split()}
    stamp = now()
    ids: list[int] = []
    batch = 2000
    Through = Publication.themes.through
    OrgThrough = Publication.organizations.through
    for start in range(0, count, batch):
        size = min(batch, count - start)
        works = Work.objects.bulk_create(Work() for _ in range(size))
        rows = []
        for index, work in enumerate(works):
            language = rng.choice(["en", "en", "es", "fr"])
            words = WORDS[language]
            title = " ".join(rng.choices(words, k=rng.randint(4, 9))).capitalize()
            abstract = " ".join(rng.choices(words, k=rng.randint(40, 90))) + "."
            rows.append(
                Publication(
                    work=work,
                    title=f"{title} {start + index}",
                    normalised_title=normalise_title(f"{title} {start + index}"),
                    abstract=abstract,
                    kind=rng.choice(KINDS),
                    language=language,
                    year=rng.randint(2005, 2025),
                    status=Publication.Status.PUBLISHED,
                    created_at=stamp,
                    updated_at=stamp,
                    published_at=stamp,
                    licence="cc-by",
                )
            )
        created = Publication.objects.bulk_create(rows)
        through, orgs_through, places, regions, authors, docs = [], [], [], [], [], []
        for p in created:
            theme = rng.choice(themes)
            chosen = {t.pk for t in themes if theme.path.startswith(t.path)}
            through += [Through(publication_id=p.pk, theme_id=t) for t in chosen]
            orgs_through.append(
                OrgThrough(publication_id=p.pk, organization_id=rng.choice(orgs).pk)
            )
            countries = set(rng.sample(COUNTRIES, rng.randint(1, 2)))
            places += [PublicationCountry(publication=p, country=c) for c in countries]
            regions += [
                PublicationRegion(publication=p, region=r)
                for r in {region_of[c] for c in countries if c in region_of}
            ]
            authors.append(PublicationAuthor(publication=p, position=0, name=f"Author {p.pk}"))
            docs.append(PublicationSearchDocument(publication=p, language=p.language))
        Through.objects.bulk_create(through)
        OrgThrough.objects.bulk_create(orgs_through)
        PublicationCountry.objects.bulk_create(places)
        PublicationRegion.objects.bulk_create(regions)
        PublicationAuthor.objects.bulk_create(authors)
        PublicationSearchDocument.objects.bulk_create(docs)
        from library.search.service import search_index

        search_index([p.pk for p in created])
        ids += [p.pk for p in created]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would leave them
    return ids


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def timed(client: httpx.Client, urls: list[str], requests: int) -> list[float]:
    for url in urls:  # warm up: every URL once
        client.get(url).raise_for_status()
    samples = []
    for index in range(requests):
        began = time.perf_counter()
        response = client.get(urls[index % len(urls)])
        samples.append(time.perf_counter() - began)
        response.raise_for_status()
    return samples


def queries_per_search() -> tuple[int, int]:
    """(queries for a broad search, for a narrow one): equal when the count is constant."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from library.search.service import publication_search

    counts = []
    for query, filters in (("cash transfer", {}), ("nutrition", {"country": ["KE"]})):
        with CaptureQueriesContext(connection) as captured:
            publication_search(query=query, filters=filters)
        counts.append(len(captured.captured_queries))
    return counts[0], counts[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--publications", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and not args.child:
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.library",
                "--child",
                "--publications",
                str(args.publications),
                "--requests",
                str(args.requests),
            ],
            env={**os.environ, "DATABASE_URL": ""},
            capture_output=True,
            text=True,
        )
        lines = child.stdout.strip().splitlines()
        for line in lines[:-1]:
            print(line if line.startswith("sqlite: ") else f"sqlite: {line}")
        if child.returncode != 0:
            print(f"sqlite: failed\n{child.stderr}", file=sys.stderr)
        elif lines:
            print(f"sqlite: {lines[-1]}")
    with bench_site("library") as site:
        from django.db import connection

        from library.models import Publication

        began = time.perf_counter()
        ids = generate(args.publications)
        print(
            f"{connection.vendor}: {Publication.objects.count()} publications generated and "
            f"indexed in {time.perf_counter() - began:.0f} s"
        )
        broad, narrow = queries_per_search()
        print(f"{connection.vendor}: queries per search: {broad} (broad), {narrow} (narrow)")
        rng = random.Random(7)
        search_urls = [f"{site.url}/library/?{q}" for q in SEARCHES]
        ceiling_urls = [f"{site.url}/bench/ceiling/library/{rng.choice(ids)}/" for _ in range(20)]
        with httpx.Client(timeout=60) as client:
            ceiling = timed(client, ceiling_urls, args.requests)
            search = timed(client, search_urls, args.requests)
            ceiling_again = timed(client, ceiling_urls, args.requests)
        ceiling_p95 = min(p95(ceiling), p95(ceiling_again))
        search_p95 = p95(search)
        print(
            f"{connection.vendor}: ceiling (indexed lookup page) p95 {ceiling_p95 * 1000:.1f} ms, "
            f"search with facets p50 {statistics.median(search) * 1000:.1f} ms "
            f"p95 {search_p95 * 1000:.1f} ms ({args.requests} requests)"
        )
        print(f"load average: {os.getloadavg()[0]:.2f}")
        print(
            summary_line(
                "library", search_p95 * 1000, "ms", time_ratio(search_p95, ceiling_p95)
            ).replace("library: ", "library: p95 ", 1)
        )


if __name__ == "__main__":
    main()
