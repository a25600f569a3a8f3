"""Creating a community and changing its settings and watched words."""

from functools import cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from communities import permissions
from communities.models import ChatRoom, Community, Membership, WatchedWord
from communities.services.audit import Action, audit_record
from communities.services.membership import membership_add
from communities.text import watched_word_problem
from core.clock import now
from core.fields import max_length, verbose_name
from core.languages import CONTENT_LANGUAGES
from core.markdown import render_markdown_translations
from core.slugs import free_slug, route_prefixes
from webinars.permissions import may_use_series

# Written per language (`rules_en`, `rules_es`, `rules_fr`); a plain `description` or
# `rules` is the text in the community's first language (English when it lists none).
TRANSLATED_FIELDS = ("description", "rules")
SETTINGS_FIELDS = (
    "name",
    "visibility",
    "join_policy",
    "languages",
    "series",
    "premoderate_posts",
    "auto_hide_flags",
    *TRANSLATED_FIELDS,
    *(f"{name}_{code}" for name in TRANSLATED_FIELDS for code in CONTENT_LANGUAGES),
)


def _check_series(actor, fields: dict, *, organization_id: int, current_id: int | None) -> None:
    """A community continues a series of its own organization's (or any, for staff)."""
    if "series" in fields and not may_use_series(
        actor, fields["series"], organization_ids=[organization_id], current_id=current_id
    ):
        raise ValidationError({"series": _("Choose a series of this community's organization.")})


@cache
def reserved_slugs() -> frozenset[str]:
    """The first segments of /communities/… routes (new, moderation, invitations, qa): a
    community with one of them as its address would never be reached."""
    from communities import urls

    return route_prefixes(urls.urlpatterns)


def reserved_slug_message() -> str:
    return _("This address is taken by a page of the site; choose another.")


def _own_language(languages) -> str:
    listed = [code for code in (languages or []) if code in CONTENT_LANGUAGES]
    return listed[0] if listed else "en"


def _in_languages(fields: dict, languages) -> dict:
    """Plain `description`/`rules` become the community's own language's field."""
    fields = dict(fields)
    for name in TRANSLATED_FIELDS:
        if name in fields:
            fields.setdefault(f"{name}_{_own_language(languages)}", fields.pop(name))
    return fields


def _render_texts(community: Community) -> None:
    render_markdown_translations(community, "description", "description_html")
    render_markdown_translations(community, "rules", "rules_html")


def community_create(*, creator, organization, slug: str = "", **fields) -> Community:
    """Platform staff, or a partner admin for their own organization. The creator owns it."""
    if not permissions.can_create_community(creator):
        raise PermissionDenied(_("Only partner admins and platform staff create communities."))
    if not creator.is_platform_staff and organization.pk != creator.organization_id:
        raise PermissionDenied(_("You can create communities for your own organization only."))
    slug = (slug or "").strip()
    if not slug:
        slug = free_slug(
            fields.get("name", ""),
            taken=lambda s: Community.objects.filter(slug=s).exists(),
            reserved=reserved_slugs(),
            max_length=max_length(Community, "slug"),
            fallback="community",
        )
    elif slug.lower() in reserved_slugs():
        raise ValidationError({"slug": reserved_slug_message()})
    topics = fields.pop("topics", None)
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown community fields: {sorted(unknown)}")
    _check_series(creator, fields, organization_id=organization.pk, current_id=None)
    fields = _in_languages(fields, fields.get("languages"))
    community = Community(organization=organization, slug=slug, created_at=now(), **fields)
    _render_texts(community)
    community.full_clean()
    try:
        with transaction.atomic():
            community.save()
            if topics is not None:
                community.topics.set(topics)
            ChatRoom.objects.create(community=community)
            membership_add(community=community, member=creator, role=Membership.Role.OWNER)
    except IntegrityError:
        raise ValidationError({"slug": _("This address is taken; choose another.")}) from None
    return community


def community_update(*, community: Community, actor, **fields) -> Community:
    permissions.require_manager(actor, community)
    topics = fields.pop("topics", None)
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown community fields: {sorted(unknown)}")
    # As stored: a bound ModelForm has already put the new choice on the instance.
    stored = Community.objects.filter(pk=community.pk).values_list("series_id", flat=True)
    _check_series(
        actor, fields, organization_id=community.organization_id, current_id=stored.first()
    )
    fields = _in_languages(fields, fields.get("languages", community.languages))
    changed = [name for name, value in fields.items() if getattr(community, name) != value]
    for name, value in fields.items():
        setattr(community, name, value)
    _render_texts(community)
    community.full_clean()
    with transaction.atomic():
        community.save()
        if topics is not None:
            community.topics.set(topics)
        if changed:
            audit_record(
                community=community,
                actor=actor,
                action=Action.SETTINGS,
                summary=", ".join(verbose_name(Community, n) for n in changed),
            )
    return community


def watched_word_add(*, community: Community, actor, word: str, action: str) -> WatchedWord:
    permissions.require_moderator(actor, community)
    word = " ".join(word.split())
    problem = watched_word_problem(word)
    if problem is None and len(word) > max_length(WatchedWord, "word"):
        problem = _("A watched word or phrase is at most 100 characters.")
    if problem is not None:
        raise ValidationError({"word": problem})
    if action not in WatchedWord.Action.values:
        raise ValidationError({"action": _("Choose what happens to posts that contain it.")})
    with transaction.atomic():
        existing = WatchedWord.objects.filter(community=community, word__iexact=word).first()
        if existing is not None:
            existing.action = action
            existing.save(update_fields=["action"])
            entry = existing
        else:
            entry = WatchedWord.objects.create(
                community=community, word=word, action=action, created_by=actor, created_at=now()
            )
        audit_record(
            community=community,
            actor=actor,
            action=Action.WATCHED_WORDS,
            summary=f"+ {word} ({entry.get_action_display()})",
        )
    return entry


def watched_word_remove(*, community: Community, actor, word_id: int) -> None:
    permissions.require_moderator(actor, community)
    with transaction.atomic():
        entry = WatchedWord.objects.filter(community=community, pk=word_id).first()
        if entry is None:
            return
        entry.delete()
        audit_record(
            community=community,
            actor=actor,
            action=Action.WATCHED_WORDS,
            summary=f"− {entry.word}",
        )
