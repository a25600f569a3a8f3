from django.urls import include, path

app_name = "library"

# Each part of the library keeps its own URL module; names share the `library:` namespace.
urlpatterns = [
    path("", include("library.publication_urls")),
    path("glossary/", include("library.glossary_urls")),
    path("programmes/", include("library.programme_urls")),
]
