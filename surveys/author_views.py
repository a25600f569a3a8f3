"""Writing, sending and reading a survey: thin views over the services and results."""

from __future__ import annotations

import json
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.csv_export import csv_response
from core.languages import CONTENT_LANGUAGES, pick
from core.zones import format_instant, local_to_utc, to_zone
from surveys import results as R
from surveys.forms import (
    EmailListForm,
    ImportForm,
    QuestionForm,
    SectionForm,
    SurveyCreateForm,
    SurveySettingsForm,
)
from surveys.models import Question, Section, Survey
from surveys.permissions import can_edit, require_editor
from surveys.schema import survey_document, survey_spec_parse
from surveys.services import authoring, distribution
from surveys.services.responding import questions_of, survey_state

# The largest survey file imported (config.serve's request cap counts it).
IMPORT_MAX_BYTES = 2 * 1024 * 1024


def _survey(request, slug: str) -> Survey:
    survey = get_object_or_404(
        Survey.objects.select_related("owner", "community", "webinar"), slug=slug
    )
    require_editor(request.user, survey)
    return survey


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def survey_list(request):
    """Your surveys, the surveys you are asked to answer, and published results."""
    from surveys.models import Invitation

    language = request.LANGUAGE_CODE
    rows, invited = [], []
    if request.user.is_authenticated:
        surveys = Survey.objects.filter(owner=request.user).order_by("-updated_at")
        rows = [(s, pick(s.title, language).text, survey_state(s)) for s in surveys]
        invitations = Invitation.objects.filter(
            member=request.user, survey__status=Survey.Status.OPEN
        ).select_related("survey")
        invited = [
            (i, pick(i.survey.title, language).text)
            for i in invitations
            if survey_state(i.survey) == "open"
        ]
    published = [
        (s, pick(s.title, language).text)
        for s in Survey.objects.filter(results_published=True).order_by("-updated_at")[:50]
    ]
    return render(
        request,
        "surveys/list.html",
        {"rows": rows, "invited": invited, "published": published},
    )


