"""A member posts in a thread and chats; a second browser sees the message live; another
member flags it and the moderator, watching the dashboard's live queue, hides it with
one click: it disappears from the first browser. Hostile content never runs."""

import re

import pytest

from communities.models import ChatMessage, ContentStatus, ModerationAction
from communities.services.membership import membership_add
from communities.services.spaces import community_create
from members.models import Organization, Role

pytestmark = pytest.mark.e2e
PASSWORD = "a-long-pass-phrase-42"  # member_factory's

HOSTILE = (
    '<img src="x" onerror="window.__pwned = 1">'
    "<script>window.__pwned = 2</script>"
    " [click me](javascript:window.__pwned=3)"
)


def log_in(page, live, member, then: str) -> None:
    """Through the login form, as people do (the server has its own secret key)."""
    page.goto(f"{live.url}/accounts/login/?next={then}")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live.url}{then}")


def watch_for_scripts(page) -> list:
    """Dialogs opened and errors thrown by anything on the page."""
    seen = []
    page.on("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def no_script_ran(page) -> bool:
    return page.evaluate("typeof window.__pwned === 'undefined'")


def test_post_chat_flag_and_hide_live(live, page_in_zone, member_factory):
    organization = Organization.objects.create(name="Sahel network", slug="sahel")
    owner = member_factory(email="owner@example.org", full_name="Aminata Diop", role=Role.STAFF)
    community = community_create(
        creator=owner, organization=organization, slug="sahel-cash", name="Sahel cash"
    )
    moderator = member_factory(email="mod@example.org", full_name="Moussa Ndiaye")
    ama = member_factory(email="ama@example.org", full_name="Ama Mensah")
    kofi = member_factory(email="kofi@example.org", full_name="Kofi Owusu")
    membership_add(community=community, member=moderator, role="moderator")
    membership_add(community=community, member=ama)
    membership_add(community=community, member=kofi)

    # Ama starts a discussion (with hostile Markdown in it).
    first = page_in_zone("Africa/Accra")
    first_scripts = watch_for_scripts(first)
    log_in(first, live, ama, "/communities/sahel-cash/")
    first.get_by_role("link", name="Start a discussion").click()
    first.get_by_label("Title:", exact=True).fill("Paying on time in the lean season")
    first.get_by_label("Message:", exact=True).fill(
        "How fast do your **top-ups** arrive?\n\n" + HOSTILE
    )
    first.get_by_role("button", name="Publish").click()
    first.wait_for_url(re.compile(r"/communities/sahel-cash/threads/\d+/$"))
    assert first.locator(".post-body strong").first.inner_text() == "top-ups"
    assert first.locator(".post-body img").count() == 0
    assert first.locator(".post-body a[href^='javascript']").count() == 0
    assert no_script_ran(first)

    # Both open the chat; Kofi sees Ama's message arrive live.
    second = page_in_zone("Africa/Accra")
    second_scripts = watch_for_scripts(second)
    log_in(second, live, kofi, "/communities/sahel-cash/chat/")
    first.goto(f"{live.url}/communities/sahel-cash/chat/")
    for page in (first, second):
        page.wait_for_selector("#chat.live")
    first.get_by_label("Message").fill("Top-ups arrive in 72 hours here " + HOSTILE)
    first.get_by_role("button", name="Send").click()
    live_message = second.locator(".chat-log li", has_text="Top-ups arrive in 72 hours")
    live_message.wait_for()
    assert first.locator(".chat-log li", has_text="Top-ups arrive").count() == 1
    assert no_script_ran(first) and no_script_ran(second)

    # The moderator watches the dashboard; the queue is empty.
    third = page_in_zone("Africa/Dakar")
    log_in(third, live, moderator, "/communities/moderation/")
    third.wait_for_selector(".queue-summary .live-state:not([hidden])")
    assert third.locator("#queue-total").inner_text() == "0"
    third.evaluate("window.__sameDocument = true")

    # Kofi flags the message (a plain page and form).
    live_message.get_by_role("link", name="Flag").click()
    second.get_by_label("Spam").check()
    second.get_by_role("button", name="Send to the moderators").click()
    second.wait_for_url(re.compile(r"/communities/sahel-cash/chat/$"))

    # The dashboard's count and queue update live; one click hides the message.
    third.wait_for_function("document.querySelector('#queue-total').textContent.trim() === '1'")
    item = third.locator(".review-item", has_text="Top-ups arrive in 72 hours")
    item.wait_for()
    item.get_by_role("button", name="Hide").click()
    item.wait_for(state="detached")
    assert third.locator("#queue-total").inner_text() == "0"
    assert third.evaluate("window.__sameDocument === true")  # no reload

    # ...and it disappears from Ama's open chat.
    first.locator(".chat-log li", has_text="Top-ups arrive in 72 hours").wait_for(state="detached")
    message = ChatMessage.objects.get()
    assert message.status == ContentStatus.HIDDEN
    assert ModerationAction.objects.filter(action="hide", actor=moderator).exists()
    assert first_scripts == [] and second_scripts == []
    assert no_script_ran(first) and no_script_ran(second) and no_script_ran(third)
