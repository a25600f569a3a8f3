"""A partner writes a three-language survey with a conditional question and sends it to a
webinar's attendees; a French attendee answers from the email link on a phone, saves
halfway, comes back, submits; the partner sees the tally and exports the CSV."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from members.models import Organization, Role
from surveys.models import Response
from tests.mail import links, wait_for_email
from webinars.models import Registration, Session, Webinar

pytestmark = pytest.mark.e2e


def test_partner_survey_to_attendees_answered_in_french_on_a_phone(
    live, page_in_zone, member_factory, tmp_path
):
    org = Organization.objects.create(name="DSWD", slug="dswd", country="PH", kind="government")
    partner = member_factory(
        email="maria@dswd.example",
        password="partner-pass-2027",
        role=Role.PARTNER_ADMIN,
        organization=org,
        time_zone="Asia/Manila",
    )
    webinar = Webinar.objects.create(
        slug="cash-101", title="Cash transfers 101", status="published"
    )
    webinar.organizations.add(org)
    at = datetime.now(UTC)
    session = Session.objects.create(
        webinar=webinar, starts_at=at - timedelta(hours=3), duration_minutes=90
    )
    for email, language, clicked in [
        ("awa@example.sn", "fr", at - timedelta(hours=3)),
        ("nobody@example.org", "en", None),  # registered, never came: not an attendee
    ]:
        Registration.objects.create(
            webinar=webinar,
            session=session,
            email=email,
            full_name=email.split("@")[0].title(),
            language=language,
            country="SN",
            status="confirmed",
            created_at=at - timedelta(days=2),
            status_changed_at=at - timedelta(days=2),
            join_first_clicked_at=clicked,
        )

    author = page_in_zone("Asia/Manila")
    author.goto(f"{live.url}/accounts/login/")
    author.get_by_label("Email").fill(partner.email)
    author.get_by_label("Password").fill("partner-pass-2027")
    author.get_by_role("button", name="Sign In").click()
    author.wait_for_url(re.compile(r"/members/[-\w]+/$"))

    author.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    author.get_by_role("link", name="Write a survey").click()
    author.get_by_label("Title (en)").fill("Webinar feedback")
    author.get_by_label("Title (es)").fill("Opinión sobre el webinario")
    author.get_by_label("Title (fr)").fill("Avis sur le webinaire")
    author.get_by_role("button", name="Create the draft").click()
    author.wait_for_url(re.compile(r"/surveys/webinar-feedback/$"))

    def add_question(fields: dict, *, type_: str, options: str = "", show_if: str = ""):
        author.get_by_role("link", name="Add a question", exact=True).click()
        author.get_by_label("Type").select_option(type_)
        for label, value in fields.items():
            author.get_by_label(label, exact=True).fill(value)
        if options:
            author.get_by_label("Options (choice, matrix columns)").fill(options)
        if show_if:
            author.get_by_label("Show only if").select_option(label=show_if)
        author.get_by_role("button", name="Save the question").click()
        author.wait_for_url(re.compile(r"/surveys/webinar-feedback/#questions$"))

    add_question(
        {
            "Key (stable, used in exports):": "useful",
            "Question (en):": "Was it useful?",
            "Question (es):": "¿Le fue útil?",
            "Question (fr):": "Était-ce utile ?",
        },
        type_="single",
        options="yes | Yes | Sí | Oui\nno | No | No | Non",
    )
    add_question(
        {
            "Key (stable, used in exports):": "missing",
            "Question (en):": "What was missing?",
            "Question (es):": "¿Qué faltó?",
            "Question (fr):": "Qu'est-ce qui manquait ?",
        },
        type_="text",
        show_if="Was it useful? = No",
    )
    add_question(
        {
            "Key (stable, used in exports):": "score",
            "Question (en):": "How would you rate it?",
            "Question (es):": "¿Cómo lo valora?",
            "Question (fr):": "Quelle note lui donnez-vous ?",
            "Minimum:": "1",
            "Maximum:": "5",
        },
        type_="scale",
    )
    author.get_by_label("Audience").select_option("attendees")
    author.get_by_label("Webinar (for its registrants, attendees or no-shows)").select_option(
        label="Cash transfers 101"
    )
    author.get_by_role("button", name="Send invitations").click()
    assert "Invitations are on their way to 1 people." in author.content()

    invitation = wait_for_email(live.mail_dir, to="awa@example.sn")
    assert "Avis sur le webinaire" in str(invitation["Subject"])
    link = next(url for url in links(invitation) if "/surveys/i/" in url)

    phone = page_in_zone("Africa/Dakar", locale="fr-FR", width=360)
    phone.goto(link)
    assert phone.get_by_role("heading", level=1).inner_text() == "Avis sur le webinaire"
    # the question's own <label> names its group of choices; each choice has its label
    assert phone.get_by_label("Était-ce utile ?").get_attribute("role") == "radiogroup"
    phone.get_by_label("Non", exact=True).check()
    phone.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    assert "Vos réponses sont enregistrées" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    later = page_in_zone("Africa/Dakar", locale="fr-FR", width=360)
    later.goto(link)
    assert later.get_by_label("Non", exact=True).is_checked()
    later.get_by_label("Qu'est-ce qui manquait ?").fill("Des exemples d'Afrique de l'Ouest")
    later.get_by_label("4", exact=True).check()
    later.get_by_role("button", name="Envoyer").click()
    assert later.get_by_role("heading", level=1).inner_text() == "Merci"
    assert Response.objects.get().status == "submitted"

    author.goto(f"{live.url}/surveys/webinar-feedback/results/")
    assert author.locator("#responses-total").inner_text() == "1"
    tally = author.locator("#chart-q-useful-table")
    assert tally.get_by_role("row", name=re.compile(r"^No 1")).count() == 1
    with author.expect_download() as download:
        author.get_by_role("link", name="Download all responses (CSV)").click()
    path = tmp_path / "survey.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    header, row = text.strip().splitlines()
    assert header.endswith("useful,missing,score")
    assert row.endswith("no,Des exemples d'Afrique de l'Ouest,4")
