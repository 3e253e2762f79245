"""/applications/: the applicant's and advisor's pages (views/, one module per use case)."""

from django.urls import URLPattern, path

from .views import budget, declarations, disclosure, documents, plan, profile, submission, tasklist

app_name = "applications"

urlpatterns: list[URLPattern] = [
    path("", tasklist.application_list, name="list"),
    path("from-engagement/<int:engagement_pk>/", tasklist.from_engagement, name="from_engagement"),
    path("<int:pk>/", tasklist.detail, name="detail"),
    path("<int:pk>/check/", tasklist.check_answers, name="check"),
    path("<int:pk>/profile/", profile.profile_edit, name="profile"),
    path("<int:pk>/disclosure/", disclosure.disclosure_edit, name="disclosure"),
    path("<int:pk>/disclosure/confirm/", disclosure.disclosure_confirm, name="disclosure_confirm"),
    path("<int:pk>/declarations/", declarations.declarations_page, name="declarations"),
    path("<int:pk>/ready/", submission.mark_ready, name="mark_ready"),
    path("<int:pk>/confirm/", submission.confirm, name="confirm"),
    path("<int:pk>/reopen/", submission.reopen, name="reopen"),
    path("<int:pk>/receipt/", submission.receipt, name="receipt"),
    path("<int:pk>/receipt/<int:number>.pdf", submission.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/withdraw/", submission.withdraw, name="withdraw"),
    path("<int:pk>/plan/", plan.plan_overview, name="plan"),
    path("<int:pk>/plan/<slug:code>/", plan.plan_section, name="plan_section"),
    path("<int:pk>/budget/", budget.budget_page, name="budget"),
    path("<int:pk>/budget/lines/new/", budget.budget_line_add, name="budget_line_add"),
    path("<int:pk>/budget/lines/<int:line_pk>/", budget.budget_line_edit, name="budget_line_edit"),
    path("<int:pk>/budget/lines/<int:line_pk>/delete/", budget.budget_line_delete, name="budget_line_delete"),
    path(
        "<int:pk>/budget/lines/<int:line_pk>/quotes/", budget.budget_quote_upload, name="budget_quote_upload"
    ),
    path(
        "<int:pk>/budget/lines/<int:line_pk>/choice/", budget.budget_quote_choose, name="budget_quote_choose"
    ),
    path("<int:pk>/documents/", documents.documents, name="documents"),
    path("<int:pk>/documents/upload/", documents.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:doc_pk>/", documents.document_download, name="document_download"),
    path("<int:pk>/documents/<int:doc_pk>/delete/", documents.document_delete, name="document_delete"),
]
