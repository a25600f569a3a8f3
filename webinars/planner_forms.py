"""The planner's input: a GET form for organizers (a webinar's registrants can be the
audience, through `webinars.selectors.managed_registrant_audience`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.clock import now
from webinars.planner import (
    DEFAULT_PREFERRED,
    DEFAULT_WINDOW,
    MAX_DAYS,
    PlannerInputError,
    audience_from_regions,
    date_range,
    merge_audiences,
    parse_audience,
    parse_panelist,
    parse_window,
)
from webinars.regions import REGION_CHOICES
from webinars.selectors import managed_registrant_audience


class PlannerForm(forms.Form):
    audience = forms.CharField(
        label=_("Audience (country weights)"),
        required=False,
        help_text=_("Two-letter country codes with weights, e.g. IN=40, KE=15, BR=10."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        required=False,
        choices=REGION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each region counts as 100, shared equally by its countries."),
    )
    webinar = forms.SlugField(
        label=_("Webinar (address)"),
        required=False,
        help_text=_("The webinar this session is for: the chosen time links to its new session."),
    )
    use_registrants = forms.BooleanField(
        label=_("Use this webinar's registrants as the audience"), required=False
    )
    date = forms.DateField(
        label=_("Date (UTC day)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=MAX_DAYS, initial=1)
    duration = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=24 * 60, initial=90
    )
    window = forms.CharField(
        label=_("Acceptable local hours"),
        initial=str(DEFAULT_WINDOW),
        help_text=_("Like 08:00-21:00."),
    )
    preferred = forms.CharField(
        label=_("Preferred local hours"),
        initial=str(DEFAULT_PREFERRED),
        help_text=_("Like 09:00-17:00, inside the acceptable hours."),
    )
    step = forms.TypedChoiceField(
        label=_("Step (minutes)"), choices=[(15, "15"), (30, "30")], coerce=int, initial=30
    )
    panelists = forms.CharField(
        label=_("Panelists' time zones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, with their own hours if they differ: Asia/Manila=07:00-22:00. "
            "Every proposed time fits all panelists."
        ),
    )

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["date"].initial = now().date()

    def _parsed(self, name: str, parse):
        try:
            return parse(self.cleaned_data.get(name) or "")
        except PlannerInputError as error:
            raise forms.ValidationError(str(error), code="invalid")

    def clean_window(self):
        return self._parsed("window", parse_window)

    def clean_preferred(self):
        return self._parsed("preferred", lambda text: parse_window(text, "preferred"))

    def clean(self):
        data = super().clean()
        parts = []
        if data.get("regions"):
            parts.append(audience_from_regions(data["regions"]))
        if data.get("use_registrants"):
            parts.append(self._registrants(data.get("webinar")))
        if data.get("audience"):
            try:
                parts.append(parse_audience(data["audience"]))
            except PlannerInputError as error:
                self.add_error("audience", str(error))
        if not parts and not self.errors:
            self.add_error("audience", _("Give countries, choose regions, or use registrants."))
        data["audience_weights"] = merge_audiences(*parts)
        self._clean_panelists(data)
        window, preferred = data.get("window"), data.get("preferred")
        if (
            window
            and preferred
            and not (window.start <= preferred.start and preferred.end <= window.end)
        ):
            self.add_error(
                "preferred", _("The preferred hours must lie inside the acceptable ones.")
            )
        return data

    def _registrants(self, slug: str | None) -> dict[str, float]:
        audience = None
        if slug and self.member is not None:
            audience = managed_registrant_audience(viewer=self.member, slug=slug)
        if audience is None:
            self.add_error("webinar", _("No webinar you organize has this address."))
            return {}
        if not audience:
            self.add_error("use_registrants", _("No registrant of this webinar gave a country."))
        return audience

    def _clean_panelists(self, data) -> None:
        panelists = []
        for line in (data.get("panelists") or "").splitlines():
            if line.strip():
                try:
                    panelists.append(parse_panelist(line, data.get("window") or DEFAULT_WINDOW))
                except PlannerInputError as error:
                    self.add_error("panelists", str(error))
        data["panelist_list"] = panelists

    def plan_arguments(self) -> dict:
        """Keyword arguments for `webinars.planner.plan`."""
        data = self.cleaned_data
        return {
            "audience": data["audience_weights"],
            "days": date_range(data["date"], data["days"]),
            "duration_minutes": data["duration"],
            "window": data["window"],
            "preferred": data["preferred"],
            "step_minutes": data["step"],
            "panelists": data["panelist_list"],
        }
