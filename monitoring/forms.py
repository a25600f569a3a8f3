from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core.clock import now

DEFAULT_DAYS = 30
LONGEST_DAYS = 366


def default_period() -> tuple[date, date]:
    end = now().date() - timedelta(days=1)  # the last day rolled up
    return end - timedelta(days=DEFAULT_DAYS - 1), end


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From (UTC day)"), required=False)
    end = forms.DateField(label=_("To (UTC day)"), required=False)
    organization = forms.SlugField(label=_("Organization (slug)"), required=False)

    def clean(self):
        data = super().clean()
        default_start, default_end = default_period()
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        if (end - start).days >= LONGEST_DAYS:
            raise forms.ValidationError(_("Choose a period of a year at most."))
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[date, date]:
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_period()


class ExportForm(PeriodForm):
    dataset = forms.ChoiceField(label=_("What"), choices=[])

    def __init__(self, *args, **kwargs):
        from monitoring.exports import DATASETS

        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [(key, d.label) for key, d in DATASETS.items()]
        self.order_fields(["dataset", "start", "end", "organization"])

    def clean_organization(self):
        from members.models import Organization

        slug = self.cleaned_data.get("organization")
        if not slug:
            return None
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise forms.ValidationError(_("No organization has this slug."))
        return organization


class AccountDeleteForm(forms.Form):
    POSTS = [
        ("keep", _("Keep my public posts, shown as written by a former member")),
        ("remove", _("Remove my posts and messages")),
    ]
    posts = forms.ChoiceField(label=_("Your posts"), choices=POSTS, widget=forms.RadioSelect)
    email = forms.EmailField(label=_("Type your email address to confirm"))

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.strip().lower() != self.member.email.lower():
            raise forms.ValidationError(_("This is not the email address of your account."))
        return email
