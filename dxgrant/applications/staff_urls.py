"""/staff/applications/: the secretariat's and auditors' pages (staff_views)."""

from django.urls import URLPattern, path

from . import staff_views

app_name = "staff_applications"

urlpatterns: list[URLPattern] = [
    path("", staff_views.application_list, name="list"),
    path("<int:pk>/", staff_views.application_detail, name="detail"),
    path("<int:pk>/application.pdf", staff_views.application_pdf, name="pdf"),
    path("<int:pk>/diff/", staff_views.application_diff, name="diff"),
    path("<int:pk>/versions/<int:number>/", staff_views.version_detail, name="version"),
    path("<int:pk>/begin-screening/", staff_views.begin_screening, name="begin_screening"),
    path("<int:pk>/return/", staff_views.return_for_correction, name="return"),
]
