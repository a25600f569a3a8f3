"""Demo usage for `make run`: two weeks of page views, searches, downloads and join
clicks over the demo webinars and communities, rolled up by the real rollup, so the
dashboard has something to show. Idempotent: nothing is added once any day is rolled up."""

import random
import secrets
from datetime import timedelta

from core.clock import now
from monitoring.models import DailyRollup, UsageEvent, UsageKind
from monitoring.services import usage_rollup_day

DAYS = 14
COUNTRIES = ["PH", "KE", "CO", "IN", "SN", "BR", "NP", "GH", ""]
LANGUAGES = ["en", "en", "es", "fr"]
DEVICES = ["desktop", "mobile", "mobile", "tablet"]
REFERRERS = ["", "", "", "google.com", "t.co", "linkedin.com", "socialprotection.org"]
SEARCHES = [("cash transfers", 6), ("graduation approach", 0), ("pensions", 3), ("shock", 0)]


def seed_usage() -> dict[str, int]:
    from communities.models import Community
    from webinars.models import Webinar

    if DailyRollup.objects.exists():
        return {"days": 0, "events": 0}
    rng = random.Random(15)
    webinars = list(Webinar.objects.values_list("slug", flat=True)[:8])
    communities = list(Community.objects.values_list("slug", flat=True)[:5])
    paths = ["/", "/webinars/", "/communities/", "/events/"]
    paths += [f"/webinars/{slug}/" for slug in webinars]
    paths += [f"/communities/{slug}/" for slug in communities]
    today = now().date()
    events: list[UsageEvent] = []
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        at = now().replace(year=day.year, month=day.month, day=day.day)
        visitors = [secrets.token_hex(16) for _ in range(rng.randint(20, 60))]
        for visitor in visitors:
            country, language, device = (
                rng.choice(COUNTRIES),
                rng.choice(LANGUAGES),
                rng.choice(DEVICES),
            )
            for _view in range(rng.randint(1, 5)):
                events.append(
                    UsageEvent(
                        kind=UsageKind.PAGE_VIEW,
                        day=day,
                        at=at,
                        path=rng.choice(paths),
                        referrer_host=rng.choice(REFERRERS),
                        language=language,
                        device=device,
                        country=country,
                        visitor=visitor,
                    )
                )
            if rng.random() < 0.3:
                query, results = rng.choice(SEARCHES)
                events.append(
                    UsageEvent(
                        kind=UsageKind.SEARCH,
                        day=day,
                        at=at,
                        query=query,
                        results=results,
                        visitor=visitor,
                        country=country,
                    )
                )
            if webinars and rng.random() < 0.1:
                events.append(
                    UsageEvent(
                        kind=UsageKind.JOIN,
                        day=day,
                        at=at,
                        visitor=visitor,
                        target=f"webinar:{rng.choice(webinars)}",
                        path="/j/…",
                    )
                )
    UsageEvent.objects.bulk_create(events, batch_size=1000)
    for offset in range(DAYS, 0, -1):
        usage_rollup_day(day=today - timedelta(days=offset))
    return {"days": DAYS, "events": len(events)}
