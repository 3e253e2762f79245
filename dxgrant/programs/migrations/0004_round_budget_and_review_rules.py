from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_round_application_rules"),
    ]

    operations = [
        # Rounds made before the budget was round data get the programme file's figure (30億円);
        # the secretariat can change it.
        migrations.AddField(
            model_name="round",
            name="budget_yen",
            field=models.PositiveBigIntegerField(default=3_000_000_000, verbose_name="予算額（円）"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="round",
            name="review_rules",
            field=models.JSONField(default=dict, verbose_name="審査のルール"),
        ),
        migrations.AddConstraint(
            model_name="round",
            constraint=models.CheckConstraint(condition=models.Q(budget_yen__gt=0), name="round_budget_positive"),
        ),
    ]
