from django.urls import path, re_path

from . import views

app_name = "advisors"

urlpatterns = [
    # The public register (認定事業者の確認)
    path("", views.register, name="register"),
    # Registration by a firm
    path("registration/", views.my_registration, name="my_registration"),
    path("registration/start/", views.registration_start, name="registration_start"),
    path("registration/start/sent/", views.registration_sent, name="registration_sent"),
    path("registration/<int:pk>/", views.registration, name="registration"),
    path("registration/<int:pk>/submit/", views.registration_submit, name="registration_submit"),
    path("registration/<int:pk>/documents/<int:doc_pk>/", views.document_download, name="document_download"),
    path(
        "registration/<int:pk>/documents/<int:doc_pk>/delete/", views.document_delete, name="document_delete"
    ),
    path("registration/<int:pk>/<slug:section>/", views.registration_section, name="registration_section"),
    # Review and certification by the secretariat
    path("review/", views.review_queue_view, name="review_queue"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("review/<int:pk>/decision/", views.review_decision, name="review_decision"),
    # One firm on the register, by its certification number (e.g. DXA-2026-00042)
    re_path(
        r"^(?P<certification_number>[A-Za-z]{2,5}-[0-9]{4}-[0-9]{5,})/$",
        views.register_detail,
        name="register_detail",
    ),
]
