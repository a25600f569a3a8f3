"""Threads and replies: Markdown, mentions, shared materials, editing with history,
deleting one's own post, likes, pinned and locked threads, search."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.attachments import check_upload
from communities.models import ContentStatus, Post, PostRevision, Thread
from communities.services import posts, review
from communities.services.posts import LinkInput
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_thread_renders_markdown_and_updates_the_community(community, ama):
    thread = posts.thread_create(
        community=community, author=ama, title="  Payments  in  Dakar ", body="**Fast** pay"
    )
    post = thread.posts.get()
    assert thread.title == "Payments in Dakar"
    assert post.is_opening and post.body_html == "<p><strong>Fast</strong> pay</p>"
    community.refresh_from_db()
    assert community.last_post_at is not None


def test_replies_count_and_first_reply_time(community, ama, kofi, frozen):
    from datetime import timedelta

    from core import clock

    thread = posts.thread_create(community=community, author=ama, title="Q", body="?")
    posts.reply_create(thread=thread, author=ama, body="bump")  # own reply is not an answer
    with clock.travel(frozen + timedelta(hours=5)):
        posts.reply_create(thread=thread, author=kofi, body="Answer")
    thread.refresh_from_db()
    assert thread.reply_count == 2
    assert thread.first_reply_at == frozen + timedelta(hours=5)


def test_reply_and_mention_notifications(community, ama, kofi, moderator, deliver):
    thread = posts.thread_create(community=community, author=ama, title="Targeting", body="How?")
    with deliver():
        posts.reply_create(thread=thread, author=kofi, body="Ask @moussa-ndiaye, he knows.")
    reply = Notification.objects.get(recipient=ama)
    assert reply.kind == "communities.reply" and "Kofi Owusu" in reply.title
    assert reply.url.startswith(f"/communities/{community.slug}/threads/{thread.pk}/#post-")
    mention = Notification.objects.get(recipient=moderator)
    assert mention.kind == "communities.mention"
    assert not Notification.objects.filter(recipient=kofi).exists()  # not of one's own post


def test_mentions_of_people_outside_the_community_notify_no_one(community, ama, outsider, deliver):
    with deliver():
        posts.thread_create(community=community, author=ama, title="Hi", body="@olivia-smith hi")
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_non_members_cannot_post_and_locked_threads_take_no_replies(
    community, ama, kofi, outsider, moderator
):
    with pytest.raises(PermissionDenied):
        posts.thread_create(community=community, author=outsider, title="Hi", body="Hi")
    thread = posts.thread_create(community=community, author=ama, title="Old", body="Done")
    review.thread_moderate(thread=thread, actor=moderator, action="lock")
    with pytest.raises(ValidationError):
        posts.reply_create(thread=thread, author=kofi, body="One more thing")
    assert posts.reply_create(thread=thread, author=moderator, body="Closing note")


def test_editing_keeps_the_history(community, ama, kofi):
    thread = posts.thread_create(community=community, author=ama, title="Draft", body="v1")
    post = thread.posts.get()
    posts.post_edit(post=post, editor=ama, body="v2", title="Final")
    posts.post_edit(post=post, editor=ama, body="v3")
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.body, thread.title) == ("v3", "Final")
    assert list(PostRevision.objects.values_list("body", flat=True)) == ["v2", "v1"]
    with pytest.raises(PermissionDenied):
        posts.post_edit(post=post, editor=kofi, body="mine now")


def test_deleting_ones_own_post_keeps_it_for_the_record(community, ama, kofi, client):
    thread = posts.thread_create(community=community, author=ama, title="Q", body="?")
    reply = posts.reply_create(thread=thread, author=kofi, body="Secret phone number 555")
    with pytest.raises(PermissionDenied):
        posts.post_delete(post=reply, actor=ama)
    posts.post_delete(post=reply, actor=kofi)
    reply.refresh_from_db()
    thread.refresh_from_db()
    assert reply.status == ContentStatus.DELETED and reply.body  # kept
    assert thread.reply_count == 0
    page = client.get(f"/communities/{community.slug}/threads/{thread.pk}/")
    assert b"This post was deleted." in page.content and b"555" not in page.content


def test_likes_toggle_once_per_member(community, ama, kofi):
    thread = posts.thread_create(community=community, author=ama, title="Q", body="?")
    post = thread.posts.get()
    assert posts.post_like_toggle(post=post, member=kofi) is True
    post.refresh_from_db()
    assert post.like_count == 1
    assert posts.post_like_toggle(post=post, member=kofi) is False
    post.refresh_from_db()
    assert post.like_count == 0


def test_like_button_answers_json_for_fetch_and_redirects_without_js(community, ama, kofi, client):
    thread = posts.thread_create(community=community, author=ama, title="Q", body="?")
    post = thread.posts.get()
    client.force_login(kofi)
    url = f"/communities/{community.slug}/posts/{post.pk}/like/"
    answer = client.post(url, HTTP_ACCEPT="application/json").json()
    assert answer == {"ok": True, "detail": "", "liked": True, "count": 1}
    assert client.post(url).status_code == 302


def test_pinned_threads_come_first(community, ama, moderator, client):
    first = posts.thread_create(community=community, author=ama, title="Welcome", body="Hi")
    posts.thread_create(community=community, author=ama, title="Later", body="Hi")
    review.thread_moderate(thread=first, actor=moderator, action="pin")
    page = client.get(f"/communities/{community.slug}/").content.decode()
    assert page.index("Welcome") < page.index("Later")


def test_files_are_checked_by_type_size_and_content(settings):
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.7 rest", content_type="application/pdf")
    assert check_upload(pdf).content_type == "application/pdf"
    with pytest.raises(ValidationError, match="not accepted"):
        check_upload(SimpleUploadedFile("run.exe", b"MZ..."))
    with pytest.raises(ValidationError, match="does not look like"):
        check_upload(SimpleUploadedFile("fake.pdf", b"<html><script>"))
    with pytest.raises(ValidationError, match="UTF-8"):
        check_upload(SimpleUploadedFile("notes.txt", b"\xff\xfe\x00bad" * 10))
    settings.COMMUNITY_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="too large"):
        check_upload(SimpleUploadedFile("big.pdf", b"%PDF" + b"x" * 20))


def test_shared_files_download_only_for_readers(
    community_factory, partner, member_factory, join, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    private = community_factory(visibility="members", join_policy="request")
    member = member_factory()
    join(private, member)
    upload = check_upload(SimpleUploadedFile("plan.pdf", b"%PDF-1.7 the plan"))
    thread = posts.thread_create(
        community=private,
        author=member,
        title="Plan",
        body="Attached",
        files=[upload],
        links=[LinkInput(url="https://example.org/report", name="Report")],
    )
    attachment = thread.posts.get().attachments.get(kind="file")
    url = f"/communities/{private.slug}/files/{attachment.pk}/"
    assert client.get(url).status_code == 403  # logged out
    client.force_login(member_factory())
    assert client.get(url).status_code == 403
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 the plan"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_javascript_links_are_refused_as_materials(community, ama):
    with pytest.raises(ValidationError):
        posts.thread_create(
            community=community,
            author=ama,
            title="x",
            body="y",
            links=[LinkInput(url="javascript:alert(1)")],
        )
    assert not Thread.objects.exists()


def test_search_finds_visible_posts_only(community, ama, kofi, moderator, client):
    thread = posts.thread_create(
        community=community, author=ama, title="Mobile money", body="Fees in Kenya"
    )
    hidden = posts.reply_create(thread=thread, author=kofi, body="Mobile money scam link")
    review.post_moderate(post=hidden, actor=moderator, action="hide")
    page = client.get(f"/communities/{community.slug}/search/", {"q": "mobile money"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Fees in Kenya" in content and "scam" not in content


def test_posting_and_replying_through_the_pages(community, ama, client):
    client.force_login(ama)
    response = client.post(
        f"/communities/{community.slug}/threads/new/",
        {"title": "Graduation", "body": "What exit rules work?"},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{thread.pk}/")
    response = client.post(
        f"/communities/{community.slug}/threads/{thread.pk}/reply/", {"body": "Answer"}
    )
    assert response.status_code == 302
    assert Post.objects.count() == 2
    empty = client.post(
        f"/communities/{community.slug}/threads/{thread.pk}/reply/", {"body": " "}, follow=True
    )
    assert b"errorlist" in empty.content or b"message error" in empty.content


def test_notification_titles_are_in_each_recipients_language(
    community, ama, kofi, moderator, deliver
):
    moderator.language = "fr"
    moderator.save(update_fields=["language"])
    thread = posts.thread_create(community=community, author=ama, title="Ciblage", body="?")
    with deliver():
        posts.reply_create(thread=thread, author=kofi, body="Ask @moussa-ndiaye, he knows.")
    mention = Notification.objects.get(recipient=moderator)
    assert mention.title == "Kofi Owusu vous a mentionné·e dans «\u00a0Ciblage\u00a0»"
    assert Notification.objects.get(recipient=ama).title == "Kofi Owusu replied in “Ciblage”"
