"""The monthly support reports: an award's pages under /applications/<pk>/support-reports/ and
the secretariat's list at /staff/support-reports/ (views/support_reports.py)."""

from django.urls import URLPattern, path

from .views import support_reports

app_name = "support_reports"

urlpatterns: list[URLPattern] = [
    path("applications/<int:pk>/support-reports/", support_reports.months, name="months"),
    path(
        "applications/<int:pk>/support-reports/<int:year>/<int:month>/",
        support_reports.edit,
        name="edit",
    ),
    path("applications/<int:pk>/support-reports/<int:report_pk>/", support_reports.detail, name="detail"),
    path(
        "applications/<int:pk>/support-reports/<int:report_pk>/acknowledge/",
        support_reports.acknowledge,
        name="acknowledge",
    ),
    path(
        "applications/<int:pk>/support-reports/<int:report_pk>/dispute/",
        support_reports.dispute,
        name="dispute",
    ),
    path("staff/support-reports/", support_reports.staff_list, name="staff_list"),
]
