"""The fields the national PHB collection needs, filled for budgets that already exist.

What a budget's own row says is kept: a single management option is 100% of the budget.
What no existing row can say is guessed, written into the row's `guessed` list and printed
here, so the quarterly return can name the budgets a coordinator should check:
- kind: a personal health budget (the only kind paworkflow knew);
- started_on: the start of the person's earliest budget period on record;
- continuing-care eligibility: not eligible;
- commissioning area: not recorded (blank);
- a mix's shares: equal thirds (the row never said which options or how much).
"""
from decimal import Decimal

from django.db import migrations, models
import django.core.validators
import django.db.models.lookups

GUESSED = ["kind", "started_on", "continuing_care", "commissioning_area"]
SINGLE = {"direct_payment": "direct_payment_share", "third_party": "third_party_share", "notional": "notional_share"}


def fill_existing_budgets(apps, schema_editor):
    Budget = apps.get_model("care", "PersonalHealthBudget")
    first_start = {}
    for recipient_id, start in Budget.objects.values_list("recipient_id", "period_start"):
        first_start[recipient_id] = min(start, first_start.get(recipient_id, start))
    guessed_mixes = 0
    budgets = list(Budget.objects.all())
    for budget in budgets:
        budget.kind = "phb"
        budget.started_on = first_start[budget.recipient_id]
        budget.continuing_care = "none"
        budget.commissioning_area = ""
        budget.guessed = list(GUESSED)
        if budget.management_option in SINGLE:
            setattr(budget, SINGLE[budget.management_option], Decimal("100"))
        else:
            budget.direct_payment_share = budget.third_party_share = Decimal("33.33")
            budget.notional_share = Decimal("33.34")
            budget.guessed.append("shares")
            guessed_mixes += 1
        budget.save()
    if budgets:
        print(f"\n  care.0005: {len(budgets)} existing budget(s) given a guessed kind (personal health budget), "
              f"start date (earliest period), continuing-care eligibility (none) and commissioning area (blank); "
              f"{guessed_mixes} mix(es) given equal thirds. The quarterly return lists them until checked.")


class Migration(migrations.Migration):

    dependencies = [
        ("care", "0004_audit_actor_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="personalhealthbudget",
            name="kind",
            field=models.CharField(choices=[("phb", "Personal health budget"), ("ipb", "Integrated personal budget"),
                                            ("pwb", "Personal wheelchair budget")], default="phb", max_length=3),
        ),
        migrations.AddField(
            model_name="personalhealthbudget",
            name="direct_payment_share",
            field=models.DecimalField(decimal_places=2, default=Decimal("0"), help_text="Per cent of the budget managed this way", max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal("0")), django.core.validators.MaxValueValidator(Decimal("100"))], verbose_name="direct payment share (%)"),
        ),
        migrations.AddField(
            model_name="personalhealthbudget",
            name="third_party_share",
            field=models.DecimalField(decimal_places=2, default=Decimal("0"), help_text="Per cent of the budget managed this way", max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal("0")), django.core.validators.MaxValueValidator(Decimal("100"))], verbose_name="third-party share (%)"),
        ),
        migrations.AddField(
            model_name="personalhealthbudget",
            name="notional_share",
            field=models.DecimalField(decimal_places=2, default=Decimal("0"), help_text="Per cent of the budget managed this way", max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal("0")), django.core.validators.MaxValueValidator(Decimal("100"))], verbose_name="notional share (%)"),
        ),
        migrations.AddField(
            model_name="personalhealthbudget",
            name="started_on",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="personalhealthbudget",
            name="ended_on",
            field=models.DateField(blank=True, help_text="When the budget stopped, if it did (moved away, no longer eligible)", null=True),
        ),
        migrations.AddField(
            model_name="personalhealthbudget",
            name="continuing_care",
            field=models.CharField(choices=[("none", "Not eligible for continuing care"), ("adult_chc", "NHS continuing healthcare (adult)"), ("children_cc", "Children and young people's continuing care")], default="none", max_length=12, verbose_name="continuing-care eligibility"),
        ),
        migrations.AddField(
            model_name="personalhealthbudget",
            name="commissioning_area",
            field=models.CharField(blank=True, help_text="The commissioning ICB, e.g. NHS West Yorkshire ICB", max_length=120),
        ),
        migrations.AddField(
            model_name="personalhealthbudget",
            name="guessed",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(fill_existing_budgets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="personalhealthbudget",
            name="started_on",
            field=models.DateField(blank=True, help_text="When this person's budget of this kind began (a renewal keeps the first date); blank: the period's start"),
        ),
        migrations.AddConstraint(
            model_name="personalhealthbudget",
            constraint=models.CheckConstraint(condition=django.db.models.lookups.Exact(models.F("direct_payment_share") + models.F("third_party_share") + models.F("notional_share"), Decimal("100")), name="budget_shares_add_to_100"),
        ),
        migrations.AddConstraint(
            model_name="personalhealthbudget",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("direct_payment_share", Decimal("100")), ("management_option", "direct_payment")), models.Q(("management_option", "third_party"), ("third_party_share", Decimal("100"))), models.Q(("management_option", "notional"), ("notional_share", Decimal("100"))), models.Q(("direct_payment_share__lt", Decimal("100")), ("management_option", "mixed"), ("notional_share__lt", Decimal("100")), ("third_party_share__lt", Decimal("100"))), _connector="OR"), name="budget_shares_match_option"),
        ),
        migrations.AddConstraint(
            model_name="personalhealthbudget",
            constraint=models.CheckConstraint(condition=models.Q(("ended_on__isnull", True), ("ended_on__gte", models.F("started_on")), _connector="OR"), name="budget_ends_after_it_starts"),
        ),
    ]
