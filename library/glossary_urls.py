from django.urls import path, re_path

from library import glossary_views as views

urlpatterns = [
    path("", views.glossary, name="glossary"),
    path("export.csv", views.glossary_export, name="glossary_export"),
    path("import/", views.glossary_import, name="glossary_import"),
    re_path(
        r"^(?P<language>en|es|fr)/(?P<slug>[-a-z0-9]+)/$", views.glossary_term, name="glossary_term"
    ),
]
