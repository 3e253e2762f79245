"""/staff/reminders/: the reminders sent, the items due soon and the daily runs, for the
secretariat and the auditor (views/reminders.py)."""

from django.urls import URLPattern, path

from .views import reminders

app_name = "reminders"

urlpatterns: list[URLPattern] = [
    path("", reminders.reminder_list, name="list"),
]
