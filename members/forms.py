from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.clock import now
from core.markdown import clean_line
from core.zones import DEFAULT_ZONE, canonical_zone, clean_zone, zone_groups, zone_names
from members.models import Language, Member


@lru_cache(maxsize=1)
def zone_choices() -> tuple[tuple[str, str], ...]:
    return tuple((name, name.replace("_", " ")) for name in zone_names())


@lru_cache(maxsize=8)
def _country_options(language: str | None) -> tuple[tuple[str, str], ...]:
    return (("", "—"), *((code, str(name)) for code, name in countries))


def country_choices() -> tuple[tuple[str, str], ...]:
    """Country names in the active language, sorted by them (computed once per language)."""
    return _country_options(get_language())


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


def _mark_selected(options: str, value) -> str:
    """Cached `<option>` markup with `value` selected: one string search, no rendering."""
    if value in (None, ""):
        return options
    needle = f'value="{escape(value)}"'
    if needle not in options:
        return format_html('<option value="{}" selected>{}</option>', value, value) + options
    return options.replace(needle, needle + " selected", 1)


class CachedOptionsSelect(forms.Widget):
    """A select whose long, fixed options (250 countries, 420 zones) are rendered once per
    language and kept as one string; rendering it marks the chosen one. Django's own select
    renders a template per option: 60 ms of a registration page's server time."""

    def options_html(self) -> str:
        raise NotImplementedError

    def format_value(self, value):
        return value

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        options = _mark_selected(self.options_html(), self.format_value(value))
        # Every piece is escaped: names and attributes here, options by format_html.
        html = f'<select name="{escape(name)}"{flatatt(attrs)}>{options}</select>'
        return mark_safe(html)  # noqa: S308


@lru_cache(maxsize=8)
def _country_options_html(language: str | None) -> str:
    return "".join(
        str(format_html('<option value="{}">{}</option>', code, name))
        for code, name in _country_options(language)
    )


class CountrySelect(CachedOptionsSelect):
    def options_html(self) -> str:
        return _country_options_html(get_language())


def _zone_options(groups) -> str:
    """`<option>`s of zone_groups(): UTC on its own, then an `<optgroup>` per region."""
    parts = []
    for label, zones in groups:
        options = "".join(
            str(format_html('<option value="{}">{}</option>', zone, text)) for zone, text in zones
        )
        if label:
            options = format_html('<optgroup label="{}">', label) + options + "</optgroup>"
        parts.append(options)
    return "".join(parts)


@lru_cache(maxsize=8)
def _zone_options_html(language: str | None, hour: str) -> str:
    """Every zone grouped by region with its offset in `hour` (offsets move with DST)."""
    return _zone_options(zone_groups(zone_names(), now()))


class ZoneSelect(CachedOptionsSelect):
    """Every canonical zone, grouped by region, each with its UTC offset now."""

    def format_value(self, value):
        return canonical_zone(value) or value

    def options_html(self) -> str:
        return _zone_options_html(get_language(), now().strftime("%Y%m%d%H"))


SUGGESTED_LIMIT = 30


class ZonePicker(forms.Widget):
    """The registration form's zone: a short select of the zones a person there most
    likely wants (their own, then `suggested`: the webinar's hosts and audience), grouped
    by region with offsets, and a box to type any other zone or city. With JavaScript,
    static/js/zonepicker.js turns the box into a search of every zone; without, what is
    typed wins over the select (checked and made canonical by the field)."""

    template_name = ""  # rendered below, without a template per option
    suggested: tuple[str, ...] = ()

    def value_from_datadict(self, data, files, name):
        other = (data.get(f"{name}_other") or "").strip()
        return other or data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_other" not in data

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = canonical_zone(value)
        names = [zone for zone in dict.fromkeys([chosen, *self.suggested, DEFAULT_ZONE]) if zone]
        names = names[: SUGGESTED_LIMIT + 1]
        options = _mark_selected(_zone_options(zone_groups(names, now())), chosen)
        other_id = f"{attrs.get('id', name)}_other"
        typed = value if chosen is None and value else ""
        return format_html(
            '<span class="zone-picker" data-zones="{}" data-search-label="{}"'
            ' data-search-hint="{}">'
            '<select name="{}"{}>{}</select>'
            ' <label for="{}">{}</label>'
            ' <input type="text" name="{}_other" id="{}" value="{}" maxlength="64"'
            ' autocomplete="off" placeholder="{}">'
            "</span>",
            f"{reverse('zone_list')}?lang={get_language()}",
            _("Search every time zone:"),
            _("city, country zone or UTC offset"),
            name,
            flatatt({k: v for k, v in attrs.items() if k != "maxlength"}),
            mark_safe(options),  # noqa: S308 (built by format_html)
            other_id,
            _("or another zone or city:"),
            name,
            other_id,
            typed,
            _("e.g. Asia/Manila or Nairobi"),
        )


class CountryField(forms.ChoiceField):
    """An optional country, checked against the codes without walking the options."""

    widget = CountrySelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("required", False)
        super().__init__(choices=country_choices, **kwargs)

    def valid_value(self, value) -> bool:
        return value in country_codes()


class TimeZoneField(forms.CharField):
    """An IANA zone, stored under its canonical name (Asia/Calcutta → Asia/Kolkata; a
    typed "kathmandu" → Asia/Kathmandu); anything else is a clear field error."""

    widget = ZoneSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {}  # no maxlength on a select

    def to_python(self, value):
        value = super().to_python(value)
        return clean_zone(value) if value not in self.empty_values else value


class LanguageField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Language"))
        kwargs.setdefault("choices", Language.choices)
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("“%(value)s” is not a language Baraza speaks (en, es, fr).")},
        )
        super().__init__(**kwargs)


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form gains (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)

    def signup(self, request, user):
        user.full_name = clean_line(self.cleaned_data["full_name"])
        user.save(update_fields=["full_name"])


class MemberSettingsForm(forms.ModelForm):
    language = LanguageField()
    time_zone = TimeZoneField()

    class Meta:
        model = Member
        # No organization: staff assign it (it decides whose webinars a partner admin runs).
        fields = ["full_name", "country", "language", "time_zone"]


class LanguageSwitchForm(forms.Form):
    language = LanguageField()
    next = forms.CharField(required=False, max_length=2000)


class TimeZoneSwitchForm(forms.Form):
    time_zone = TimeZoneField()
    next = forms.CharField(required=False, max_length=2000)
