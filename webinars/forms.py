import hashlib

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.languages import CONTENT_LANGUAGES
from core.zones import local_to_utc
from members.forms import CountryField, LanguageField, TimeZoneField, ZonePicker
from members.templatetags.zones import in_zone
from webinars.models import Registration, RegistrationQuestion, Session, Webinar
from webinars.planner import PlannerInputError, parse_audience
from webinars.regions import REGION_CHOICES
from webinars.selectors import audience_zones
from webinars.services.webinars import TRANSLATED_FIELDS, webinar_text_errors

REGISTRANT_FIELDS = ("session", "email", "full_name", "organization_name", "language", "time_zone")


def registrant_fields(cleaned_data: dict) -> dict:
    """What `registration_create` takes from a registration form (visitor's or organizer's)."""
    fields = {name: cleaned_data[name] for name in REGISTRANT_FIELDS}
    fields["country"] = cleaned_data.get("country") or ""
    return fields


class SessionChoiceField(forms.ChoiceField):
    """One of the open sessions the view already loaded: choosing one costs no query."""

    widget = forms.RadioSelect

    def set_sessions(self, sessions: list[Session]) -> None:
        self.by_value = {str(s.pk): s for s in sessions}
        # Each start as a <time> a first visit's browser rewrites in its own zone.
        self.choices = [
            (s.pk, format_html("{}{}", f"{s.title} — " if s.title else "", in_zone(s.starts_at)))
            for s in sessions
        ]

    def to_python(self, value) -> Session | None:
        if value in self.empty_values:
            return None
        try:
            return self.by_value[str(value)]
        except KeyError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )

    def validate(self, value) -> None:
        forms.Field.validate(self, value)  # required; to_python has checked the choice


