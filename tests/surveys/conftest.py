import json

import pytest

NEEDS = {
    "title": {"en": "Needs survey", "fr": "Enquête sur les besoins"},
    "anonymous": False,
    "questions": [
        {
            "key": "role",
            "type": "single",
            "required": True,
            "text": {"en": "Where do you work?"},
            "options": [
                {"key": "gov", "text": {"en": "Government"}},
                {"key": "other", "text": {"en": "Other"}},
            ],
        },
        {
            "key": "why",
            "type": "text",
            "text": {"en": "Which other?"},
            "show_if": {"question": "role", "equals": "other"},
        },
        {"key": "score", "type": "scale", "min": 1, "max": 5, "text": {"en": "How useful was it?"}},
    ],
}

FULL = {
    "title": {"en": "Everything", "es": "Todo", "fr": "Tout"},
    "anonymous": False,
    "questions": [
        {
            "key": "topics",
            "type": "multiple",
            "other": True,
            "randomize": True,
            "text": {"en": "Topics?", "fr": "Sujets ?"},
            "options": [
                {"key": "cash", "text": {"en": "Cash transfers", "fr": "Transferts monétaires"}},
                {"key": "pensions", "text": {"en": "Pensions", "fr": "Retraites"}},
                {"key": "jobs", "text": {"en": "Jobs"}},
            ],
        },
        {
            "key": "staff",
            "type": "number",
            "min": 0,
            "max": 1000,
            "text": {"en": "How many staff?"},
        },
        {
            "key": "story",
            "type": "long_text",
            "text": {"en": "Tell us more"},
            "help": {"en": "Optional"},
        },
        {
            "key": "nps",
            "type": "scale",
            "min": 0,
            "max": 10,
            "min_label": {"en": "Not at all likely"},
            "max_label": {"en": "Extremely likely"},
            "text": {"en": "Would you recommend it?"},
        },
        {
            "key": "grid",
            "type": "matrix",
            "text": {"en": "Rate each"},
            "rows": [
                {"key": "speed", "text": {"en": "Speed"}},
                {"key": "cost", "text": {"en": "Cost"}},
            ],
            "options": [
                {"key": "bad", "text": {"en": "Bad"}},
                {"key": "ok", "text": {"en": "OK"}},
                {"key": "good", "text": {"en": "Good"}},
            ],
        },
        {"key": "when", "type": "date", "text": {"en": "Start date"}},
        {"key": "where", "type": "country", "text": {"en": "Country"}},
    ],
    "sections": [
        {
            "title": {"en": "About you"},
            "questions": [{"key": "name", "type": "text", "text": {"en": "Your title"}}],
        }
    ],
}


@pytest.fixture
def needs_doc():
    return json.loads(json.dumps(NEEDS))


@pytest.fixture
def full_doc():
    return json.loads(json.dumps(FULL))


@pytest.fixture
def author(member_factory):
    return member_factory(email="author@example.org", full_name="Ana Author")


@pytest.fixture
def open_survey(author, needs_doc):
    from surveys.schema import survey_spec_read
    from surveys.services.authoring import survey_import, survey_open

    survey = survey_import(owner=author, spec=survey_spec_read(needs_doc))
    return survey_open(survey=survey, actor=author, public_link=True)
