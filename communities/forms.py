from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communities.attachments import ALLOWED, check_upload
from communities.models import ChatRoom, Community, Flag, Membership, WatchedWord
from communities.services.review import USER_REASONS
from communities.text import MAX_CHAT, MAX_POST, MAX_TITLE, watched_word_problem
from core.languages import CONTENT_LANGUAGES
from members.models import Language, Organization
from webinars.models import Series, Topic
from webinars.permissions import usable_series

ACCEPT = ",".join(f".{extension}" for extension in ALLOWED)

TEXT_LABELS = {
    "description": {
        "en": _("About the community, in English (Markdown)"),
        "es": _("About the community, in Spanish (Markdown)"),
        "fr": _("About the community, in French (Markdown)"),
    },
    "rules": {
        "en": _("Rules, in English (Markdown)"),
        "es": _("Rules, in Spanish (Markdown)"),
        "fr": _("Rules, in French (Markdown)"),
    },
}


class CommunityForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    series = forms.ModelChoiceField(
        label=_("Webinar series"), queryset=Series.objects.all(), required=False
    )

    class Meta:
        model = Community
        fields = [
            "name",
            "languages",
            *(f"description_{code}" for code in CONTENT_LANGUAGES),
            "visibility",
            "join_policy",
            "topics",
            *(f"rules_{code}" for code in CONTENT_LANGUAGES),
            "series",
            "premoderate_posts",
            "auto_hide_flags",
        ]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].help_text = _(
            "The languages members talk in here. Readers of the about text and rules get "
            "their own language where it is written, else another one, named."
        )
        for name, labels in TEXT_LABELS.items():
            for code, label in labels.items():
                field = self.fields[f"{name}_{code}"]
                field.label, field.empty_value = label, ""
                field.widget = forms.Textarea(attrs={"rows": 5, "lang": code})
        owner = [self.instance.organization_id] if self.instance.organization_id else []
        self.fields["series"].queryset = usable_series(
            actor, organization_ids=owner, current_id=self.instance.series_id
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("visibility") == Community.Visibility.HIDDEN
            and data.get("join_policy") != Community.JoinPolicy.INVITE
        ):
            self.add_error("join_policy", _("A hidden community is joined by invitation only."))
        return data


class CommunityCreateForm(CommunityForm):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        required=False,
        help_text=_("/communities/<address>/. Leave it empty to make one from the name."),
    )
    organization = forms.ModelChoiceField(
        label=_("Owning organization"), queryset=Organization.objects.all()
    )

    class Meta(CommunityForm.Meta):
        fields = ["slug", "organization", *CommunityForm.Meta.fields]

    def clean_slug(self):
        from communities.services.spaces import reserved_slug_message, reserved_slugs

        slug = self.cleaned_data["slug"]
        if slug.lower() in reserved_slugs():
            raise ValidationError(reserved_slug_message())
        return slug


class SlowModeForm(forms.ModelForm):
    class Meta:
        model = ChatRoom
        fields = ["slow_mode_seconds"]
        widgets = {"slow_mode_seconds": forms.NumberInput(attrs={"min": 0, "max": 3600})}


class WatchedWordForm(forms.Form):
    word = forms.CharField(
        label=_("Word or phrase"),
        max_length=100,
        help_text=_("End a word with * for any ending (educat* finds educator, education)."),
    )
    action = forms.ChoiceField(label=_("Then"), choices=WatchedWord.Action.choices)

    def clean_word(self):
        word = " ".join(self.cleaned_data["word"].split())
        problem = watched_word_problem(word)
        if problem is not None:
            raise ValidationError(problem)
        return word


class AttachmentFields(forms.Form):
    """Shared materials: one file, and one link, per post from the page."""

    file = forms.FileField(
        label=_("Attach a file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, Office, image or text files."),
    )
    link_url = forms.URLField(label=_("Share a link"), required=False, max_length=500)
    link_name = forms.CharField(label=_("Link title"), required=False, max_length=200)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        return check_upload(upload)

    def clean_link_url(self):
        url = self.cleaned_data.get("link_url", "")
        if url and not url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Links must start with http:// or https://."))
        return url

    def materials(self):
        from communities.services.posts import LinkInput

        files = [self.cleaned_data["file"]] if self.cleaned_data.get("file") else []
        links = []
        if self.cleaned_data.get("link_url"):
            links.append(
                LinkInput(url=self.cleaned_data["link_url"], name=self.cleaned_data["link_name"])
            )
        return files, links


def no_glossary_links_field() -> forms.BooleanField:
    """The author's opt-out: glossary terms in the post are linked unless ticked."""
    return forms.BooleanField(
        label=_("Do not link glossary terms in this post"),
        required=False,
        help_text=_("Terms from the library's glossary are linked to their definitions."),
    )


class ThreadForm(AttachmentFields):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Markdown works: **bold**, *italic*, [links](https://…), lists. "
            "Mention someone with @their-handle."
        ),
    )
    no_glossary_links = no_glossary_links_field()
    field_order = ["title", "body", "no_glossary_links", "file", "link_url", "link_name"]


class ReplyForm(AttachmentFields):
    body = forms.CharField(
        label=_("Your reply"), max_length=MAX_POST, widget=forms.Textarea(attrs={"rows": 5})
    )
    no_glossary_links = no_glossary_links_field()
    field_order = ["body", "no_glossary_links", "file", "link_url", "link_name"]


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE, required=False)
    body = forms.CharField(
        label=_("Message"), max_length=MAX_POST, widget=forms.Textarea(attrs={"rows": 8})
    )
    no_glossary_links = no_glossary_links_field()


class ChatForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=MAX_CHAT, widget=forms.Textarea(attrs={"rows": 2})
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=[(value, label) for value, label in Flag.Reason.choices if value in USER_REASONS],
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label=_("Details (needed for “Other”)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A word to the moderators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        help_text=_(
            "One per line, or separated by commas. People without an account can "
            "sign up through the link."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_emails(self):
        from django.core.validators import validate_email

        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").split()
        emails = []
        for address in raw:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("“%(address)s” is not an email address.") % {"address": address}
                ) from None
            if address.lower() not in {e.lower() for e in emails}:
                emails.append(address)
        if len(emails) > 50:
            raise ValidationError(_("At most 50 addresses at a time."))
        return emails


DURATIONS = [
    ("1", _("1 hour")),
    ("24", _("1 day")),
    ("168", _("1 week")),
    ("720", _("30 days")),
    ("", _("Until lifted")),
]


class DisciplineForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("warn", _("Warn")),
            ("mute", _("Mute (read-only)")),
            ("unmute", _("Unmute")),
            ("ban", _("Ban")),
            ("remove", _("Remove")),
            ("moderator", _("Make moderator")),
            ("member", _("Make member")),
            ("owner", _("Make owner")),
        ]
    )
    member = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)
    hours = forms.ChoiceField(label=_("For"), choices=DURATIONS, required=False)

    ROLE_ACTIONS = {
        "moderator": Membership.Role.MODERATOR,
        "member": Membership.Role.MEMBER,
        "owner": Membership.Role.OWNER,
    }


class ReviewActionForm(forms.Form):
    action = forms.CharField(max_length=20)
    reason = forms.CharField(required=False, max_length=1000)
