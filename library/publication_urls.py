from django.urls import path

from library import publication_views as views

urlpatterns = [
    path("", views.library_home, name="publications"),
    path("export.csv", views.search_export, name="publications_export"),
    path("submit/", views.publication_submit, name="submit"),
    path("mine/", views.my_submissions, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/download/", views.publication_download, name="download"),
    path("<int:pk>/cover.png", views.publication_cover, name="cover"),
    path("<int:pk>/cite.ris", views.publication_cite, {"style": "ris"}, name="cite_ris"),
    path("<int:pk>/cite.bib", views.publication_cite, {"style": "bib"}, name="cite_bibtex"),
    path("<int:pk>/cite.txt", views.publication_cite, {"style": "txt"}, name="cite_text"),
    path("<int:pk>/edit/", views.publication_edit, name="edit"),
    path("<int:pk>/review/", views.review_page, name="review"),
    path("<int:pk>/review/act/", views.review_act, name="review_act"),
]
