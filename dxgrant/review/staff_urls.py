"""/staff/review/: the secretariat's and auditors' review pages (views/staff.py)."""

from django.urls import URLPattern, path

from .views import staff

app_name = "staff_review"

urlpatterns: list[URLPattern] = [
    path("", staff.rounds, name="rounds"),
    path("rounds/<slug:code>/", staff.round_detail, name="round"),
    path("rounds/<slug:code>/reviewers/", staff.add_reviewer, name="add_reviewer"),
    path("rounds/<slug:code>/draw/", staff.draw, name="draw"),
    path("rounds/<slug:code>/conflicts/", staff.conflict_list, name="conflicts"),
    path("rounds/<slug:code>/conflicts/exclude/", staff.exclude, name="exclude"),
    path("invitations/<int:pk>/resend/", staff.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", staff.invitation_revoke, name="invitation_revoke"),
    path("applications/<int:pk>/", staff.application_detail, name="application"),
    path("applications/<int:pk>/add/", staff.add_by_hand, name="add_by_hand"),
    path("assignments/<int:pk>/remove/", staff.remove, name="remove"),
    path("assignments/<int:pk>/reopen/", staff.reopen, name="reopen"),
]
