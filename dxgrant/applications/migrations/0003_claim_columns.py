"""The once-only email claims get columns of their own: ApplicationVersion.receipt_emailed_at
(instead of the version counter Application.receipt_emailed_version) and ReturnRequest.notified_at
(instead of looking for an "application.return_notified" audit entry). What was sent before is
marked sent, so no email goes out twice."""

from django.db import migrations, models
from django.db.models import F


def mark_what_was_sent(apps, schema_editor):
    ApplicationVersion = apps.get_model("applications", "ApplicationVersion")
    ReturnRequest = apps.get_model("applications", "ReturnRequest")
    AuditEntry = apps.get_model("integrity", "AuditEntry")
    # Every version up to the application's counter had its receipt sent.
    ApplicationVersion.objects.filter(
        application__receipt_emailed_version__isnull=False,
        number__lte=F("application__receipt_emailed_version"),
    ).update(receipt_emailed_at=F("submitted_at"))
    notified = AuditEntry.objects.filter(
        action="application.return_notified", object_type="applications.returnrequest"
    ).values_list("object_id", "created_at")
    for object_id, created_at in notified:
        if object_id.isdigit():
            ReturnRequest.objects.filter(pk=int(object_id), notified_at__isnull=True).update(notified_at=created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_submission_token_receipt_email"),
        ("integrity", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationversion",
            name="receipt_emailed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="returnrequest",
            name="notified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_what_was_sent, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="application",
            name="receipt_emailed_version",
        ),
    ]
