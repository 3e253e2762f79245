from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("inquiries/", views.inquiry_inbox, name="inquiry_inbox"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
]
