from django.urls import URLPattern

app_name = "staff_applications"

urlpatterns: list[URLPattern] = []
