"""The KPI verification pages (views/kpi.py): the company's, under /applications/<pk>/kpi/, and
the secretariat's cohort, /staff/kpi/."""

from django.urls import URLPattern, path

from .views import kpi

app_name = "kpi"

urlpatterns: list[URLPattern] = [
    path("applications/<int:pk>/kpi/", kpi.company, name="company"),
    path("applications/<int:pk>/kpi/<int:year>/", kpi.file_year, name="file"),
    path("staff/kpi/", kpi.cohort, name="cohort"),
]
