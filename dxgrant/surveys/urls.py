"""The applicant's survey pages, under the application's own URLs."""

from django.urls import URLPattern, path

from .views import respond

app_name = "surveys"

urlpatterns: list[URLPattern] = [
    path("applications/<int:pk>/surveys/<int:survey_pk>/", respond.respond, name="respond"),
    path(
        "applications/<int:pk>/surveys/<int:survey_pk>/sections/<int:section_pk>/",
        respond.section,
        name="section",
    ),
    path("applications/<int:pk>/surveys/<int:survey_pk>/submit/", respond.submit, name="submit"),
]
