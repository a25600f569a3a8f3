"""The moderator dashboard, its one-click actions (JSON for fetch, a redirect without JS)
and the audit log with its CSV export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.forms import DisciplineForm, ReviewActionForm
from communities.models import ModerationAction, ReviewItem
from communities.selectors import audit
from communities.selectors import dashboard as selectors
from communities.services import review
from communities.views.common import done, failed
from core.csv_export import csv_response
from core.zones import format_instant


def _moderator_view(request):
    communities = selectors.moderated_communities(viewer=request.user)
    if not communities:
        raise PermissionDenied(_("The dashboard is for moderators."))
    return communities


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def dashboard(request):
    communities = _moderator_view(request)
    counts = selectors.queue_counts(viewer=request.user, communities=communities)
    community_id = _int(request.GET.get("community"))
    context = {
        "communities": communities,
        "counts": counts,
        "queue": selectors.review_queue(communities=communities, community_id=community_id),
        "community_id": community_id,
        "durations": DisciplineForm.base_fields["hours"].choices,
    }
    if request.GET.get("fragment") == "queue":
        return render(request, "communities/moderation/_queue.html", context)
    context["health"] = selectors.community_health(
        communities=communities, pending=counts["communities"]
    )
    context["recent"] = audit.audit_log(
        viewer=request.user, communities=communities, page_number=1
    ).object_list[:8]
    return render(request, "communities/moderation/dashboard.html", context)


@require_POST
@login_required
def review_act(request, item_id: int):
    item = get_object_or_404(
        ReviewItem.objects.select_related(
            "community", "post__thread", "post__community", "message__room", "join_request"
        ),
        pk=item_id,
    )
    url = reverse("communities:dashboard")
    form = ReviewActionForm(request.POST)
    if not form.is_valid():
        return failed(request, url, ValidationError(_("Choose an action.")))
    try:
        item = review.review_item_act(
            item=item,
            actor=request.user,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"].strip(),
        )
    except ValidationError as error:
        return failed(request, url, error)
    counts = selectors.queue_counts(viewer=request.user)
    return done(
        request,
        url,
        _("Done: %(action)s.") % {"action": item.resolution or form.cleaned_data["action"]},
        {"id": item.pk, "resolution": item.resolution, "counts": counts},
    )


def _log_filters(request) -> dict:
    action = request.GET.get("action", "")
    return {
        "community_id": _int(request.GET.get("community")),
        "actor_id": _int(request.GET.get("moderator")),
        "member_id": _int(request.GET.get("member")),
        "action": action if action in ModerationAction.Action.values else "",
    }


@login_required
def audit_log(request):
    communities = _moderator_view(request)
    filters = _log_filters(request)
    page = audit.audit_log(
        viewer=request.user,
        communities=communities,
        page_number=request.GET.get("page"),
        **filters,
    )
    actors, targets = audit.log_people(viewer=request.user, communities=communities)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "communities/moderation/log.html",
        {
            "page": page,
            "communities": communities,
            "actors": actors,
            "targets": targets,
            "actions": ModerationAction.Action.choices,
            "filters": filters,
            "query": query.urlencode(),
        },
    )


@login_required
def audit_log_csv(request):
    communities = _moderator_view(request)
    rows = audit.audit_log(
        viewer=request.user, communities=communities, paginate=False, **_log_filters(request)
    )
    zone = request.user.time_zone

    def lines():
        for entry in rows.iterator(chunk_size=500):
            yield [
                format_instant(entry.created_at, zone),
                entry.community.name if entry.community else "",
                entry.actor.get_full_name() if entry.actor else _("(system)"),
                entry.get_action_display(),
                entry.target_member.get_full_name() if entry.target_member else "",
                entry.summary,
                entry.reason,
                format_instant(entry.until, zone) if entry.until else "",
            ]

    header = [
        _("When"),
        _("Community"),
        _("Moderator"),
        _("Action"),
        _("Member"),
        _("About"),
        _("Reason"),
        _("Until"),
    ]
    return csv_response("moderation-log.csv", [str(h) for h in header], lines())


@login_required
def members_csv(request, slug: str):
    from communities.models import Membership
    from communities.selectors.spaces import viewer_in

    seat = viewer_in(slug=slug, viewer=request.user)
    if not seat.can_moderate:
        raise PermissionDenied(_("You do not moderate this community."))
    zone = request.user.time_zone
    rows = (
        Membership.objects.filter(community=seat.community)
        .select_related("member", "member__organization")
        .order_by("joined_at", "id")
    )

    def lines():
        for m in rows.iterator(chunk_size=500):
            yield [
                m.member.get_full_name(),
                m.handle,
                m.member.organization.name if m.member.organization else "",
                m.member.country.code if m.member.country else "",
                m.get_role_display(),
                format_instant(m.joined_at, zone),
                format_instant(m.last_active_at, zone) if m.last_active_at else "",
            ]

    header = [_("Name"), _("Handle"), _("Organization"), _("Country"), _("Role"), _("Joined")]
    header.append(_("Last active"))
    return csv_response(f"{slug}-members.csv", [str(h) for h in header], lines())
