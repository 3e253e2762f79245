"""/review/: the reviewer's pages (views/reviewer.py)."""

from django.urls import URLPattern, path

from .views import invitation, reviewer

app_name = "review"

urlpatterns: list[URLPattern] = [
    path("", reviewer.queue, name="queue"),
    path("rounds/<slug:code>/terms/", reviewer.terms, name="terms"),
    path("assignments/<int:pk>/declare/", reviewer.declare, name="declare"),
    path("assignments/<int:pk>/", reviewer.score, name="score"),
    path("invitations/<str:token>/", invitation.accept, name="invitation_accept"),
]
