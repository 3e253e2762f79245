from django.urls import path

from .views import attendance, ending, engagements, hearings, invitations, quiz, training

app_name = "support"

urlpatterns = [
    # Advisor side
    path("", engagements.dashboard, name="dashboard"),
    path("engagements/new/", engagements.engagement_create, name="engagement_create"),
    path("engagements/<int:pk>/", engagements.engagement_detail, name="engagement_detail"),
    path("engagements/<int:pk>/attendance/", engagements.engagement_attendance, name="engagement_attendance"),
    path("engagements/<int:pk>/end/", ending.engagement_end, name="engagement_end"),
    path("engagements/<int:pk>/hearings/new/", hearings.hearing_create, name="hearing_create"),
    path("engagements/<int:pk>/training/new/", training.session_create, name="session_create"),
    path("hearings/<int:pk>/", hearings.hearing_detail, name="hearing_detail"),
    path("hearings/<int:pk>/edit/", hearings.hearing_edit, name="hearing_edit"),
    path("hearings/<int:pk>/respond/", hearings.hearing_respond, name="hearing_respond"),
    path("training/<int:pk>/", training.session_detail, name="session_detail"),
    path("training/<int:pk>/code/", training.session_code, name="session_code"),
    path("training/<int:pk>/cancel/", training.session_cancel, name="session_cancel"),
    path("invitations/<int:pk>/resend/", invitations.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    # Applicant side
    path("my/", engagements.my_support, name="my_support"),
    path("my/<int:pk>/", engagements.my_engagement, name="my_engagement"),
    path("my/<int:pk>/quiz/", quiz.quiz, name="quiz"),
    path("my/<int:pk>/staff/new/", invitations.staff_invite, name="staff_invite"),
    path("training/<int:pk>/check-in/", attendance.checkin, name="checkin"),
    path("invitations/accept/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    # Secretariat and auditors (read only)
    path("staff/", engagements.staff_engagements, name="staff_engagements"),
]
