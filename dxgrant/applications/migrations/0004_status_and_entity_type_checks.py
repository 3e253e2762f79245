"""The database refuses a status outside the workflow's states (workflow.LIFECYCLE) and an
entity type outside its choices."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_claim_columns"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "accepted",
                            "awaiting_applicant_confirmation",
                            "awarded",
                            "cancelled",
                            "completed",
                            "drafting",
                            "in_review",
                            "invited",
                            "notified",
                            "paid",
                            "rejected",
                            "repaid",
                            "repayment_due",
                            "reporting",
                            "returned",
                            "screening",
                            "submitted",
                            "withdrawn",
                        ],
                    )
                ),
                name="application_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(("entity_type__in", ["", "corporation", "sole_proprietor"])),
                name="application_entity_type_known",
            ),
        ),
    ]
