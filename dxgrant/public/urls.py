from django.urls import path

from .views import contact, site

app_name = "public"

urlpatterns = [
    path("", site.home, name="home"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("about/", site.about, name="about"),
    path("eligibility/", site.eligibility, name="eligibility"),
    path("schedule/", site.schedule, name="schedule"),
    path("documents/", site.documents, name="documents"),
    path("faq/", site.faq, name="faq"),
    path("operator/", site.operator, name="operator"),
    path("contact/", contact.contact_form, name="contact"),
    path("contact/thanks/", contact.contact_thanks, name="contact_thanks"),
    path("self-check/", site.self_check_start, name="self_check_start"),
    path("rounds/<slug:code>/self-check/", site.self_check, name="self_check"),
    path("rounds/<slug:code>/guidelines.pdf", site.guidelines_pdf, name="guidelines_pdf"),
]
