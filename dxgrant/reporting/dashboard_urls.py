"""/staff/dashboard/: the programme's figures for the association's staff (views/dashboard.py)."""

from django.urls import URLPattern, path

from .views import dashboard

app_name = "dashboard"

urlpatterns: list[URLPattern] = [
    path("", dashboard.dashboard, name="dashboard"),
]
