from django.urls import path, re_path

from .views import register, registration, review

app_name = "advisors"

urlpatterns = [
    # The public register (認定事業者の確認)
    path("", register.register, name="register"),
    # Registration by a firm
    path("registration/", registration.my_registration, name="my_registration"),
    path("registration/start/", registration.registration_start, name="registration_start"),
    path("registration/start/sent/", registration.registration_sent, name="registration_sent"),
    path("registration/<int:pk>/", registration.registration, name="registration"),
    path("registration/<int:pk>/submit/", registration.registration_submit, name="registration_submit"),
    path(
        "registration/<int:pk>/documents/<int:doc_pk>/",
        registration.document_download,
        name="document_download",
    ),
    path(
        "registration/<int:pk>/documents/<int:doc_pk>/delete/",
        registration.document_delete,
        name="document_delete",
    ),
    path(
        "registration/<int:pk>/<slug:section>/",
        registration.registration_section,
        name="registration_section",
    ),
    # Review and certification by the secretariat
    path("review/", review.review_queue_view, name="review_queue"),
    path("review/<int:pk>/", review.review_detail, name="review_detail"),
    path("review/<int:pk>/decision/", review.review_decision, name="review_decision"),
    # One firm on the register, by its certification number (e.g. DXA-2026-00042)
    re_path(
        r"^(?P<certification_number>[A-Za-z]{2,5}-[0-9]{4}-[0-9]{5,})/$",
        register.register_detail,
        name="register_detail",
    ),
]
