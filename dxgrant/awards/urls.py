"""The applicant's acceptance and payee account pages (under /applications/<pk>/) and the
secretariat's payee pages (under /staff/awards/payee/)."""

from django.urls import URLPattern, path

from .views import acceptance, payee, payee_staff

app_name = "payee"

urlpatterns: list[URLPattern] = [
    path("applications/<int:pk>/acceptance/", acceptance.accept, name="accept"),
    path("applications/<int:pk>/payee/", payee.account, name="account"),
    path("applications/<int:pk>/payee/suggest/", payee.suggest, name="suggest"),
    path("staff/awards/payee/changes/", payee_staff.changes, name="staff_changes"),
    path(
        "staff/awards/payee/<int:account_pk>/acknowledge/", payee_staff.acknowledge, name="staff_acknowledge"
    ),
    path("staff/awards/payee/applications/<int:pk>/override/", payee_staff.override, name="staff_override"),
]
