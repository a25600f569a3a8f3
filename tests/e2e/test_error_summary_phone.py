"""On a 360-px phone in Dakar, in French: a registration with a bad email shows the error
summary on screen and focused, and its link takes the visitor to the email field."""

from datetime import UTC, datetime, timedelta

import pytest

from members.models import Organization
from webinars.models import Registration, Session, Webinar

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(chromium):
    contexts = []

    def make(*, javascript: bool = True):
        context = chromium.new_context(
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            timezone_id="Africa/Dakar",
            locale="fr-FR",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def webinar(db):
    org = Organization.objects.create(name="CLM Sénégal", slug="clm", country="SN")
    webinar = Webinar.objects.create(
        slug="filets-sociaux",
        title="Filets sociaux adaptatifs au Sahel",
        status="published",
        language="fr",
        description="Un long texte.\n\n" * 30,
    )
    webinar.organizations.add(org)
    Session.objects.create(
        webinar=webinar, starts_at=datetime.now(UTC) + timedelta(days=12), host_zone="Africa/Dakar"
    )
    return webinar


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
        }""",
        selector,
    )


def fill_with_a_bad_email(page, live):
    page.goto(f"{live.url}/webinars/filets-sociaux/")
    page.locator("#id_email").fill("aminata@")
    page.locator("#id_full_name").fill("Aminata Diop")
    page.locator("#id_country").select_option("SN")
    page.locator("#id_consent").check()
    page.locator("section[aria-labelledby=register-heading] button[type=submit]").click()
    page.wait_for_load_state()


def test_the_error_summary_is_on_screen_focused_and_links_to_the_field(live, phone, webinar):
    page = phone()
    fill_with_a_bad_email(page, live)

    summary = page.locator(".error-summary")
    summary.wait_for()
    assert summary.locator("h2").inner_text() == "Il y a un problème"
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    assert in_viewport(page, ".error-summary li:first-child a")
    page.screenshot(path=str(live.workdir / "error-summary-360.png"))

    page.locator(".error-summary a[href='#id_email']").click()
    page.wait_for_function("document.activeElement.id === 'id_email'")
    assert in_viewport(page, "#id_email")
    assert page.locator("#id_email").input_value() == "aminata@"  # nothing typed was lost
    page.locator("#id_email").fill("aminata@example.sn")
    page.locator("section[aria-labelledby=register-heading] button[type=submit]").click()
    page.wait_for_url(f"{live.url}/webinars/filets-sociaux/registered/**")
    assert Registration.objects.filter(email="aminata@example.sn").exists()


def test_without_javascript_the_summary_is_the_first_thing_on_the_phone(live, phone, webinar):
    page = phone(javascript=False)
    fill_with_a_bad_email(page, live)
    assert in_viewport(page, ".error-summary li:first-child a")
    assert page.locator(".error-summary a").first.get_attribute("href") == "#id_email"


def test_a_failed_log_in_shows_the_summary_focused_on_the_phone(live, phone, member_factory):
    member_factory(email="moussa@example.sn", password="baobab-de-dakar-2027")
    page = phone()
    page.goto(f"{live.url}/accounts/login/")
    page.locator("#id_login").fill("moussa@example.sn")
    page.locator("#id_password").fill("wrong-password")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.locator(".error-summary").wait_for()
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    assert in_viewport(page, ".error-summary li:first-child")
    assert "Il y a un problème" in page.locator(".error-summary").inner_text()
