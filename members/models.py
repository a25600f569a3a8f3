import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.clock import now as clock_now
from core.zones import DEFAULT_ZONE, validate_zone


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    FRENCH = "fr", _("French")


class Role(models.TextChoices):
    STAFF = "staff", _("Platform staff")
    PARTNER_ADMIN = "partner_admin", _("Partner admin")
    MEMBER = "member", _("Member")


class Organization(models.Model):
    """A partner institution or stakeholder."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        UN_AGENCY = "un_agency", _("UN agency")
        DEVELOPMENT_PARTNER = "development_partner", _("Development partner")
        NGO = "ngo", _("NGO")
        ACADEMIA = "academia", _("Academia")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = CountryField(_("country"), blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


def new_public_id() -> str:
    """A member's address in profile URLs: 96 random bits, not a countable id."""
    return secrets.token_urlsafe(12)


class MemberManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        member = self.model(email=self.normalize_email(email), **fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.STAFF)
        return self._create(email, password, **fields)


class Member(AbstractBaseUser, PermissionsMixin):
    """A person: email is the login (unique whatever its case)."""

    email = models.EmailField(_("email address"), max_length=254)
    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    country = CountryField(_("country"), blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_ZONE, validators=[validate_zone]
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Can log into the Django admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(language__in=[c.value for c in Language]),
                name="member_language_known",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email  # staff pages (the admin) only

    def get_full_name(self) -> str:
        """The name other people see: never the email address, which is private."""
        return self.full_name or gettext("Baraza member")

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split()[0]

    @property
    def is_platform_staff(self) -> bool:
        return self.role == Role.STAFF or self.is_superuser

    @property
    def is_partner_admin(self) -> bool:
        return self.role == Role.PARTNER_ADMIN


class OrganizationFollow(models.Model):
    """A member following an organization: its published events and webinars join the
    member's personal calendar feed. Once per member and organization."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="organization_follows",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(_("followed since"), default=clock_now)

    class Meta:
        verbose_name = _("organization followed")
        verbose_name_plural = _("organizations followed")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "organization"], name="organization_followed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} follows {self.organization_id}"
