"""Plan changes (計画変更): the applicant's and advisor's pages under /applications/<pk>/plan-changes/,
the secretariat's under /staff/plan-changes/."""

from django.urls import URLPattern, path

from .views import plan_changes

app_name = "plans"

urlpatterns: list[URLPattern] = [
    path("applications/<int:pk>/plan-changes/", plan_changes.plan, name="plan"),
    path("applications/<int:pk>/plan-changes/new/", plan_changes.request_change, name="request"),
    path("staff/plan-changes/", plan_changes.staff_list, name="staff_list"),
    path("staff/plan-changes/<int:pk>/", plan_changes.staff_detail, name="staff_detail"),
    path("staff/plan-changes/<int:pk>/decide/", plan_changes.staff_decide, name="staff_decide"),
]
