"""Surveys: questions in sections, who is asked, and what they answered.

Texts people write (a survey's title, a question, an option) are JSON objects per
language, `{"en": "...", "fr": "..."}`, exactly as the import/export format carries
them; a reader gets their language or the fallback order's first (core.languages.pick).

One response per person is the database's rule, not a check in Python: every response
carries a `respondent_key` (a hash, with the survey's secret salt, of the member, the
invitation token or the public link's browser cookie) unique per survey. In anonymous
surveys that key is all that ties a response to anyone; the salt is wiped when the survey
closes (changing answers is over then), after which no response can be traced back.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.zones import DEFAULT_ZONE, validate_zone
from members.models import Language


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_salt() -> str:
    return secrets.token_hex(16)


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Audience(models.TextChoices):
        NONE = "", _("Not sent to a group")
        COMMUNITY = "community", _("A community's members")
        REGISTRANTS = "registrants", _("A webinar's registrants")
        ATTENDEES = "attendees", _("A webinar's attendees")
        NO_SHOWS = "no_shows", _("A webinar's no-shows")
        EVERYONE = "everyone", _("Every member")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="surveys_owned"
    )
    title = models.JSONField(_("title"), default=dict)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    zone = models.CharField(
        _("time zone of the opening and closing times"),
        max_length=64,
        default=DEFAULT_ZONE,
        validators=[validate_zone],
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    public_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    public_members_only = models.BooleanField(
        _("public link for signed-in members only"), default=False
    )
    results_published = models.BooleanField(_("results published"), default=False)
    audience = models.CharField(
        _("audience"), max_length=12, choices=Audience.choices, default=Audience.NONE, blank=True
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    webinar = models.ForeignKey(
        "webinars.Webinar", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A webinar's feedback survey: its follow-up email carries each attendee's link.
    feedback_for = models.OneToOneField(
        "webinars.Webinar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_survey",
    )
    respondent_salt = models.CharField(max_length=64, default=new_salt, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    close_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [models.Index(fields=["status", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title.get("en") or next(iter(self.title.values()), self.slug)


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.JSONField(_("title"), default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title.get("en", "") or f"section {self.pk}"


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        SCALE = "scale", _("Scale")
        MATRIX = "matrix", _("Matrix (rows × one scale)")
        DATE = "date", _("Date")
        COUNTRY = "country", _("Country")

    CHOICE_TYPES = frozenset({Type.SINGLE, Type.MULTIPLE, Type.MATRIX})
    NUMERIC_TYPES = frozenset({Type.NUMBER, Type.SCALE})
    FREE_TEXT_TYPES = frozenset({Type.TEXT, Type.LONG_TEXT})

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=60)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    randomize = models.BooleanField(_("randomise the order of options"), default=False)
    allow_other = models.BooleanField(_("offer “other, please specify”"), default=False)
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    min_label = models.JSONField(default=dict, blank=True)
    max_label = models.JSONField(default=dict, blank=True)
    rows = models.JSONField(default=list, blank=True)  # matrix: [{"key", "text": {...}}]
    show_if = models.JSONField(default=dict, blank=True)  # {"question": key, "equals": key}
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="question_key_once_per_survey")
        ]

    def __str__(self) -> str:
        return self.key


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(_("key"), max_length=60)
    text = models.JSONField(_("text"), default=dict)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_key_once_per_question")
        ]

    def __str__(self) -> str:
        return self.key


class Invitation(models.Model):
    """One person asked: a member, or an address without an account (a token link)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    email = models.EmailField(_("email"))
    language = models.CharField(max_length=8, choices=Language.choices, default="en")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    source = models.CharField(max_length=20, blank=True)  # audience, list, feedback
    responded = models.BooleanField(default=False)  # no time: anonymous surveys stay so
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "survey", Lower("email"), name="invitation_once_per_email_per_survey"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.survey_id}"


class Response(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Saved, not submitted")
        SUBMITTED = "submitted", _("Submitted")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent_key = models.CharField(max_length=64)
    # Named surveys only: anonymous ones keep no link to a member or an invitation.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    language = models.CharField(max_length=8, default="en")
    # Who answered, as breakdowns group them (never finer than a country).
    country = CountryField(blank=True)
    region = models.CharField(max_length=40, blank=True)
    organization_kind = models.CharField(max_length=32, blank=True)
    # Anonymous surveys store these to the day (00:00 UTC).
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent_key"], name="response_once_per_respondent"
            ),
            models.UniqueConstraint(
                fields=["survey", "member"],
                condition=Q(member__isnull=False),
                name="response_once_per_member",
            ),
        ]
        indexes = [models.Index(fields=["survey", "status"])]

    def __str__(self) -> str:
        return f"response {self.pk} to {self.survey_id}"


class Answer(models.Model):
    """One value: a chosen option (a matrix row's choice has its `row`), a number, a date
    or a text. A multiple choice is one row per option ticked."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(
        Option, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    row = models.CharField(max_length=60, blank=True)
    other = models.BooleanField(default=False)  # "other, please specify": its text
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    hidden = models.BooleanField(default=False)  # an abusive text hidden from results

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["question", "option"]),
            models.Index(fields=["response", "question"]),
        ]

    def __str__(self) -> str:
        return f"answer to {self.question_id}"
