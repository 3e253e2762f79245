from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from dxgrant.accounts.views import ActivateTOTPAndContinue, RecoveryCodesAndContinue
from dxgrant.api.urls import api

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    # Before allauth's own: the same address, returning to the page that asked for enrolment.
    path("accounts/2fa/totp/activate/", ActivateTOTPAndContinue.as_view()),
    path("accounts/2fa/recovery-codes/", RecoveryCodesAndContinue.as_view()),  # the way back, once
    path("accounts/", include("allauth.urls")),
    path("me/", include("dxgrant.accounts.urls")),
    path("staff/", include("dxgrant.public.staff_urls")),
    path("advisors/", include("dxgrant.advisors.urls")),
    path("firm/", include("dxgrant.advisors.team_urls")),
    path("support/", include("dxgrant.support.urls")),
    path("", include("dxgrant.awards.notice_urls")),
    path("applications/", include("dxgrant.applications.urls")),
    path("", include("dxgrant.awards.urls")),  # payee: acceptance and payee account pages
    path("", include("dxgrant.reporting.plan_urls")),  # plan changes
    path("staff/applications/", include("dxgrant.applications.staff_urls")),
    path("staff/decisions/", include("dxgrant.decisions.urls")),
    path("staff/awards/payments/", include("dxgrant.awards.payment_urls")),
    path("staff/awards/", include("dxgrant.awards.cancellation_urls")),  # cancellation and repayment
    path("", include("dxgrant.decisions.public_urls")),
    path("staff/dashboard/", include("dxgrant.reporting.dashboard_urls")),
    path("staff/reminders/", include("dxgrant.reporting.reminder_urls")),
    path("staff/exports/", include("dxgrant.exports.urls")),
    path("staff/surveys/", include("dxgrant.surveys.staff_urls")),
    path("", include("dxgrant.surveys.urls")),  # the applicant's survey pages
    path("", include("dxgrant.reporting.kpi_urls")),  # KPI verification: company and cohort pages
    path("", include("dxgrant.reporting.support_urls")),  # monthly support reports
    path("", include("dxgrant.reporting.results_urls")),  # results report: applicant, advisor, secretariat
    path("staff/review/", include("dxgrant.review.staff_urls")),
    path("review/", include("dxgrant.review.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("dxgrant.public.urls")),
]

handler500 = "dxgrant.core.views.server_error"
