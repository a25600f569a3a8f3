"""Region presets (World Bank regions) used for audiences, filters and analytics."""

from django.utils.translation import gettext_lazy as _

REGIONS: dict[str, tuple] = {
    "south_asia": (_("South Asia"), "AF BD BT IN LK MV NP PK"),
    "southeast_asia": (_("Southeast Asia"), "BN ID KH LA MM MY PH SG TH TL VN"),
    "east_asia_pacific": (
        _("East Asia & Pacific"),
        "AU CN FJ FM HK JP KI KR MH MN MO NR NZ PG PW SB TO TV TW VU WS",
    ),
    "sub_saharan_africa": (
        _("Sub-Saharan Africa"),
        "AO BF BI BJ BW CD CF CG CI CM CV ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW "
        "MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TZ UG ZA ZM ZW",
    ),
    "mena": (
        _("Middle East & North Africa"),
        "AE BH DJ DZ EG IQ IR IL JO KW LB LY MA OM PS QA SA SY TN YE",
    ),
    "latin_america_caribbean": (
        _("Latin America & Caribbean"),
        "AG AR BB BO BR BS BZ CL CO CR CU DM DO EC GD GT GY HN HT JM KN LC MX NI PA PE PY "
        "SR SV TT UY VC VE",
    ),
    "europe_central_asia": (
        _("Europe & Central Asia"),
        "AL AM AT AZ BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GE GR HR HU IE IS IT KG KZ LT "
        "LU LV MD ME MK MT NL NO PL PT RO RS RU SE SI SK TJ TM TR UA UZ XK",
    ),
    "north_america": (_("North America"), "CA US"),
}

REGION_CHOICES = [(key, label) for key, (label, _codes) in REGIONS.items()]


def region_countries(key: str) -> list[str]:
    return REGIONS[key][1].split()


COUNTRY_REGION: dict[str, str] = {
    code: key for key, (_label, codes) in REGIONS.items() for code in codes.split()
}


def region_of(country: str) -> str | None:
    return COUNTRY_REGION.get(country.upper()) if country else None