@login_required
def survey_new(request):
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = authoring.survey_create(
                owner=request.user,
                title=form.texts("title"),
                anonymous=form.cleaned_data["anonymous"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("surveys:edit", survey.slug)
    return render(request, "surveys/new.html", {"form": form, "import_form": ImportForm()})


@login_required
def survey_import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than 2 MB."))
        else:
            try:
                spec = survey_spec_parse(upload.read())
                survey = authoring.survey_import(owner=request.user, spec=spec)
            except ValidationError as error:
                for message in error.messages[:30]:
                    form.add_error("file", message)
            else:
                messages.success(request, _("The survey was imported as a draft."))
                return redirect("surveys:edit", survey.slug)
    return render(request, "surveys/new.html", {"form": SurveyCreateForm(), "import_form": form})


def _local(value: datetime | None, zone: str):
    return to_zone(value, zone).replace(tzinfo=None) if value else None


@login_required
def survey_edit(request, slug: str):
    survey = _survey(request, slug)
    questions = questions_of(survey)
    language = request.LANGUAGE_CODE
    sections = list(survey.sections.all())
    initial = {"anonymous": survey.anonymous, "zone": survey.zone}
    for code in CONTENT_LANGUAGES:
        initial[f"title_{code}"] = survey.title.get(code, "")
        initial[f"intro_{code}"] = survey.intro.get(code, "")
    initial["opens_at"] = _local(survey.opens_at, survey.zone)
    initial["closes_at"] = _local(survey.closes_at, survey.zone)
    form = SurveySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        zone = form.cleaned_data["zone"]
        d = form.cleaned_data

        def utc(value):
            return local_to_utc(value.replace(tzinfo=None), zone) if value else None

        try:
            authoring.survey_update(
                survey=survey,
                actor=request.user,
                title=form.texts("title"),
                intro=form.texts("intro"),
                anonymous=d["anonymous"],
                zone=zone,
                opens_at=utc(d["opens_at"]),
                closes_at=utc(d["closes_at"]),
                public_members_only=survey.public_members_only,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:edit", survey.slug)
    grouped = [(None, [q for q in questions if q.section_id is None])] + [
        (s, [q for q in questions if q.section_id == s.pk]) for s in sections
    ]
    grouped = [
        (
            s,
            pick(s.title, language).text if s else "",
            [(q, pick(q.text, language).text) for q in qs],
        )
        for s, qs in grouped
    ]
    from communities.models import Community, Membership
    from webinars.models import Webinar

    if request.user.is_platform_staff:
        communities = list(Community.objects.all()[:200])
        webinars = list(Webinar.objects.order_by("-created_at")[:200])
    else:
        communities = list(
            Community.objects.filter(
                memberships__member=request.user,
                memberships__role__in=[Membership.Role.OWNER, Membership.Role.MODERATOR],
            )
        )
        webinars = (
            list(
                Webinar.objects.filter(organizations=request.user.organization_id).order_by(
                    "-created_at"
                )[:200]
            )
            if request.user.is_partner_admin and request.user.organization_id
            else []
        )
    return render(
        request,
        "surveys/edit.html",
        {
            "survey": survey,
            "title": pick(survey.title, language).text,
            "form": form,
            "grouped": grouped,
            "state": survey_state(survey),
            "answered": survey.responses.exists(),
            "communities": communities,
            "webinars": webinars,
            "audiences": Survey.Audience.choices[1:],
            "list_form": EmailListForm(),
            "closes": format_instant(survey.closes_at, survey.zone) if survey.closes_at else "",
            "opens": format_instant(survey.opens_at, survey.zone) if survey.opens_at else "",
            "public_path": reverse("surveys:public", args=[survey.public_token])
            if survey.public_token
            else "",
            "invited": survey.invitations.count(),
        },
    )


def _question_page(request, survey: Survey, question: Question | None):
    questions = questions_of(survey)
    earlier = questions
    if question is not None:
        earlier = questions[: next(i for i, q in enumerate(questions) if q.pk == question.pk)]
    sections = list(survey.sections.all())
    initial = (
        QuestionForm.initial_of(question) if question else {"section": request.GET.get("section")}
    )
    form = QuestionForm(request.POST or None, initial=initial, sections=sections, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.question_save(
                survey=survey,
                actor=request.user,
                document=form.document(),
                question=question,
                section_id=form.cleaned_data.get("section"),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Question saved."))
            return redirect(f"{reverse('surveys:edit', args=[survey.slug])}#questions")
    return render(
        request,
        "surveys/question.html",
        {
            "survey": survey,
            "title": pick(survey.title, request.LANGUAGE_CODE).text,
            "form": form,
            "question": question,
        },
    )


@login_required
def question_add(request, slug: str):
    return _question_page(request, _survey(request, slug), None)


@login_required
def question_edit(request, slug: str, pk: int):
    survey = _survey(request, slug)
    return _question_page(request, survey, get_object_or_404(Question, survey=survey, pk=pk))


@login_required
@require_POST
def question_move(request, slug: str, pk: int):
    survey = _survey(request, slug)
    question = get_object_or_404(Question, survey=survey, pk=pk)
    try:
        authoring.question_move(
            survey=survey,
            actor=request.user,
            question=question,
            direction=-1 if request.POST.get("direction") == "up" else 1,
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect(f"{reverse('surveys:edit', args=[survey.slug])}#question-{pk}")


@login_required
@require_POST
def question_delete(request, slug: str, pk: int):
    survey = _survey(request, slug)
    question = get_object_or_404(Question, survey=survey, pk=pk)
    try:
        authoring.question_delete(survey=survey, actor=request.user, question=question)
    except ValidationError as error:
        _errors(request, error)
    return redirect(f"{reverse('surveys:edit', args=[survey.slug])}#questions")


@login_required
@require_POST
def survey_reorder(request, slug: str):
    """The editor's drag and keyboard moves: the whole order in one POST (`order`, every
    "s<id>" and "q<id>" in turn). JSON for the script; without it, back to the editor."""
    survey = _survey(request, slug)
    script = "application/json" in request.headers.get("Accept", "")
    try:
        authoring.survey_reorder(
            survey=survey, actor=request.user, order=request.POST.getlist("order")
        )
    except ValidationError as error:
        if script:
            return JsonResponse({"ok": False, "detail": " ".join(error.messages)}, status=400)
        _errors(request, error)
    else:
        if script:
            return JsonResponse({"ok": True, "detail": _("The new order is saved.")})
    return redirect(f"{reverse('surveys:edit', args=[survey.slug])}#questions")


@login_required
def section_edit(request, slug: str, pk: int | None = None):
    survey = _survey(request, slug)
    section = get_object_or_404(Section, survey=survey, pk=pk) if pk else None
    initial = {f"title_{c}": section.title.get(c, "") for c in CONTENT_LANGUAGES} if section else {}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.section_save(
                survey=survey,
                actor=request.user,
                title={c: form.cleaned_data[f"title_{c}"] for c in CONTENT_LANGUAGES},
                section=section,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect(f"{reverse('surveys:edit', args=[survey.slug])}#questions")
    return render(
        request,
        "surveys/section.html",
        {
            "survey": survey,
            "title": pick(survey.title, request.LANGUAGE_CODE).text,
            "form": form,
            "section": section,
        },
    )


@login_required
@require_POST
def section_action(request, slug: str, pk: int):
    survey = _survey(request, slug)
    section = get_object_or_404(Section, survey=survey, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "delete":
            authoring.section_delete(survey=survey, actor=request.user, section=section)
        else:
            authoring.section_move(
                survey=survey,
                actor=request.user,
                section=section,
                direction=-1 if action == "up" else 1,
            )
    except ValidationError as error:
        _errors(request, error)
    return redirect(f"{reverse('surveys:edit', args=[survey.slug])}#questions")


@login_required
def survey_export(request, slug: str):
    survey = _survey(request, slug)
    body = json.dumps(survey_document(survey), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.slug}.json"'
    return response


@login_required
@require_POST
def survey_copy(request, slug: str):
    survey = _survey(request, slug)
    copy = authoring.survey_copy(survey=survey, actor=request.user)
    messages.success(request, _("This is your copy, a draft."))
    return redirect("surveys:edit", copy.slug)


@login_required
@require_POST
def survey_action(request, slug: str):
    """Open, close, public link, reminder, publish results: one POST each."""
    survey = _survey(request, slug)
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "open":
            authoring.survey_open(
                survey=survey, actor=user, public_link=bool(request.POST.get("public"))
            )
            messages.success(request, _("The survey is open."))
        elif action == "close":
            authoring.survey_close(survey=survey, actor=user)
            messages.success(request, _("The survey is closed."))
        elif action == "public":
            authoring.survey_public_link_set(
                survey=survey,
                actor=user,
                enabled=bool(request.POST.get("public")),
                members_only=bool(request.POST.get("members_only")),
            )
            messages.success(request, _("The public link is updated."))
        elif action == "remind":
            n = distribution.survey_remind(survey=survey, actor=user)
            messages.success(request, _("A reminder is on its way to %(n)d people.") % {"n": n})
        elif action == "publish":
            authoring.survey_results_publish(
                survey=survey, actor=user, published=bool(request.POST.get("published"))
            )
            messages.success(request, _("Saved."))
        else:
            raise Http404
    except ValidationError as error:
        _errors(request, error)
    return redirect("surveys:edit", survey.slug)


@login_required
@require_POST
def survey_send(request, slug: str):
    from communities.models import Community
    from webinars.models import Webinar

    survey = _survey(request, slug)
    audience = request.POST.get("audience", "")
    community = webinar = None
    if audience == Survey.Audience.COMMUNITY:
        community = Community.objects.filter(pk=_int(request.POST.get("community"))).first()
    elif audience in (
        Survey.Audience.REGISTRANTS,
        Survey.Audience.ATTENDEES,
        Survey.Audience.NO_SHOWS,
    ):
        webinar = Webinar.objects.filter(pk=_int(request.POST.get("webinar"))).first()
    try:
        n = distribution.survey_send(
            survey=survey,
            actor=request.user,
            audience=audience,
            community=community,
            webinar=webinar,
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Invitations are on their way to %(n)d people.") % {"n": n})
    return redirect("surveys:edit", survey.slug)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def survey_send_list(request, slug: str):
    survey = _survey(request, slug)
    form = EmailListForm(request.POST)
    if form.is_valid():
        try:
            n = distribution.survey_send_to_list(
                survey=survey, actor=request.user, text=form.cleaned_data["emails"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Invitations are on their way to %(n)d people.") % {"n": n})
    else:
        messages.error(request, _("Give at least one email address."))
    return redirect("surveys:edit", survey.slug)


@login_required
@require_POST
def survey_feedback(request, slug: str):
    from webinars.models import Webinar

    survey = _survey(request, slug)
    webinar = Webinar.objects.filter(pk=_int(request.POST.get("webinar"))).first()
    if webinar is None:
        messages.error(request, _("Choose a webinar."))
    else:
        try:
            distribution.feedback_attach(survey=survey, actor=request.user, webinar=webinar)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The webinar's follow-up emails will carry each attendee's link to this survey."),
            )
    return redirect("surveys:edit", survey.slug)


# --- results -----------------------------------------------------------------------------


def _results_context(request, survey: Survey, *, by: str = "") -> dict:
    language = request.LANGUAGE_CODE
    questions = questions_of(survey)
    total, tallies = R.tallies(survey, questions)
    texts = R.option_texts(questions)
    charts = []
    for tally in tallies:
        q = tally.question
        matrix = q.type == Question.Type.MATRIX
        charts.append(
            {
                "tally": tally,
                "text": pick(q.text, language).text,
                "chart": R.tally_chart(tally, language, texts)
                if q.type in R.CHARTED and not matrix
                else None,
                "rows": R.matrix_charts(tally, language, texts) if matrix else [],
                "free": q.type in (Question.Type.TEXT, Question.Type.LONG_TEXT) or q.allow_other,
            }
        )
    by_title, tabs = R.cross_tabs(survey, questions, by=by, language=language) if by else ("", [])
    return {
        "survey": survey,
        "title": pick(survey.title, language).text,
        "total": total,
        "charts": charts,
        "by": by,
        "by_title": by_title,
        "tabs": tabs,
        "dimensions": R.dimension_names(),
        "by_questions": R.by_question_choices(questions, language),
        "small_cell": R.SMALL_CELL,
    }


@login_required
def results(request, slug: str):
    survey = _survey(request, slug)
    context = _results_context(request, survey, by=request.GET.get("by", ""))
    rate = R.response_rate(survey)
    context.update({"rate": rate, "per_day": R.per_day_chart(rate), "author": True})
    return render(request, "surveys/results.html", context)


def published_results(request, slug: str):
    survey = get_object_or_404(Survey, slug=slug)
    if not survey.results_published and not can_edit(request.user, survey):
        raise Http404
    context = _results_context(request, survey, by=request.GET.get("by", ""))
    context["author"] = False
    return render(request, "surveys/results.html", context)


@login_required
def results_csv(request, slug: str):
    survey = _survey(request, slug)
    questions = questions_of(survey)
    columns = R.csv_columns(survey, questions)
    return csv_response(f"survey-{survey.slug}.csv", columns.header, R.csv_rows(survey, columns))


@login_required
def results_json(request, slug: str):
    survey = _survey(request, slug)
    return HttpResponse(
        json.dumps(R.results_document(survey), ensure_ascii=False), content_type="application/json"
    )


@login_required
def results_text(request, slug: str, key: str):
    survey = _survey(request, slug)
    question = get_object_or_404(Question, survey=survey, key=key)
    if request.method == "POST":
        authoring.answer_hide(
            survey=survey,
            actor=request.user,
            answer_id=_int(request.POST.get("answer")) or 0,
            hidden=request.POST.get("hidden") == "1",
        )
        return redirect(f"{request.path}?{urlencode({'q': request.POST.get('q', '')})}")
    search = request.GET.get("q", "").strip()[:100]
    answers = R.free_texts(survey, question, search=search, include_hidden=True)
    return render(
        request,
        "surveys/texts.html",
        {
            "survey": survey,
            "title": pick(survey.title, request.LANGUAGE_CODE).text,
            "question_text": pick(question.text, request.LANGUAGE_CODE).text,
            "question": question,
            "answers": answers,
            "q": search,
        },
    )
