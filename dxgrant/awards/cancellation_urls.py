"""/staff/awards/…: cancelling an award and the repayment demands (views/cancellation.py)."""

from django.urls import URLPattern, path

from .views import cancellation

app_name = "cancellation"

urlpatterns: list[URLPattern] = [
    path("applications/<int:pk>/cancel/", cancellation.cancel, name="cancel"),
    path("repayments/", cancellation.repayments, name="repayments"),
    path("repayments/<int:pk>/", cancellation.record, name="record"),
]
