"""The planner's history: attendance so far by region and local start hour, and the lines
shown beside each candidate start ('Southeast Asia: 51% attended at 15:00 local')."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from core.clock import now
from webinars.analytics.scope import Scope, registration_groups, session_facts
from webinars.analytics.tally import hour_label, local_start, region_label
from webinars.regions import COUNTRY_REGION

if TYPE_CHECKING:
    from webinars.planner import CountryTime

HISTORY_MIN_REGISTRANTS = 10  # the planner shows a rate only from this many registrants up
HISTORY_CACHE_SECONDS = 30 * 60

History = dict[str, dict[int, "RateCell"]]  # region → local start hour → cell


@dataclass(frozen=True)
class RateCell:
    registered: int  # confirmed registrants of sessions that are over
    attended: int

    @property
    def rate(self) -> float:
        return self.attended / self.registered if self.registered else 0.0

    @property
    def percent(self) -> int:
        return int(self.rate * 100 + 0.5)


def attendance_rate_by_region_local_hour(*, viewer: Any) -> History:
    """region → local start hour → attendance so far, over the webinars `viewer` may see
    (staff: all; a partner admin: their organization's; anyone else: none). Cells with
    fewer than HISTORY_MIN_REGISTRANTS registrants are left out. Cached for half an hour."""
    if viewer is None or not viewer.is_authenticated:
        return {}
    if viewer.is_platform_staff:
        scope = Scope()
    elif viewer.is_partner_admin and viewer.organization_id:
        scope = Scope(organization_id=viewer.organization_id)
    else:
        return {}
    key = f"analytics:region-hour:{scope.organization_id or 'all'}"
    history: History | None = cache.get(key)
    if history is None:
        history = _region_hour_history(scope)
        cache.set(key, history, HISTORY_CACHE_SECONDS)
    return history


def _region_hour_history(scope: Scope) -> History:
    facts = session_facts(scope, now())
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for group in registration_groups(scope):
        fact = facts.get(group.session_id)
        region = COUNTRY_REGION.get(group.country or "")
        if fact is None or not fact.over or region is None:
            continue
        hour, _weekday = local_start(fact.starts_at, group.time_zone)
        cell = counts[(region, hour)]
        cell[0] += group.confirmed
        cell[1] += group.attended
    history: History = defaultdict(dict)
    for (region, hour), (registered, attended) in counts.items():
        if registered >= HISTORY_MIN_REGISTRANTS:
            history[region][hour] = RateCell(registered, attended)
    return dict(history)


def history_lines(countries_at_start: Iterable[CountryTime], history: History) -> list[str]:
    """For one candidate start: per region of its audience, the rate at that local hour,
    and at up to two other hours with the most history — 'Southeast Asia: 51% attended
    at 15:00 local, 29% at 20:00'. `countries_at_start` are the planner's CountryTime rows."""
    if not history:
        return []
    seen: dict[str, int] = {}
    for row in sorted(countries_at_start, key=lambda r: -r.weight):
        region = COUNTRY_REGION.get(row.country)
        if region and region not in seen:
            seen[region] = row.local_start.hour
    lines = []
    for region, hour in seen.items():
        cells = history.get(region, {})
        here = cells.get(hour)
        others = sorted(
            ((h, c) for h, c in cells.items() if h != hour), key=lambda hc: -hc[1].registered
        )[:2]
        if here is None and not others:
            continue
        others_text = ", ".join(
            _("%(percent)d%% at %(hour)s") % {"percent": c.percent, "hour": hour_label(h)}
            for h, c in others
        )
        if here is not None:
            line = _("%(region)s: %(percent)d%% attended at %(hour)s local") % {
                "region": region_label(region),
                "percent": here.percent,
                "hour": hour_label(hour),
            }
            lines.append(f"{line}, {others_text}" if others_text else line)
        else:
            lines.append(
                _("%(region)s: no history at %(hour)s local; %(others)s")
                % {"region": region_label(region), "hour": hour_label(hour), "others": others_text}
            )
    return lines
