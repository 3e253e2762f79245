"""/applications/: the applicant's and advisor's pages. Parts are declared in their own modules."""

from django.urls import URLPattern, path

from . import plan_urls, views

app_name = "applications"

urlpatterns: list[URLPattern] = [
    path("", views.application_list, name="list"),
    path("from-engagement/<int:engagement_pk>/", views.from_engagement, name="from_engagement"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/profile/", views.profile_edit, name="profile"),
    path("<int:pk>/disclosure/", views.disclosure_edit, name="disclosure"),
    path("<int:pk>/disclosure/confirm/", views.disclosure_confirm, name="disclosure_confirm"),
    path("<int:pk>/declarations/", views.declarations_page, name="declarations"),
    path("<int:pk>/check/", views.check_answers, name="check"),
    path("<int:pk>/ready/", views.mark_ready, name="mark_ready"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/receipt/<int:number>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    *plan_urls.urlpatterns,
]
