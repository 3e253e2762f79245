"""/staff/decisions/: the committee's pages (views/)."""

from django.urls import URLPattern, path

from .views import applications, committee, exports

app_name = "decisions"

urlpatterns: list[URLPattern] = [
    path("", committee.round_list, name="rounds"),
    path("<slug:code>/", committee.committee, name="committee"),
    path("<slug:code>/budget/", committee.edit_budget, name="budget"),
    path("<slug:code>/meeting/", applications.meeting, name="meeting"),
    path("<slug:code>/decide/", committee.decide, name="decide"),
    path("<slug:code>/publish/", committee.publish, name="publish"),
    path("<slug:code>/applications/<int:pk>/", applications.aggregation, name="aggregation"),
    path("<slug:code>/applications/<int:pk>/override/", applications.override, name="override"),
    path("<slug:code>/export/<str:kind>.<str:fmt>", exports.export, name="export"),
]
