"""Glossary linking: a 10 KB community post against a 2,000-concept glossary.

    python -m bench.glossary [--concepts N] [--rounds R]

A database of its own gets N concepts (English term, abbreviation, two synonyms, and
Spanish and French terms: about 5 patterns per concept in English alone); a post of
about 10 KB of Markdown (paragraphs, links, inline code, lists) that names some of them
is rendered and sanitised as a post is saved. Timed: linking that sanitised HTML with
the English matcher (`library.glossary_text.link_terms`, what a page pays when the
linked text is not yet in the cache), best and median of R rounds; also printed, the
cold matcher build and a cached render through core.text_links.

Ceiling: a plain pass over the same HTML with no terms — nh3's sanitiser (Rust) reading
and writing it once. The ratio is the ceiling's median time over linking's.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.glossary")

import argparse
import gc
import os
import random
import statistics
import time

from bench.harness import bench_database, summary_line, time_ratio

WORDS = (
    "cash transfer social pension registry targeting proxy means test graduation adaptive "
    "protection insurance assistance benefit household child grant public works school "
    "feeding disability allowance coverage payment delivery mobile money grievance "
    "redress enrolment eligibility poverty vulnerability shock resilience drought flood "
    "livelihood coaching savings asset inclusion labour market informal worker rural urban "
    "women youth elderly nutrition health education subsidy voucher in-kind food fuel "
    "cooperative microfinance remittance community committee municipal federal provincial"
).split()
FILLER = (
    "the of and in for with to on by from our their this that is was are were have has "
    "about across between after before during under over through which when where while "
    "ministry team country region district pilot evaluation design data report figure"
).split()


def concepts(count: int, rng: random.Random) -> list[tuple[str, str, list[str]]]:
    """`count` distinct multi-word terms with an abbreviation and two synonyms each."""
    seen: set[str] = set()
    out = []
    while len(out) < count:
        words = rng.sample(WORDS, rng.choice((2, 2, 3, 3, 4)))
        term = " ".join(words)
        if term in seen:
            continue
        seen.add(term)
        abbreviation = "".join(w[0] for w in words).upper() + str(len(out))
        synonyms = [f"{term} scheme", f"{words[-1]} {words[0]} programme"]
        out.append((term, abbreviation, synonyms))
    return out


def post_markdown(terms: list[str], rng: random.Random, size: int = 10_000) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = []
        for _ in range(rng.randint(8, 18)):
            roll = rng.random()
            if roll < 0.06:
                sentence.append(rng.choice(terms))
            elif roll < 0.09:
                sentence.append(f"[{rng.choice(terms)}](https://example.org/{rng.randint(1, 99)})")
            elif roll < 0.11:
                sentence.append(f"`{rng.choice(WORDS)}`")
            elif roll < 0.5:
                sentence.append(rng.choice(WORDS))
            else:
                sentence.append(rng.choice(FILLER))
        text = " ".join(sentence).capitalize() + "."
        if rng.random() < 0.1:
            text = f"- {text}"
        elif rng.random() < 0.2:
            text += "\n"
        parts.append(text)
        length += len(text) + 1
    return "\n".join(parts)


def timed(function, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        gc.collect()
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(count: int, rounds: int) -> str:
    import nh3
    from django.urls import reverse

    from core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
    from core.text_links import text_links_apply
    from library.glossary_text import link_terms
    from library.models import Concept, ConceptTerm
    from library.selectors.glossary import glossary_matcher

    rng = random.Random(14)
    generated = concepts(count, rng)
    created = Concept.objects.bulk_create(Concept(key=f"c-{n}") for n in range(count))
    rows = []
    for concept, (term, abbreviation, synonyms) in zip(created, generated, strict=True):
        rows.append(
            ConceptTerm(
                concept=concept,
                language="en",
                term=term,
                slug=f"c-{concept.pk}",
                definition=f"What {term} means, in one sentence. More detail follows.",
                abbreviation=abbreviation,
                synonyms=synonyms,
            )
        )
        for code in ("es", "fr"):
            rows.append(
                ConceptTerm(
                    concept=concept,
                    language=code,
                    term=f"{term} {code}",
                    slug=f"c-{concept.pk}-{code}",
                    definition="…",
                )
            )
    ConceptTerm.objects.bulk_create(rows, batch_size=1000)
    html = render_markdown(post_markdown([t for t, _a, _s in generated], rng))

    reverse("library:glossary")  # the URL resolver is built once per process, not per glossary
    started = time.perf_counter()
    matcher = glossary_matcher("en")
    build = (time.perf_counter() - started) * 1000
    linked = link_terms(html, matcher)
    links = linked.count('class="glossary-term"')
    print(
        f"glossary: {count} concepts, {matcher.size} English patterns; matcher built in "
        f"{build:.0f} ms (once per glossary change and process)"
    )
    print(f"post: {len(html)} bytes of sanitised HTML, {links} terms linked")

    clean = {"tags": ALLOWED_TAGS, "attributes": ALLOWED_ATTRIBUTES}
    ceiling, linking = [], []
    for _ in range(rounds):  # interleaved: the machine's noise falls on both alike
        ceiling += timed(lambda: nh3.clean(html, **clean), 5)
        linking += timed(lambda: link_terms(html, matcher), 5)
    text_links_apply(html, language="en")
    cached = timed(lambda: text_links_apply(html, language="en"), 50)
    best, median = min(linking), statistics.median(linking)
    ceiling_median = statistics.median(ceiling)
    print(
        f"linking: best {best:.2f} ms, median {median:.2f} ms, p95 "
        f"{statistics.quantiles(linking, n=20)[-1]:.2f} ms over {len(linking)} runs"
    )
    print(f"ceiling (nh3 pass over the same HTML): median {ceiling_median:.2f} ms")
    print(
        f"cached render (core.text_links, local cache): median {statistics.median(cached):.3f} ms"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return summary_line("glossary", median, "ms", time_ratio(median, ceiling_median))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with bench_database("glossary"):
        line = run(args.concepts, args.rounds)
    print(line)


if __name__ == "__main__":
    main()
