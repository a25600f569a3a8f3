"""Answering a survey: the personal invitation link, the public link, the preview."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.languages import CONTENT_LANGUAGES, pick
from core.ratelimit import allow, client_ip
from core.zones import format_instant
from surveys.forms import SurveyForm, initial_from_answers
from surveys.models import Answer, Invitation, Response, Survey
from surveys.permissions import require_editor
from surveys.services.responding import (
    Respondent,
    questions_of,
    response_find,
    response_save,
    survey_state,
)

COOKIE_PREFIX = "baraza_survey_"
COOKIE_AGE = 400 * 24 * 3600


def _language(request, invitation: Invitation | None = None) -> str:
    chosen = request.GET.get("lang") or request.POST.get("lang")
    if chosen in CONTENT_LANGUAGES:
        return chosen
    if request.user.is_authenticated:
        return request.user.language
    if invitation is not None and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        return invitation.language
    return translation.get_language() or "en"


def invitation_respond(request, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("survey", "member").filter(token=token).first()
    if invitation is None:
        raise Http404
    language = _language(request, invitation)
    if invitation.member_id is not None:
        identity = f"m:{invitation.member_id}"
        member = invitation.member
    else:
        identity = f"i:{invitation.pk}"
        member = None
    respondent = Respondent(
        identity=identity, language=language, member=member, invitation=invitation
    )
    return _respond(request, invitation.survey, respondent, action=request.path)


def public_respond(request, token: str) -> HttpResponse:
    survey = Survey.objects.filter(public_token=token).first()
    if survey is None:
        raise Http404
    language = _language(request)
    if request.user.is_authenticated:
        respondent = Respondent(
            identity=f"m:{request.user.pk}", language=language, member=request.user
        )
        return _respond(request, survey, respondent, action=request.path)
    if survey.public_members_only:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    cookie_name = f"{COOKIE_PREFIX}{survey.pk}"
    cookie = request.COOKIES.get(cookie_name, "")
    fresh = len(cookie) < 20
    if fresh:
        cookie = secrets.token_urlsafe(24)
        if request.method == "POST" and not allow(
            f"survey-public-{survey.pk}", client_ip(request), settings.SURVEY_PUBLIC_RATE_PER_IP
        ):
            return render(
                request,
                "surveys/closed.html",
                {"survey": survey, "title": pick(survey.title, language).text, "reason": "rate"},
                status=429,
            )
    respondent = Respondent(identity=f"c:{cookie}", language=language)
    response = _respond(request, survey, respondent, action=request.path)
    if fresh and request.method == "POST" and response.status_code in (200, 302):
        response.set_cookie(cookie_name, cookie, max_age=COOKIE_AGE, httponly=True, samesite="Lax")
    return response


def preview(request, slug: str) -> HttpResponse:
    """The author sees the form as a respondent would, in any language; nothing is kept."""
    survey = get_object_or_404(Survey, slug=slug)
    require_editor(request.user, survey)
    language = _language(request)
    questions = questions_of(survey)
    with translation.override(language):
        form = SurveyForm(
            request.POST or None,
            questions=questions,
            language=language,
            seed="preview",
            submit=True,
        )
        checked = request.method == "POST" and form.is_valid()
        return render(
            request,
            "surveys/respond.html",
            _page(survey, form, language, preview=True, checked=checked, action=request.path),
        )


def _page(survey: Survey, form: SurveyForm, language: str, **extra) -> dict:
    closes = ""
    if survey.closes_at:
        closes = format_instant(survey.closes_at, survey.zone)
    titles = {s.pk: pick(s.title, language).text for s in survey.sections.all()}
    groups: list[tuple[str, list]] = []
    current: object = object()
    for item in form.shown():
        section_id = item.question.section_id
        if section_id != current:
            groups.append((titles.get(section_id, "") if section_id else "", []))
            current = section_id
        groups[-1][1].append(item)
    return {
        "survey": survey,
        "title": pick(survey.title, language).text,
        "intro": pick(survey.intro, language).text,
        "form": form,
        "groups": groups,
        "language": language,
        "languages": CONTENT_LANGUAGES,
        "closes": closes,
        **extra,
    }


def _respond(request, survey: Survey, respondent: Respondent, *, action: str) -> HttpResponse:
    language = respondent.language
    with translation.override(language):
        state = survey_state(survey)
        if state != "open":
            status = 410 if state == "closed" else 403
            return render(
                request,
                "surveys/closed.html",
                {
                    "survey": survey,
                    "title": pick(survey.title, language).text,
                    "reason": state,
                    "opens": format_instant(survey.opens_at, survey.zone)
                    if survey.opens_at
                    else "",
                },
                status=status,
            )
        questions = questions_of(survey)
        existing = response_find(survey, respondent)
        seed = existing.respondent_key if existing else respondent.identity
        if request.method == "POST":
            submit = request.POST.get("action") != "save"
            form = SurveyForm(
                request.POST, questions=questions, language=language, seed=seed, submit=submit
            )
            if form.is_valid():
                try:
                    response = response_save(
                        survey=survey,
                        respondent=respondent,
                        questions=questions,
                        answers=form.answers,
                        submit=submit,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    if submit:
                        return render(
                            request,
                            "surveys/thanks.html",
                            {
                                "survey": survey,
                                "title": pick(survey.title, language).text,
                                "action": action,
                                "response": response,
                            },
                        )
                    messages.success(
                        request,
                        _(
                            "Your answers are saved. Come back to this page to continue "
                            "before the survey closes."
                        ),
                    )
                    return redirect(f"{action}?lang={language}")
        else:
            initial = {}
            if existing is not None:
                initial = initial_from_answers(questions, Answer.objects.filter(response=existing))
            form = SurveyForm(
                initial=initial, questions=questions, language=language, seed=seed, submit=True
            )
        return render(
            request,
            "surveys/respond.html",
            _page(
                survey,
                form,
                language,
                action=action,
                existing=existing,
                submitted=existing is not None and existing.status == Response.Status.SUBMITTED,
            ),
        )
