"""On a 360-px phone the chat's message box stays on screen, and a member edits their
own message from the page: every open chat shows the new text, marked edited."""

import pytest

from communities.models import ChatMessage, ChatRoom
from communities.services.membership import membership_add
from communities.services.spaces import community_create
from members.models import Organization, Role
from tests.e2e.test_community_journey import log_in

pytestmark = pytest.mark.e2e


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def test_phone_composer_stays_visible_and_own_messages_can_be_edited(
    live, chromium, page_in_zone, member_factory
):
    organization = Organization.objects.create(name="Sahel network", slug="sahel")
    owner = member_factory(email="owner@example.org", full_name="Aminata Diop", role=Role.STAFF)
    community = community_create(
        creator=owner, organization=organization, slug="sahel-cash", name="Sahel cash"
    )
    ama = member_factory(email="ama@example.org", full_name="Ama Mensah")
    kofi = member_factory(email="kofi@example.org", full_name="Kofi Owusu")
    membership_add(community=community, member=ama)
    membership_add(community=community, member=kofi)
    room = ChatRoom.objects.get(community=community)
    ChatMessage.objects.bulk_create(
        ChatMessage(
            room=room,
            author=kofi,
            author_name="Kofi Owusu",
            body=f"m{i}",
            body_html=f"<p>Earlier message {i}</p>",
        )
        for i in range(40)
    )

    context = chromium.new_context(
        timezone_id="Africa/Accra", viewport={"width": 360, "height": 640}, is_mobile=True
    )
    context.set_default_timeout(15_000)
    phone = context.new_page()
    try:
        log_in(phone, live, ama, "/communities/sahel-cash/chat/")
        phone.wait_for_selector("#chat.live")
        composer = phone.get_by_label("Message", exact=True)
        for y in (0, 300):  # reading from the top of the page down: the box stays in view
            phone.evaluate(f"window.scrollTo(0, {y})")
            assert in_viewport(phone, composer), y

        desktop = page_in_zone("Africa/Accra")
        log_in(desktop, live, kofi, "/communities/sahel-cash/chat/")
        desktop.wait_for_selector("#chat.live")

        composer.fill("Top-ups arive in 72 hours")
        phone.get_by_role("button", name="Send").click()
        mine = phone.locator(".chat-log li", has_text="Top-ups arive in 72 hours")
        mine.wait_for()
        desktop.locator(".chat-log li", has_text="Top-ups arive").wait_for()

        mine.get_by_role("button", name="Edit").click()
        editor = phone.get_by_label("Edit your message")
        assert editor.input_value() == "Top-ups arive in 72 hours"
        editor.fill("Top-ups arrive in 72 hours")
        phone.get_by_role("button", name="Save").click()

        fixed = desktop.locator(".chat-log li", has_text="Top-ups arrive in 72 hours")
        fixed.wait_for()
        assert "edited" in fixed.inner_text()
        assert desktop.locator(".chat-log li", has_text="arive").count() == 0
        # Nobody else gets an edit button for Ama's message.
        assert fixed.get_by_role("button", name="Edit").count() == 0
        message = ChatMessage.objects.get(author=ama)
        assert message.body == "Top-ups arrive in 72 hours" and message.edited_at is not None
    finally:
        context.close()
