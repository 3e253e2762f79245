"""/staff/exports/: list exports (views/lists.py) and background export jobs (views/jobs.py)."""

from django.urls import URLPattern, path

from .views import jobs, lists

app_name = "exports"

urlpatterns: list[URLPattern] = [
    path("jobs/<int:pk>/", jobs.job, name="job"),
    path("jobs/<int:pk>/download/", jobs.download, name="download"),
    path("<slug:code>/<slug:fmt>/", lists.export, name="export"),
]
