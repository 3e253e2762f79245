from django.urls import URLPattern

app_name = "advisors"

urlpatterns: list[URLPattern] = []
