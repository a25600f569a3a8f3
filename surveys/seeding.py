"""Demo data: one open needs survey by the demo partner, with answers to read."""

import random

from members.demo import DEMO_PARTNER_EMAIL
from members.models import Member
from surveys.models import Survey
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import, survey_open
from surveys.services.responding import Respondent, questions_of, response_save

DEMO_SLUG_TITLE = "Social protection needs 2026"

DEMO_SURVEY = {
    "title": {
        "en": DEMO_SLUG_TITLE,
        "es": "Necesidades de protección social 2026",
        "fr": "Besoins en protection sociale 2026",
    },
    "intro": {
        "en": "Five minutes to tell partners what your programme needs next year.",
        "es": "Cinco minutos para decir a los socios qué necesita su programa el próximo año.",
        "fr": (
            "Cinq minutes pour dire aux partenaires ce dont votre programme a besoin l'an prochain."
        ),
    },
    "anonymous": False,
    "questions": [
        {
            "key": "role",
            "type": "single",
            "required": True,
            "text": {
                "en": "Where do you work?",
                "es": "¿Dónde trabaja?",
                "fr": "Où travaillez-vous ?",
            },
            "options": [
                {
                    "key": "gov",
                    "text": {"en": "Government", "es": "Gobierno", "fr": "Gouvernement"},
                },
                {"key": "ngo", "text": {"en": "NGO", "es": "ONG", "fr": "ONG"}},
                {"key": "other", "text": {"en": "Other", "es": "Otro", "fr": "Autre"}},
            ],
        },
        {
            "key": "why",
            "type": "text",
            "text": {"en": "Which other?", "es": "¿Cuál otro?", "fr": "Lequel ?"},
            "show_if": {"question": "role", "equals": "other"},
        },
        {
            "key": "topics",
            "type": "multiple",
            "other": True,
            "text": {
                "en": "Which topics matter most?",
                "es": "¿Qué temas importan más?",
                "fr": "Quels sujets comptent le plus ?",
            },
            "options": [
                {
                    "key": "cash",
                    "text": {
                        "en": "Cash transfers",
                        "es": "Transferencias",
                        "fr": "Transferts monétaires",
                    },
                },
                {
                    "key": "pensions",
                    "text": {"en": "Pensions", "es": "Pensiones", "fr": "Retraites"},
                },
                {
                    "key": "registries",
                    "text": {
                        "en": "Social registries",
                        "es": "Registros sociales",
                        "fr": "Registres sociaux",
                    },
                },
            ],
        },
        {
            "key": "score",
            "type": "scale",
            "min": 0,
            "max": 10,
            "min_label": {"en": "Not at all", "es": "Nada", "fr": "Pas du tout"},
            "max_label": {"en": "Extremely", "es": "Muchísimo", "fr": "Énormément"},
            "text": {
                "en": "How likely are you to recommend Baraza's webinars?",
                "es": "¿Recomendaría los webinarios de Baraza?",
                "fr": "Recommanderiez-vous les webinaires de Baraza ?",
            },
        },
    ],
}


def seed_surveys() -> dict:
    partner = Member.objects.filter(email__iexact=DEMO_PARTNER_EMAIL).first()
    if partner is None:
        return {"surveys": Survey.objects.count(), "created": 0}
    if Survey.objects.filter(owner=partner, title__en=DEMO_SLUG_TITLE).exists():
        return {"surveys": Survey.objects.count(), "created": 0}
    survey = survey_import(owner=partner, spec=survey_spec_read(DEMO_SURVEY))
    survey = survey_open(survey=survey, actor=partner, public_link=True)
    Survey.objects.filter(pk=survey.pk).update(results_published=True)
    questions = questions_of(survey)
    rng = random.Random(13)
    members = list(
        Member.objects.filter(email__endswith="@demo.baraza.example").order_by("email")[:60]
    )
    for member in members:
        role = rng.choice(["gov", "gov", "ngo", "other"])
        answers = {
            "role": (role, ""),
            "topics": (rng.sample(["cash", "pensions", "registries"], rng.randint(1, 2)), ""),
            "score": (rng.randint(4, 10), ""),
        }
        if role == "other":
            answers["why"] = (rng.choice(["University", "Trade union", "Consultancy"]), "")
        response_save(
            survey=survey,
            respondent=Respondent(
                identity=f"m:{member.pk}", language=member.language, member=member
            ),
            questions=questions,
            answers=answers,
            submit=True,
        )
    return {"surveys": Survey.objects.count(), "created": 1}
