from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    # Advisor side
    path("", views.dashboard, name="dashboard"),
    path("engagements/new/", views.engagement_create, name="engagement_create"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement_detail"),
    path("engagements/<int:pk>/attendance/", views.engagement_attendance, name="engagement_attendance"),
    path("engagements/<int:pk>/end/", views.engagement_end, name="engagement_end"),
    path("engagements/<int:pk>/hearings/new/", views.hearing_create, name="hearing_create"),
    path("engagements/<int:pk>/training/new/", views.session_create, name="session_create"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing_detail"),
    path("hearings/<int:pk>/edit/", views.hearing_edit, name="hearing_edit"),
    path("hearings/<int:pk>/respond/", views.hearing_respond, name="hearing_respond"),
    path("training/<int:pk>/", views.session_detail, name="session_detail"),
    path("training/<int:pk>/code/", views.session_code, name="session_code"),
    path("training/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    # Applicant side
    path("my/", views.my_support, name="my_support"),
    path("my/<int:pk>/", views.my_engagement, name="my_engagement"),
    path("my/<int:pk>/quiz/", views.quiz, name="quiz"),
    path("my/<int:pk>/staff/new/", views.staff_invite, name="staff_invite"),
    path("training/<int:pk>/check-in/", views.checkin, name="checkin"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # Secretariat and auditors (read only)
    path("staff/", views.staff_engagements, name="staff_engagements"),
]
