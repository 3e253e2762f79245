"""/applications/: the applicant's and advisor's pages. Parts are declared in their own modules."""

from django.urls import URLPattern

from . import plan_urls

app_name = "applications"

urlpatterns: list[URLPattern] = [*plan_urls.urlpatterns]
