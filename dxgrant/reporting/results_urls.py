"""The results report (実績報告): the applicant's and the advisor's pages under
/applications/<pk>/results/, the secretariat's under /staff/results-reports/."""

from django.urls import URLPattern, path

from .views import results_reports, results_review

app_name = "results_report"

urlpatterns: list[URLPattern] = [
    path("applications/<int:pk>/results/", results_reports.edit, name="edit"),
    path("applications/<int:pk>/results/ready/", results_reports.mark_ready, name="ready"),
    path("applications/<int:pk>/results/confirm/", results_reports.confirm, name="confirm"),
    path(
        "applications/<int:pk>/results/evidence/<int:evidence_pk>/", results_reports.evidence, name="evidence"
    ),
    path(
        "applications/<int:pk>/results/evidence/<int:evidence_pk>/remove/",
        results_reports.remove_evidence,
        name="remove_evidence",
    ),
    path("staff/results-reports/", results_review.reports, name="staff_list"),
    path("staff/results-reports/<int:report_pk>/", results_review.review, name="staff_review"),
]
