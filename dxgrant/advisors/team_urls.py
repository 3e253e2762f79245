from django.urls import path

from . import team_views

app_name = "firm"

urlpatterns = [
    path("", team_views.firm_home, name="home"),
    path("invitations/", team_views.invite, name="invite"),
    path("invitations/<int:pk>/revoke/", team_views.revoke_invitation, name="revoke_invitation"),
    path("members/<int:pk>/remove/", team_views.remove_member, name="remove_member"),
    path("join/<str:token>/", team_views.join, name="join"),
    path("course/", team_views.course_home, name="course"),
    path("course/quiz/", team_views.course_quiz, name="course_quiz"),
    path("course/<slug:code>/", team_views.course_module, name="course_module"),
]
