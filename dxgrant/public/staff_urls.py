from django.urls import path

from .views import inbox

app_name = "staff"

urlpatterns = [
    path("inquiries/", inbox.inquiry_inbox, name="inquiry_inbox"),
    path("inquiries/<int:pk>/", inbox.inquiry_detail, name="inquiry_detail"),
]
