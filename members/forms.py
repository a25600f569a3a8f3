from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Language, Member
from members.zones import validate_zone, zone_names


def zone_choices():
    return [(name, name.replace("_", " ")) for name in zone_names()]


class TimeZoneField(forms.CharField):
    """A select of IANA zones that answers a bad value with a clear message."""

    widget = forms.Select

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
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class MemberSettingsForm(forms.ModelForm):
    language = LanguageField()
    time_zone = TimeZoneField()

    class Meta:
        model = Member
        fields = ["full_name", "organization", "country", "language", "time_zone"]


class LanguageSwitchForm(forms.Form):
    language = LanguageField()
    next = forms.CharField(required=False, max_length=2000)


class TimeZoneSwitchForm(forms.Form):
    time_zone = TimeZoneField()
    next = forms.CharField(required=False, max_length=2000)