class RegistrationForm(forms.Form):
    """Register by email; no account needed. `website` is a honeypot left empty by people."""

    session = SessionChoiceField(label=_("Session"))
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    organization_name = forms.CharField(label=_("Organization"), max_length=200, required=False)
    country = CountryField()
    language = LanguageField(label=_("Preferred language for emails"))
    time_zone = TimeZoneField(label=_("Your time zone"), widget=ZonePicker)
    consent = forms.BooleanField(
        label=_(
            "I agree that Baraza emails me about this webinar and shares my registration "
            "with its organizers."
        )
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    src = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args, webinar: Webinar, sessions: list[Session], **kwargs):
        super().__init__(*args, **kwargs)
        self.webinar = webinar
        self.fields["session"].set_sessions(sessions)
        if len(sessions) == 1:
            self.fields["session"].initial = sessions[0].pk
            self.fields["session"].widget = forms.HiddenInput()
        self.questions = list(webinar.questions.all())
        for question in self.questions:
            name = f"q_{question.pk}"
            if question.kind == RegistrationQuestion.Kind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=question.label,
                    required=question.required,
                    choices=[("", "—"), *[(c, c) for c in question.choices]],
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.label,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        # The organizer's questions are part of what a person registers with: asked
        # before they are asked to consent, not after.
        asked_last = ["consent", "website", "src"]
        self.order_fields([name for name in self.fields if name not in asked_last] + asked_last)
        self.fields["time_zone"].widget.suggested = audience_zones(webinar, sessions)

    def fragment_key(self) -> str:
        """Everything the unbound form's visible fields depend on, hashed: the page caches
        their HTML for visitors (a template fragment) under it, so a view renders no widget
        at all. The CSRF token and the hidden fields (`src` comes from the address) stay
        outside the fragment, so the number of fragments is bounded: webinars x languages
        x zones."""
        from django.utils import timezone
        from django.utils.translation import get_language

        from core.clock import now

        parts = (
            self.webinar.pk,
            get_language(),
            timezone.get_current_timezone().key,
            now().strftime("%Y%m%d%H"),  # the zones' offsets in their labels
            sorted((k, str(v)) for k, v in self.initial.items() if k != "src"),
            [(pk, str(label)) for pk, label in self.fields["session"].choices],
            [(q.pk, q.label, q.kind, q.choices, q.required) for q in self.questions],
            self.fields["time_zone"].widget.suggested,
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def answers(self) -> dict[str, str]:
        return {
            q.label: self.cleaned_data.get(f"q_{q.pk}", "")
            for q in self.questions
            if self.cleaned_data.get(f"q_{q.pk}")
        }


class SwitchSessionForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Move to session"), queryset=Session.objects.none())

    def __init__(self, *args, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = registration.webinar.sessions.filter(
            status=Session.Status.SCHEDULED
        ).exclude(pk=registration.session_id)
        # Each choice says when, in the zone the page shows the registration's own session.
        zone = registration.time_zone or timezone.get_current_timezone()
        self.fields["session"].label_from_instance = lambda session: session.label_in(zone)


TITLE_LABELS = {
    "en": _("Title in English"),
    "es": _("Title in Spanish"),
    "fr": _("Title in French"),
}
DESCRIPTION_LABELS = {
    "en": _("Description in English (Markdown)"),
    "es": _("Description in Spanish (Markdown)"),
    "fr": _("Description in French (Markdown)"),
}


class WebinarForm(forms.ModelForm):
    audience_text = forms.CharField(
        label=_("Target audience (country weights)"),
        required=False,
        help_text=_("For example IN=40, ID=20, PH=15, KE=15, BR=10"),
    )
    audience_regions = forms.MultipleChoiceField(
        label=_("Target regions"),
        choices=REGION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpretation_languages = forms.MultipleChoiceField(
        label=_("Interpretation languages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("en", _("English")),
            ("es", _("Spanish")),
            ("fr", _("French")),
            ("pt", _("Portuguese")),
            ("ar", _("Arabic")),
            ("ru", _("Russian")),
            ("zh", _("Chinese")),
        ],
    )
    reminder_text = forms.CharField(
        label=_("Reminders (minutes before the start)"),
        initial="1440, 60",
        required=False,
    )
    questions_text = forms.CharField(
        label=_("Registration questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line. Start with * when an answer is required; list choices after "
            "a | (e.g. “*Your role? | Policymaker | Researcher | Other”)."
        ),
    )

    class Meta:
        model = Webinar
        fields = [
            "language",
            *(f"title_{code}" for code in CONTENT_LANGUAGES),
            "slug",
            *(f"description_{code}" for code in CONTENT_LANGUAGES),
            "glossary_links",
            "organizations",
            "topics",
            "platform",
            "registration_opens_at",
            "registration_closes_at",
            "approval_required",
            "status",
            "series",
            "recording_url",
            "slides_url",
        ]
        widgets = {
            "registration_opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "registration_closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "organizations": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organizations, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations
        self.fields["series"].queryset = series
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "The page's address, /webinars/<address>/. Leave it empty to make one from the title."
        )
        self.fields["language"].help_text = _(
            "The title is needed in this language; the other languages are optional "
            "translations, shown to readers of those languages."
        )
        for code in CONTENT_LANGUAGES:
            title, description = self.fields[f"title_{code}"], self.fields[f"description_{code}"]
            title.label, title.empty_value = TITLE_LABELS[code], ""
            title.widget.attrs["lang"] = code
            description.label, description.empty_value = DESCRIPTION_LABELS[code], ""
            description.widget = forms.Textarea(attrs={"rows": 6, "lang": code})
        if self.instance.pk:
            self.fields["audience_text"].initial = ", ".join(
                f"{k}={v:g}" for k, v in (self.instance.audience or {}).items()
            )
            self.fields["audience_regions"].initial = self.instance.audience_regions
            self.fields["interpretation_languages"].initial = self.instance.interpretation_languages
            self.fields["reminder_text"].initial = ", ".join(
                str(o) for o in self.instance.reminder_offsets
            )
            self.fields["questions_text"].initial = "\n".join(
                ("*" if q.required else "") + " | ".join([q.label, *q.choices])
                for q in self.instance.questions.all()
            )

    def clean_slug(self):
        from webinars.services.webinars import reserved_slug_message, reserved_slugs

        slug = self.cleaned_data["slug"]
        if slug and slug != self.initial.get("slug") and slug.lower() in reserved_slugs():
            raise forms.ValidationError(reserved_slug_message())
        return slug

    def clean_audience_text(self) -> dict[str, float]:
        """The planner's reading of country weights (`parse_audience`); empty: none."""
        text = self.cleaned_data["audience_text"]
        if not text.strip():
            return {}
        try:
            return parse_audience(text)
        except PlannerInputError as error:
            raise forms.ValidationError(str(error), code="invalid")

    def clean(self):
        data = super().clean()
        language = data.get("language")
        if language in CONTENT_LANGUAGES:
            texts = {
                name: {code: data.get(f"{name}_{code}") for code in CONTENT_LANGUAGES}
                for name in TRANSLATED_FIELDS
            }
            for field, message in webinar_text_errors(texts=texts, language=language).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    def clean_reminder_text(self):
        text = self.cleaned_data["reminder_text"]
        try:
            offsets = sorted(
                {int(p) for p in text.replace(";", ",").split(",") if p.strip()}, reverse=True
            )
        except ValueError:
            raise forms.ValidationError(_("Write minutes as whole numbers, e.g. 1440, 60."))
        if any(o <= 0 or o > 60 * 24 * 14 for o in offsets):
            raise forms.ValidationError(_("Each reminder must be between 1 minute and 14 days."))
        return offsets

    def clean_questions_text(self):
        questions = []
        for line in self.cleaned_data["questions_text"].splitlines():
            line = line.strip()
            if not line:
                continue
            required = line.startswith("*")
            label, *choices = [part.strip() for part in line.lstrip("*").split("|")]
            choices = [c for c in choices if c]
            if not label or len(label) > 300:
                raise forms.ValidationError(
                    _("Each question needs a text of at most 300 characters.")
                )
            questions.append({"label": label, "choices": choices, "required": required})
        if len(questions) > 20:
            raise forms.ValidationError(_("At most 20 questions."))
        return questions

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["audience"] = data.pop("audience_text")
        data["reminder_offsets"] = data.pop("reminder_text")
        data["questions"] = data.pop("questions_text")
        return data


class SessionForm(forms.Form):
    """Organizers enter a local date and time in a chosen zone; stored as UTC."""

    title = forms.CharField(label=_("Label (e.g. Asia-Pacific)"), max_length=120, required=False)
    local_start = forms.DateTimeField(
        label=_("Start (local date and time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    host_zone = TimeZoneField(label=_("in the time zone"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=600, initial=90
    )
    capacity = forms.IntegerField(
        label=_("Capacity (empty: unlimited)"), min_value=1, required=False
    )
    join_url = forms.URLField(
        label=_("Platform join URL (never shown publicly)"), required=False, max_length=500
    )

    def clean(self):
        data = super().clean()
        local, zone = data.get("local_start"), data.get("host_zone")
        if local and zone:
            naive = local.replace(tzinfo=None)
            try:
                data["starts_at"] = local_to_utc(naive, zone)
            except forms.ValidationError as error:
                self.add_error("local_start", error)
        return data


class AddRegistrantForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    organization_name = forms.CharField(label=_("Organization"), max_length=200, required=False)
    country = CountryField()
    language = LanguageField(label=_("Language"))
    time_zone = TimeZoneField(label=_("Time zone"))

    def __init__(self, *args, webinar: Webinar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = webinar.sessions.filter(status=Session.Status.SCHEDULED)
        # Named by their start in the organizer's zone, the zone named.
        self.fields["session"].label_from_instance = lambda session: session.label


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000
    )


def listing_filters(request) -> dict[str, str]:
    """Topic, language and region filters of the webinar list, calendar and feeds."""
    region = request.GET.get("region", "")
    return {
        "topic": request.GET.get("topic", "")[:60],
        "language": request.GET.get("language", "")[:8],
        "region": region if region in dict(REGION_CHOICES) else "",
    }
