from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("schedule/", views.schedule, name="schedule"),
    path("documents/", views.documents, name="documents"),
    path("faq/", views.faq, name="faq"),
    path("operator/", views.operator, name="operator"),
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_thanks, name="contact_thanks"),
    path("self-check/", views.self_check_start, name="self_check_start"),
    path("rounds/<slug:code>/self-check/", views.self_check, name="self_check"),
    path("rounds/<slug:code>/guidelines.pdf", views.guidelines_pdf, name="guidelines_pdf"),
]
