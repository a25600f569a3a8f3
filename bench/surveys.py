"""Surveys: 2,000 people submit a survey at once; results of 100,000 responses.

    python -m bench.surveys [--count N] [--concurrency C] [--responses N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.surveys

Submissions: `--count` invited people (each their own invitation link,
/surveys/i/<token>/) POST the real respondent form through Daphne at `--concurrency`
connections: every answer must be the thank-you page (200), and the database must then
hold exactly `--count` submitted responses with their answers. The ceiling is the
bare-insert view of bench/registration.py (`/bench/ceiling/register/...`: CSRF-checked
POST, one INSERT, a redirect), driven by the same client at the same concurrency before
and after, pooled. Ratio: submissions/s over ceiling POSTs/s.

Results (PostgreSQL only): `--responses` submitted responses to a four-question survey
(bulk-inserted), then the author's results page with the cross-tab by country rendered
in this process (Django's test client), against a hand-written GROUP BY computing the
same figures (totals per option, means, and the option × country counts) in SQL. The
page's number of queries is printed for 1,000 and for all the responses: it must not grow.
"""

from __future__ import annotations

if not __package__:
    raise SystemExit("from the project root, run: python -m bench.surveys")

import argparse
import asyncio
import os
import statistics
import time

import httpx

from bench.harness import LoadResult, Site, bench_site, rate_ratio, summary_line, time_ratio
from bench.load import process_cpu_seconds
from bench.registration import create_webinar, csrf_headers, form_body

DOC = {
    "title": {"en": "Bench survey", "fr": "Enquête de banc"},
    "questions": [
        {
            "key": "role",
            "type": "single",
            "required": True,
            "text": {"en": "Where do you work?"},
            "options": [
                {"key": "gov", "text": {"en": "Government"}},
                {"key": "ngo", "text": {"en": "NGO"}},
                {"key": "other", "text": {"en": "Other"}},
            ],
        },
        {
            "key": "why",
            "type": "text",
            "text": {"en": "Which other?"},
            "show_if": {"question": "role", "equals": "other"},
        },
        {
            "key": "topics",
            "type": "multiple",
            "text": {"en": "Topics"},
            "options": [
                {"key": "cash", "text": {"en": "Cash"}},
                {"key": "pensions", "text": {"en": "Pensions"}},
                {"key": "jobs", "text": {"en": "Jobs"}},
            ],
        },
        {"key": "score", "type": "scale", "min": 0, "max": 10, "text": {"en": "Recommend?"}},
    ],
}
COUNTRIES = ["KE", "SN", "PE", "IN", "PH", "BR", "NG", "MX", "VN", "EG"]


def make_survey(owner_email: str):
    from members.models import Member
    from surveys.schema import survey_spec_read
    from surveys.services.authoring import survey_import, survey_open

    owner = Member.objects.create_user(email=owner_email, password="bench-pass-phrase-42")
    survey = survey_import(owner=owner, spec=survey_spec_read(DOC))
    return owner, survey_open(survey=survey, actor=owner)


def invite(survey, count: int, prefix: str) -> None:
    from core.clock import now
    from surveys.models import Invitation

    at = now()
    Invitation.objects.bulk_create(
        [
            Invitation(
                survey=survey,
                email=f"{prefix}{n:04d}@bench.example",
                token=f"{prefix}{n:04d}",
                created_at=at,
            )
            for n in range(1, count + 1)
        ],
        batch_size=1000,
    )


