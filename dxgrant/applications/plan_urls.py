"""The plan, the budget and the documents of an application (spliced into the "applications" namespace)."""

from django.urls import URLPattern, path

from . import budget_views, document_views, plan_views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/plan/", plan_views.plan_overview, name="plan"),
    path("<int:pk>/plan/<slug:code>/", plan_views.plan_section, name="plan_section"),
    path("<int:pk>/budget/", budget_views.budget_page, name="budget"),
    path("<int:pk>/budget/lines/new/", budget_views.budget_line_add, name="budget_line_add"),
    path("<int:pk>/budget/lines/<int:line_pk>/", budget_views.budget_line_edit, name="budget_line_edit"),
    path(
        "<int:pk>/budget/lines/<int:line_pk>/delete/",
        budget_views.budget_line_delete,
        name="budget_line_delete",
    ),
    path(
        "<int:pk>/budget/lines/<int:line_pk>/quotes/",
        budget_views.budget_quote_upload,
        name="budget_quote_upload",
    ),
    path("<int:pk>/documents/", document_views.documents, name="documents"),
    path("<int:pk>/documents/upload/", document_views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:doc_pk>/", document_views.document_download, name="document_download"),
    path("<int:pk>/documents/<int:doc_pk>/delete/", document_views.document_delete, name="document_delete"),
]
