from django.urls import path

from surveys import author_views as a
from surveys import views as v

app_name = "surveys"

urlpatterns = [
    path("", a.survey_list, name="list"),
    path("new/", a.survey_new, name="new"),
    path("import/", a.survey_import_view, name="import"),
    path("i/<str:token>/", v.invitation_respond, name="invitation"),
    path("p/<str:token>/", v.public_respond, name="public"),
    path("r/<slug:slug>/", a.published_results, name="published"),
    path("<slug:slug>/", a.survey_edit, name="edit"),
    path("<slug:slug>/preview/", v.preview, name="preview"),
    path("<slug:slug>/export/", a.survey_export, name="export"),
    path("<slug:slug>/copy/", a.survey_copy, name="copy"),
    path("<slug:slug>/action/", a.survey_action, name="action"),
    path("<slug:slug>/send/", a.survey_send, name="send"),
    path("<slug:slug>/send-list/", a.survey_send_list, name="send_list"),
    path("<slug:slug>/feedback/", a.survey_feedback, name="feedback"),
    path("<slug:slug>/reorder/", a.survey_reorder, name="reorder"),
    path("<slug:slug>/questions/new/", a.question_add, name="question_add"),
    path("<slug:slug>/questions/<int:pk>/", a.question_edit, name="question_edit"),
    path("<slug:slug>/questions/<int:pk>/move/", a.question_move, name="question_move"),
    path("<slug:slug>/questions/<int:pk>/delete/", a.question_delete, name="question_delete"),
    path("<slug:slug>/sections/new/", a.section_edit, name="section_add"),
    path("<slug:slug>/sections/<int:pk>/", a.section_edit, name="section_edit"),
    path("<slug:slug>/sections/<int:pk>/action/", a.section_action, name="section_action"),
    path("<slug:slug>/results/", a.results, name="results"),
    path("<slug:slug>/results/csv/", a.results_csv, name="results_csv"),
    path("<slug:slug>/results/json/", a.results_json, name="results_json"),
    path("<slug:slug>/results/text/<slug:key>/", a.results_text, name="results_text"),
]
