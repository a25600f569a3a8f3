"""Pre-moderation, flags, watched words, moderator actions, the append-only audit log,
authors told what happened and why, and escalation of items waiting over a day."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from communities.models import (
    ContentStatus,
    Flag,
    ModerationAction,
    Post,
    ReviewItem,
    Thread,
)
from communities.services import posts, review, spaces
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_first_posts_of_new_members_wait_for_approval(
    community_factory, partner, member_factory, join, deliver
):
    space = community_factory(premoderate_posts=1)
    newcomer = member_factory(full_name="New Comer")
    join(space, newcomer)
    with deliver():
        thread = posts.thread_create(community=space, author=newcomer, title="Hi", body="Hello")
    assert thread.status == ContentStatus.HELD
    item = ReviewItem.objects.get(kind="held_post")
    assert Notification.objects.filter(recipient=partner, kind="moderation.queue").exists()
    assert not Thread.objects.filter(status="visible").exists()

    with deliver():
        review.review_item_act(item=item, actor=partner, action="approve")
    thread.refresh_from_db()
    assert thread.status == ContentStatus.VISIBLE
    assert Notification.objects.filter(recipient=newcomer, kind="moderation.outcome").exists()
    # once approved, the next post goes straight out
    second = posts.thread_create(community=space, author=newcomer, title="Again", body="Hi")
    assert second.status == ContentStatus.VISIBLE


def test_flags_from_k_different_members_hide_the_post_pending_review(
    community_factory, partner, member_factory, join
):
    space = community_factory(auto_hide_flags=2)
    author, first, second = member_factory(), member_factory(), member_factory()
    for person in (author, first, second):
        join(space, person)
    thread = posts.thread_create(community=space, author=author, title="Deal", body="Buy now")
    post = thread.posts.get()
    review.post_flag(post=post, member=first, reason="spam")
    with pytest.raises(ValidationError):
        review.post_flag(post=post, member=first, reason="spam")  # once per member
    post.refresh_from_db()
    assert post.status == ContentStatus.VISIBLE
    review.post_flag(post=post, member=second, reason="other", detail="Advert")
    post.refresh_from_db()
    assert post.status == ContentStatus.HIDDEN and post.flag_count == 2
    assert ReviewItem.objects.filter(kind="flagged_post", status="pending").count() == 1
    system = ModerationAction.objects.get(action="auto_hide")
    assert system.actor is None and "2" in system.reason
    assert Notification.objects.filter(recipient=author, kind="moderation.outcome").exists()
    with pytest.raises(ValidationError):
        review.post_flag(post=post, member=author, reason="spam")  # not one's own post


def test_keep_restores_a_post_hidden_by_flags(community_factory, partner, member_factory, join):
    space = community_factory(auto_hide_flags=1)
    author, flagger = member_factory(), member_factory()
    join(space, author)
    join(space, flagger)
    thread = posts.thread_create(community=space, author=author, title="Fine", body="Fine")
    review.post_flag(post=thread.posts.get(), member=flagger, reason="off_topic")
    item = ReviewItem.objects.get()
    review.review_item_act(item=item, actor=partner, action="keep", reason="On topic")
    thread.refresh_from_db()
    assert thread.status == ContentStatus.VISIBLE
    assert Flag.objects.get().resolved_at is not None
    assert ModerationAction.objects.filter(action="restore").exists()


def test_watched_words_block_hold_or_flag_posts(community, ama, moderator):
    spaces.watched_word_add(community=community, actor=moderator, word="casino", action="block")
    spaces.watched_word_add(community=community, actor=moderator, word="loan*", action="hold")
    spaces.watched_word_add(community=community, actor=moderator, word="quick cash", action="flag")
    with pytest.raises(ValidationError, match="casino"):
        posts.thread_create(community=community, author=ama, title="Casino night", body="x")
    held = posts.thread_create(community=community, author=ama, title="Q", body="Loans for all")
    assert held.status == ContentStatus.HELD
    flagged = posts.thread_create(
        community=community, author=ama, title="Q", body="Get QUICK  cash"
    )
    assert flagged.status == ContentStatus.VISIBLE
    kinds = sorted(ReviewItem.objects.values_list("kind", flat=True))
    assert kinds == ["flagged_post", "held_post"]
    assert Flag.objects.get().flagged_by is None  # raised by the system


def test_every_moderator_action_is_logged_and_the_author_told(community, ama, moderator):
    thread = posts.thread_create(community=community, author=ama, title="T", body="Body")
    post = thread.posts.get()
    reply = posts.reply_create(thread=thread, author=ama, body="More")
    review.post_moderate(post=reply, actor=moderator, action="hide", reason="Off-topic")
    review.post_moderate(post=reply, actor=moderator, action="restore")
    review.post_moderate(post=reply, actor=moderator, action="delete", reason="Duplicate")
    review.thread_moderate(thread=thread, actor=moderator, action="pin")
    review.thread_moderate(thread=thread, actor=moderator, action="lock")
    with pytest.raises(ValidationError):
        review.post_moderate(post=reply, actor=moderator, action="approve")
    actions = list(ModerationAction.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["hide", "restore", "delete", "pin", "lock"]
    entry = ModerationAction.objects.get(action="hide")
    assert (entry.actor, entry.target_member, entry.reason) == (moderator, ama, "Off-topic")
    told = Notification.objects.filter(recipient=ama, kind="moderation.outcome")
    assert told.count() == 3
    assert told.filter(body="Duplicate").exists()
    reply.refresh_from_db()
    assert reply.status == "deleted" and reply.body == "More"  # kept, not deleted
    assert post.body == "Body"


def test_the_audit_log_is_append_only(community, moderator, ama):
    thread = posts.thread_create(community=community, author=ama, title="T", body="B")
    review.thread_moderate(thread=thread, actor=moderator, action="lock")
    entry = ModerationAction.objects.get()
    entry.reason = "rewritten"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_acting_twice_on_an_item_changes_nothing(community_factory, partner, member_factory):
    from communities.models import Membership

    space = community_factory(premoderate_posts=1)
    author = member_factory()
    Membership.objects.create(community=space, member=author, handle="a")
    posts.thread_create(community=space, author=author, title="Q", body="?")
    item = ReviewItem.objects.get()
    review.review_item_act(item=item, actor=partner, action="approve")
    review.review_item_act(item=item, actor=partner, action="reject")  # too late: no-op
    assert Post.objects.get().status == ContentStatus.VISIBLE
    assert ModerationAction.objects.count() == 1


def test_items_waiting_over_a_day_escalate_to_owners_once(
    community_factory, partner, member_factory, join, frozen
):
    from communities.tasks import moderation_escalate_due
    from core import clock

    space = community_factory(premoderate_posts=5)
    author = member_factory()
    join(space, author)
    posts.thread_create(community=space, author=author, title="Q", body="?")
    assert moderation_escalate_due() == 0
    with clock.travel(frozen + timedelta(hours=25)):
        assert moderation_escalate_due() == 1
        assert moderation_escalate_due() == 0
    note = Notification.objects.get(kind="moderation.escalation")
    assert note.recipient == partner and space.name in note.title


def test_the_beat_schedule_runs_escalation(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "communities.tasks.moderation_escalate_due" in tasks


def test_moderators_are_told_by_the_worker_once_and_the_flag_costs_the_same_for_many(
    community_factory, partner, member_factory, join, deliver, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from communities.services.post_lifecycle import review_item_announce
    from notifications.models import Notification

    def flag_cost(space) -> int:
        author, flagger = member_factory(), member_factory()
        join(space, author)
        join(space, flagger)
        thread = posts.thread_create(community=space, author=author, title="T", body="b")
        with django_capture_on_commit_callbacks(execute=False):  # the worker's part, later
            with CaptureQueriesContext(connection) as captured:
                review.post_flag(post=thread.posts.get(), member=flagger, reason="spam")
        return len(captured)

    few = community_factory(name="Few moderators")
    many = community_factory(name="Many moderators")
    for _ in range(10):
        join(many, member_factory(), role="moderator")
    assert flag_cost(few) == flag_cost(many)  # not one notification per moderator

    item = ReviewItem.objects.get(community=many)
    assert review_item_announce(item_id=item.pk) == 11  # ten moderators and the owner
    assert review_item_announce(item_id=item.pk) == 0  # a second run tells nobody again
    assert Notification.objects.filter(kind="moderation.queue").count() == 11
