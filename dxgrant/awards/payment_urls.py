"""/staff/awards/payments/: finance's payment batches (views/payments.py)."""

from django.urls import URLPattern, path

from .views import payments

app_name = "payments"

urlpatterns: list[URLPattern] = [
    path("", payments.batch_list, name="batches"),
    path("prepare/", payments.prepare, name="prepare"),
    path("<int:pk>/", payments.batch_detail, name="batch"),
    path("<int:pk>/approve/", payments.approve, name="approve"),
    path("<int:pk>/download/", payments.download, name="download"),
    path("<int:pk>/results/", payments.results, name="results"),
    path("<int:pk>/results/import/", payments.import_results, name="import_results"),
    path("<int:pk>/settle/", payments.settle, name="settle"),
]
