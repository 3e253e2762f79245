"""The notices' pages: the staff's (/staff/awards/<code>/notices/), the applicant's and advisor's
(/applications/<pk>/notice/) and the public verification (/verify/notice/<number>)."""

from django.urls import URLPattern, path

from .views import notices, verify

app_name = "notices"

urlpatterns: list[URLPattern] = [
    path("staff/awards/<slug:code>/notices/", notices.round_notices, name="round"),
    path("staff/awards/<slug:code>/notices/issue/", notices.issue, name="issue"),
    path("applications/<int:pk>/notice/", notices.notice, name="notice"),
    path("applications/<int:pk>/notice.pdf", notices.notice_pdf, name="notice_pdf"),
    path("verify/notice/<str:number>", verify.verify, name="verify"),
]
