"""A newcomer signs up, verifies by the emailed link, logs in, switches to French, sets a zone."""

import re

import pytest

from members.models import Member
from tests.mail import links, wait_for_email

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [360, 1280], ids=["phone", "desktop"])
def test_newcomer_signs_up_verifies_and_sets_language_and_zone(live, page_in_zone, width):
    page = page_in_zone("Europe/Paris", width=width)
    page.goto(live.url + "/")
    # The browser's zone reached the server through the cookie set by timezone.js.
    page.wait_for_function(
        "document.querySelector('#current-zone').textContent.includes('Europe/Paris')"
    )

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("selam@example.org")
    page.get_by_label("Full name").fill("Selam Tesfaye")
    page.locator("#id_password1").fill("coffee-ceremony-1896")
    page.locator("#id_password2").fill("coffee-ceremony-1896")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    message = wait_for_email(live.mail_dir, to="selam@example.org")
    confirm = next(link for link in links(message) if "/accounts/confirm-email/" in link)
    page.goto(confirm)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill("selam@example.org")
    page.get_by_label("Password").fill("coffee-ceremony-1896")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/members/[-\w]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Selam Tesfaye"

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Paramètres", exact=True).is_visible()
    assert Member.objects.get(email="selam@example.org").language == "fr"

    page.get_by_role("link", name="Paramètres", exact=True).click()
    page.get_by_label("Fuseau horaire").select_option("Asia/Kathmandu")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert "Asia/Kathmandu, UTC+5:45" in page.locator("#current-zone").inner_text()
    page.get_by_role("link", name="Selam").first.click()
    joined = page.locator("dd", has_text="UTC+5:45").inner_text()
    assert re.match(r"^\w+\.? \d{1,2} \w+ \d{4}, \d\d:\d\d \(Asia/Kathmandu, UTC\+5:45\)$", joined)
    # Nothing is wider than the screen (no sideways scrolling on a phone).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(live.workdir / f"profile-fr-{width}.png"))
