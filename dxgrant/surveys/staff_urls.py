"""The secretariat's survey pages (/staff/surveys/)."""

from django.urls import URLPattern, path

from .views import staff

app_name = "surveys_staff"

urlpatterns: list[URLPattern] = [
    path("", staff.survey_list, name="list"),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/edit/", staff.edit, name="edit"),
    path("<int:pk>/sections/", staff.add_section, name="add_section"),
    path("<int:pk>/questions/", staff.add_question, name="add_question"),
    path("<int:pk>/questions/<int:question_pk>/remove/", staff.remove_question, name="remove_question"),
    path("<int:pk>/send/", staff.send, name="send"),
    path("<int:pk>/questions/<int:question_pk>/move/", staff.move_question, name="move_question"),
    path("<int:pk>/responses/<int:invitation_pk>/", staff.response, name="response"),
]
