"""axe-core over the survey pages: the respondent's form on a phone (every type), the
author's editor, question form and results with a breakdown."""

import pytest

from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import, survey_open
from surveys.services.responding import Respondent, questions_of, response_save
from tests.e2e.test_accessibility import blocking_violations
from tests.e2e.test_community_journey import PASSWORD, log_in
from tests.surveys.conftest import FULL, NEEDS

pytestmark = pytest.mark.e2e


def test_survey_pages_have_no_serious_or_critical_violations(live, page_in_zone, member_factory):
    author = member_factory(email="author@example.org", full_name="Ana Author", password=PASSWORD)
    full = survey_open(
        survey=survey_import(owner=author, spec=survey_spec_read(FULL)),
        actor=author,
        public_link=True,
    )
    needs = survey_open(
        survey=survey_import(owner=author, spec=survey_spec_read(NEEDS)), actor=author
    )
    questions = questions_of(needs)
    for n in range(6):
        member = member_factory(country="KE")
        response_save(
            survey=needs,
            respondent=Respondent(identity=f"m:{member.pk}", language="en", member=member),
            questions=questions,
            answers={"role": ("gov" if n < 4 else "other", ""), "score": (3, "")},
            submit=True,
        )

    phone = page_in_zone("Africa/Nairobi", width=360)
    phone.goto(f"{live.url}/surveys/p/{full.public_token}/")
    assert blocking_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("button", name="Submit").click()  # nothing required: accepted
    phone.goto(f"{live.url}/surveys/p/{full.public_token}/?lang=fr")
    assert blocking_violations(phone) == []

    page = page_in_zone("Africa/Nairobi")
    log_in(page, live, author, "/surveys/")
    for path in (
        f"/surveys/{needs.slug}/",
        f"/surveys/{needs.slug}/questions/new/",
        f"/surveys/{needs.slug}/results/?by=country",
        f"/surveys/{full.slug}/",  # the reordering handles
        f"/surveys/{full.slug}/results/?by=q:grid:speed",  # matrix rows charted, broken down
        f"/surveys/{needs.slug}/results/text/why/",
        "/surveys/",
        "/surveys/new/",
    ):
        page.goto(f"{live.url}{path}")
        assert blocking_violations(page) == [], path
