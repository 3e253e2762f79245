"""/rounds/<code>/results/: the published results (views/results.py)."""

from django.urls import URLPattern, path

from .views import results

app_name = "results"

urlpatterns: list[URLPattern] = [
    path("rounds/<slug:code>/results/", results.results, name="round"),
]
