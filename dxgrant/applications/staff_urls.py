"""/staff/applications/: the secretariat's and auditors' pages (views/staff.py)."""

from django.urls import URLPattern, path

from .views import screening, staff

app_name = "staff_applications"

urlpatterns: list[URLPattern] = [
    path("", staff.application_list, name="list"),
    path("firms/", staff.firm_suggestions, name="firm_suggestions"),
    path("screening/", screening.screening_queue, name="screening_queue"),
    path("<int:pk>/", staff.application_detail, name="detail"),
    path("<int:pk>/application.pdf", staff.application_pdf, name="pdf"),
    path("<int:pk>/diff/", staff.application_diff, name="diff"),
    path("<int:pk>/versions/<int:number>/", staff.version_detail, name="version"),
    path("<int:pk>/begin-screening/", staff.begin_screening, name="begin_screening"),
    path("<int:pk>/return/", staff.return_for_correction, name="return"),
    path("<int:pk>/screening/", screening.checklist, name="screening"),
    path("<int:pk>/screening/items/<slug:code>/", screening.confirm_item, name="screening_confirm"),
    path("<int:pk>/screening/pass/", screening.pass_screening, name="screening_pass"),
    path("<int:pk>/screening/reject/", screening.reject, name="screening_reject"),
]
