from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.categories import CATEGORIES, Channel

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class PreferencesForm(forms.Form):
    """The matrix: one choice of channel per category, plus pause and digest timing."""

    paused = forms.BooleanField(
        label=_("Pause all email (in-app notifications continue)"), required=False
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Digests arrive at (your time)"),
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
    )
    weekly_day = forms.TypedChoiceField(label=_("Weekly digest on"), coerce=int, choices=WEEKDAYS)

    def __init__(self, *args, channels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for code, category in CATEGORIES.items():
            if category.hidden:
                continue
            choices = [
                c for c in Channel.CHOICES if not (category.essential and c[0] == Channel.OFF)
            ]
            name = f"channel__{code}"
            self.fields[name] = forms.ChoiceField(
                label=category.label,
                choices=choices,
                initial=channels.get(code, category.default),
                widget=forms.RadioSelect,
            )
            self.rows.append(name)

    def channels(self) -> dict[str, str]:
        return {name.removeprefix("channel__"): self.cleaned_data[name] for name in self.rows}

    def matrix(self):
        """Rows for the table: (label, radios, errors)."""
        return [(self[name].label, list(self[name]), self[name].errors) for name in self.rows]
