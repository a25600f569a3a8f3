from functools import lru_cache

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.markdown import clean_line
from core.zones import validate_zone, zone_names
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


class SharedChoicesSelect(forms.Select):
    """A select of long, fixed options (600 zones, 250 countries) that every copy of a
    form shares: Django's select re-normalises its options on each copy, which cost a
    registration form about a millisecond."""

    def __deepcopy__(self, memo):
        return forms.Widget.__deepcopy__(self, memo)  # options shared, attrs copied


class CountryField(forms.ChoiceField):
    """An optional country, checked against the codes without walking the options."""

    widget = SharedChoicesSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("required", False)
        super().__init__(choices=country_choices, **kwargs)

    def valid_value(self, value) -> bool:
        return value in country_codes()


class TimeZoneField(forms.CharField):
    """A select of IANA zones that answers a bad value with a clear message."""

    widget = SharedChoicesSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault("max_length", 64)
        super().__init__(validators=[validate_zone], **kwargs)
        self.widget.choices = zone_choices()


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
