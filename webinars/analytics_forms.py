"""The dashboards' filters: partner (platform staff only), series, topic and dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Organization
from webinars.analytics import DashboardChoices
from webinars.models import Series


class DashboardFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Partner"), queryset=Organization.objects.none(), required=False
    )
    series = forms.ModelChoiceField(
        label=gettext_lazy("Series"), queryset=Series.objects.none(), required=False
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("Sessions from (UTC day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, choices: DashboardChoices, platform: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        series = self.fields["series"]
        assert isinstance(series, forms.ModelChoiceField)
        series.queryset = Series.objects.filter(pk__in=[s.pk for s in choices["series"]])
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [("", _("All topics"))] + [(t.slug, t.name) for t in choices["topics"]]
        if platform:
            organization = self.fields["organization"]
            assert isinstance(organization, forms.ModelChoiceField)
            organization.queryset = Organization.objects.filter(webinars__isnull=False).distinct()
        else:
            del self.fields["organization"]

    def scope_filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        filters: dict[str, Any] = {
            "series_id": data["series"].pk if data.get("series") else None,
            "topic": data.get("topic") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
        if data.get("organization"):
            filters["organization_id"] = data["organization"].pk
        return filters