async def _posts(url: str, body: str, count: int, concurrency: int, headers: dict, expected: int):
    """`count` POSTs, `{n}` in the URL and body replaced by 0001, 0002..."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    errors = 0
    sent = 0
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=60) as client:

        async def connection() -> None:
            nonlocal errors, sent
            while sent < count:
                sent += 1
                n = f"{sent:04d}"
                began = time.perf_counter()
                try:
                    response = await client.post(
                        url.replace("{n}", n), content=body.replace("{n}", n)
                    )
                except httpx.TransportError:
                    errors += 1
                else:
                    errors += response.status_code != expected
                latencies.append(time.perf_counter() - began)

        start = time.perf_counter()
        await asyncio.gather(*(connection() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return len(latencies), errors, elapsed, cuts[49], cuts[98]


def run_posts(name, site: Site, url, body, count, concurrency, headers, expected) -> LoadResult:
    server_before = process_cpu_seconds(site.web_pid)
    client_before = time.process_time()
    requests, errors, elapsed, p50, p99 = asyncio.run(
        _posts(url, body, count, concurrency, headers, expected)
    )
    server_after = process_cpu_seconds(site.web_pid)
    server = None
    if server_before is not None and server_after is not None:
        server = (server_after - server_before) / elapsed
    return LoadResult(
        name=name,
        client="httpx",
        requests=requests,
        errors=errors,
        elapsed=elapsed,
        p50=p50,
        p99=p99,
        client_cpu=(time.process_time() - client_before) / elapsed,
        server_cpu=server,
    )


SURVEY_BODY = (
    "csrfmiddlewaretoken={token}&lang=en&q_role={role}&q_why=Union+{{n}}"
    "&q_topics=cash&q_topics=jobs&q_score=7&action=submit"
)


def submissions(site: Site, *, count: int, concurrency: int) -> tuple[float, float, list[str]]:
    from surveys.models import Answer, Response

    failures: list[str] = []
    _owner, survey = make_survey("bench-author@bench.example")
    invite(survey, count, "p")
    invite(survey, 30, "w")
    headers, token = csrf_headers(site, "/surveys/i/w0001/")
    body = SURVEY_BODY.format(token=token, role="other")
    webinar, session = create_webinar("surveys", "ceiling", None)
    ceiling_url = f"{site.url}/bench/ceiling/register/{webinar.pk}/{session.pk}/"
    ceiling_body = form_body(token, session.pk).replace("{n}", "c{n}")
    # warm-up: both views, one at a time
    with httpx.Client(headers=headers, timeout=30) as client:
        for n in range(1, 31):
            r = client.post(f"{site.url}/surveys/i/w{n:04d}/", content=body.replace("{n}", str(n)))
            if r.status_code != 200:
                raise RuntimeError(f"warm-up survey POST answered {r.status_code}: {r.text[:300]}")
            r = client.post(ceiling_url, content=ceiling_body.replace("{n}", f"w{n:04d}"))
            if r.status_code != 302:
                raise RuntimeError(f"warm-up ceiling POST answered {r.status_code}")
    before = run_posts(
        "ceiling",
        site,
        ceiling_url,
        ceiling_body.replace("c{n}", "b{n}"),
        count,
        concurrency,
        headers,
        302,
    )
    print(f"  {before.describe()}", flush=True)
    result = run_posts(
        "surveys", site, f"{site.url}/surveys/i/p{{n}}/", body, count, concurrency, headers, 200
    )
    print(f"  {result.describe()}", flush=True)
    after = run_posts(
        "ceiling",
        site,
        ceiling_url,
        ceiling_body.replace("c{n}", "a{n}"),
        count,
        concurrency,
        headers,
        302,
    )
    print(f"  {after.describe()}", flush=True)
    ceiling = (before.requests + after.requests) / (before.elapsed + after.elapsed)
    stored = Response.objects.filter(
        survey=survey, status="submitted", invitation__token__startswith="p"
    ).count()
    answers = Answer.objects.filter(response__invitation__token__startswith="p").count()
    print(f"  stored: {stored} submitted responses, {answers} answers", end="")
    print(f" (expected {count} and {count * 5})")
    if result.errors:
        failures.append(f"{result.errors} submissions did not get the thank-you page")
    if stored != count or answers != count * 5:
        failures.append(f"expected exactly {count} responses and {count * 5} answers")
    return result.rps, ceiling, failures


# --- results at 100,000 ----------------------------------------------------------------------


def fill(survey, responses: int, offset: int = 0) -> None:
    """`responses` submitted responses (respondent keys from `offset` on), bulk-inserted."""
    import random

    from core.clock import now
    from surveys.models import Answer, Question, Response

    rng = random.Random(13 + offset)
    questions = {
        q.key: q for q in Question.objects.filter(survey=survey).prefetch_related("options")
    }
    options = {key: list(q.options.all()) for key, q in questions.items()}
    at = now()
    batch = 5000
    for start in range(0, responses, batch):
        rows = [
            Response(
                survey=survey,
                respondent_key=f"bench-{offset + start + i}",
                status="submitted",
                language=rng.choice(["en", "es", "fr"]),
                country=rng.choice(COUNTRIES),
                region="",
                organization_kind=rng.choice(["government", "ngo", "academia"]),
                started_at=at,
                submitted_at=at,
                updated_at=at,
            )
            for i in range(min(batch, responses - start))
        ]
        Response.objects.bulk_create(rows, batch_size=batch)
        answers = []
        for response in rows:
            role = rng.choice(options["role"])
            answers.append(Answer(response=response, question=questions["role"], option=role))
            if role.key == "other":
                answers.append(Answer(response=response, question=questions["why"], text="Union"))
            for topic in rng.sample(options["topics"], rng.randint(1, 2)):
                answers.append(
                    Answer(response=response, question=questions["topics"], option=topic)
                )
            answers.append(
                Answer(response=response, question=questions["score"], number=rng.randint(0, 10))
            )
        Answer.objects.bulk_create(answers, batch_size=10000)


HAND_SQL = [
    # totals per option and the means, as the tallies need them
    """SELECT a.question_id, a.option_id, COUNT(*) FROM surveys_answer a
       JOIN surveys_response r ON r.id = a.response_id
       WHERE r.survey_id = %s AND r.status = 'submitted' AND a.option_id IS NOT NULL
       GROUP BY a.question_id, a.option_id""",
    """SELECT a.question_id, a.number, COUNT(*), AVG(a.number) FROM surveys_answer a
       JOIN surveys_response r ON r.id = a.response_id
       WHERE r.survey_id = %s AND r.status = 'submitted' AND a.number IS NOT NULL
       GROUP BY a.question_id, a.number""",
    """SELECT a.question_id, COUNT(DISTINCT a.response_id) FROM surveys_answer a
       JOIN surveys_response r ON r.id = a.response_id
       WHERE r.survey_id = %s AND r.status = 'submitted' GROUP BY a.question_id""",
    # the cross-tab: option × country
    """SELECT a.question_id, a.option_id, a.number, r.country, COUNT(DISTINCT a.response_id)
       FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
       WHERE r.survey_id = %s AND r.status = 'submitted'
         AND (a.option_id IS NOT NULL OR a.number IS NOT NULL)
       GROUP BY a.question_id, a.option_id, a.number, r.country""",
]


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def results_page(responses: int) -> tuple[float, float, list[str]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    failures: list[str] = []
    owner, survey = make_survey("bench-results@bench.example")
    client = Client()
    client.force_login(owner)
    url = f"/surveys/{survey.slug}/results/?by=country"

    def page() -> None:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise RuntimeError(f"results page answered {response.status_code}")

    fill(survey, 1000)
    with CaptureQueriesContext(connection) as small:
        page()
    began = time.perf_counter()
    if responses > 1000:
        fill(survey, responses - 1000, offset=1000)
    print(f"  filled {responses} responses in {time.perf_counter() - began:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as large:
        page()
    print(f"  results page queries: {len(small)} at 1,000 responses, {len(large)} at {responses}")
    if len(large) != len(small):
        failures.append("the results page's query count grew with the responses")

    def hand() -> None:
        with connection.cursor() as cursor:
            for sql in HAND_SQL:
                cursor.execute(sql, [survey.pk])
                cursor.fetchall()

    page_time = best_of(3, page)
    sql_time = best_of(3, hand)
    print(f"  results page with cross-tab by country: {page_time * 1000:.0f} ms (best of 3)")
    print(f"  hand-written GROUP BY queries:          {sql_time * 1000:.0f} ms (best of 3)")
    return page_time, sql_time, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--responses", type=int, default=100_000)
    args = parser.parse_args()
    print(
        f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}"
    )
    failures: list[str] = []
    with bench_site("surveys") as site:
        from django.db import connection

        print(f"surveys on {connection.vendor}: {args.count} submissions", end="")
        print(f" at concurrency {args.concurrency}")
        rps, ceiling, problems = submissions(site, count=args.count, concurrency=args.concurrency)
        failures += problems
        ratio = rate_ratio(rps, ceiling)
        print(f"  submissions {rps:.1f}/s vs ceiling {ceiling:.1f} POSTs/s: ratio {ratio:.2f}")
        if connection.vendor == "postgresql":
            page_time, sql_time, problems = results_page(args.responses)
            failures += problems
            print(
                f"  results page vs hand-written GROUP BY: {page_time / sql_time:.2f}× the time"
                f" (ratio {time_ratio(page_time, sql_time):.2f})"
            )
        else:
            print("  results at 100,000 responses: skipped — needs PostgreSQL (DATABASE_URL)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    for failure in failures:
        print(f"FAILED: {failure}")
    print(summary_line("surveys", rps, "responses/s", rate_ratio(rps, ceiling)))
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
