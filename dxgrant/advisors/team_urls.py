"""A firm's own pages (namespace "firm", under /firm/): its people, joining, the advisor course."""

from django.urls import path

from .views import course, team

app_name = "firm"

urlpatterns = [
    path("", team.firm_home, name="home"),
    path("invitations/", team.invite, name="invite"),
    path("invitations/<int:pk>/revoke/", team.revoke_invitation, name="revoke_invitation"),
    path("members/<int:pk>/remove/", team.remove_member, name="remove_member"),
    path("join/<str:token>/", team.join, name="join"),
    path("course/", course.course_home, name="course"),
    path("course/quiz/", course.course_quiz, name="course_quiz"),
    path("course/<slug:code>/", course.course_module, name="course_module"),
]
