from django.urls import URLPattern

app_name = "firm"

urlpatterns: list[URLPattern] = []
