from django.urls import path

from library import programme_views as views

urlpatterns = [
    path("", views.programmes, name="programmes"),
    path("countries/<str:code>/", views.country, name="country"),
    path("<slug:slug>/", views.programme, name="programme"),
]
