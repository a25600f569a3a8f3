"""Joining, leaving, requests, invitations (also for people without an account), roles,
bans that keep people out, and muting a community's notifications."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from communities.models import Ban, Community, JoinRequest, Membership, ReviewItem
from communities.services import discipline, membership
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_anyone_joins_an_open_public_community_once(community, outsider):
    first = membership.community_join(community=community, member=outsider)
    again = membership.community_join(community=community, member=outsider)
    assert first.pk == again.pk
    assert first.role == Membership.Role.MEMBER
    assert first.handle == "olivia-smith"


def test_handles_are_unique_within_a_community(community, member_factory):
    twin = member_factory(full_name="Ama Mensah")
    other = member_factory(full_name="Ama Mensah")
    one = membership.community_join(community=community, member=twin)
    two = membership.community_join(community=community, member=other)
    assert one.handle == "ama-mensah"
    assert two.handle == f"ama-mensah-{other.pk}"


def test_request_and_approve_tells_moderators_and_then_the_member(
    community_factory, outsider, partner, deliver
):
    space = community_factory(join_policy="request")
    with deliver():
        request = membership.join_request_create(
            community=space, member=outsider, message="I run a cash programme in Dakar."
        )
    assert JoinRequest.objects.get().status == "pending"
    item = ReviewItem.objects.get(kind="join_request")
    assert Notification.objects.filter(recipient=partner, kind="communities.join_request").exists()
    # asking twice keeps one request
    assert membership.join_request_create(community=space, member=outsider).pk == request.pk
    with pytest.raises(ValidationError):
        membership.community_join(community=space, member=outsider)

    membership.join_request_decide(join_request=request, actor=partner, approve=True)
    assert Membership.objects.filter(community=space, member=outsider).exists()
    item.refresh_from_db()
    assert (item.status, item.resolution) == ("resolved", "approve")
    welcome = Notification.objects.get(recipient=outsider, kind="moderation.outcome")
    assert space.name in welcome.title


def test_a_denied_request_says_why(community_factory, outsider, partner):
    space = community_factory(join_policy="request")
    request = membership.join_request_create(community=space, member=outsider)
    membership.join_request_decide(
        join_request=request, actor=partner, approve=False, reason="Practitioners only."
    )
    note = Notification.objects.get(recipient=outsider)
    assert note.body == "Practitioners only."
    assert not Membership.objects.filter(community=space, member=outsider).exists()


def test_invitation_reaches_someone_without_an_account_who_joins_after_signing_up(
    community_factory, partner, member_factory, deliver, client
):
    hidden = community_factory(visibility="hidden", join_policy="invite")
    with deliver():
        invitation = membership.invitation_create(
            community=hidden, email="newcomer@example.org", actor=partner, message="Welcome!"
        )
    (email,) = mail.outbox
    assert email.to == ["newcomer@example.org"]
    link = f"/communities/invitations/{invitation.token}/"
    assert link in email.body and hidden.name in email.subject
    # the page works for someone logged out, and points to sign-up
    page = client.get(link)
    assert page.status_code == 200 and b"/accounts/signup/?next=" in page.content
    # after signing up, they accept
    newcomer = member_factory(email="newcomer@example.org")
    client.force_login(newcomer)
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.filter(community=hidden, member=newcomer).exists()
    # single use
    intruder = member_factory()
    with pytest.raises(ValidationError):
        membership.invitation_accept(token=invitation.token, member=intruder)


def test_hidden_and_invite_only_communities_cannot_be_joined_directly(community_factory, outsider):
    hidden = community_factory(visibility="hidden", join_policy="invite")
    with pytest.raises(ValidationError):
        membership.community_join(community=hidden, member=outsider)
    with pytest.raises(ValidationError):
        membership.join_request_create(community=hidden, member=outsider)


def test_a_banned_person_cannot_rejoin_until_the_ban_ends(community, ama, moderator, frozen):
    from core import clock

    discipline.member_ban(
        community=community,
        member_id=ama.pk,
        actor=moderator,
        reason="Repeated spam",
        duration=timedelta(days=7),
    )
    assert not Membership.objects.filter(community=community, member=ama).exists()
    with pytest.raises(ValidationError):
        membership.community_join(community=community, member=ama)
    with clock.travel(frozen + timedelta(days=8)):
        assert membership.community_join(community=community, member=ama)
    outcome = Notification.objects.filter(recipient=ama, kind="moderation.outcome").first()
    assert "banned" in outcome.title and outcome.body == "Repeated spam"
    assert Ban.objects.get().until == frozen + timedelta(days=7)


def test_moderators_cannot_act_on_owners_and_need_a_reason_to_ban(
    community, moderator, partner, ama
):
    with pytest.raises(PermissionDenied):
        discipline.member_ban(
            community=community, member_id=partner.pk, actor=moderator, reason="x"
        )
    with pytest.raises(ValidationError):
        discipline.member_ban(community=community, member_id=ama.pk, actor=moderator, reason=" ")


def test_mute_makes_a_member_read_only_for_a_while(community, ama, moderator, frozen):
    from communities.services.posts import thread_create
    from core import clock

    discipline.member_mute(
        community=community,
        member_id=ama.pk,
        actor=moderator,
        reason="Cool down",
        duration=timedelta(hours=2),
    )
    with pytest.raises(ValidationError):
        thread_create(community=community, author=ama, title="Hi", body="Hello")
    with clock.travel(frozen + timedelta(hours=3)):
        assert thread_create(community=community, author=ama, title="Hi", body="Hello")


def test_the_last_owner_cannot_leave_and_roles_change_only_by_owners(
    community, partner, moderator, ama
):
    with pytest.raises(ValidationError):
        membership.community_leave(community=community, member=partner)
    with pytest.raises(PermissionDenied):
        membership.member_set_role(
            community=community, member_id=ama.pk, role="moderator", actor=moderator
        )
    membership.member_set_role(
        community=community, member_id=ama.pk, role="moderator", actor=partner
    )
    assert Membership.objects.get(community=community, member=ama).role == "moderator"


def test_muting_a_community_silences_its_notifications(community, ama, kofi, deliver):
    from communities.services.posts import reply_create, thread_create

    membership.community_mute_notifications(community=community, member=ama, muted=True)
    thread = thread_create(community=community, author=ama, title="Question", body="Anyone?")
    with deliver():
        reply_create(thread=thread, author=kofi, body="Yes, @ama-mensah!")
    assert not Notification.objects.filter(recipient=ama).exists()
    membership.community_mute_notifications(community=community, member=ama, muted=False)
    with deliver():
        reply_create(thread=thread, author=kofi, body="Still there?")
    assert Notification.objects.filter(recipient=ama, kind="communities.reply").exists()


def test_join_views_without_javascript(client, community_factory, outsider):
    space = community_factory(join_policy="request", visibility="members")
    client.force_login(outsider)
    page = client.get(f"/communities/{space.slug}/")
    assert b"Ask to join" in page.content
    response = client.post(f"/communities/{space.slug}/join/", {"message": "Hello"})
    assert response.status_code == 302
    assert JoinRequest.objects.get(community=space).message == "Hello"
    assert (
        b"Your request to join is with the moderators"
        in client.get(f"/communities/{space.slug}/").content
    )
    assert Community.objects.count() == 1


def test_the_invitation_past_the_limit_is_refused_clearly_and_sends_nothing(
    community, moderator, partner, client, deliver, settings
):
    from communities.models import Invitation

    settings.INVITATION_RATE_PER_MEMBER = "3/3600"
    client.force_login(moderator)
    url = f"/communities/{community.slug}/invite/"
    with deliver():
        first = client.post(url, {"emails": "a@example.org, b@example.org\nc@example.org"})
    assert first.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]
    mail.outbox.clear()
    with deliver():
        refused = client.post(url, {"emails": "d@example.org"}, follow=True)
        as_json = client.post(url, {"emails": "e@example.org"}, HTTP_ACCEPT="application/json")
    page = refused.content.decode()
    assert "Invitations sent: 0 of 1." in page
    assert "most invitations allowed for now" in page
    assert as_json.status_code == 400 and "try again later" in as_json.json()["detail"]
    assert mail.outbox == []
    assert not Invitation.objects.filter(email__in=["d@example.org", "e@example.org"]).exists()
    # the limit is the inviter's: another moderator still invites
    with deliver():
        membership.invitation_create(community=community, email="f@example.org", actor=partner)
    assert [m.to for m in mail.outbox] == [["f@example.org"]]
