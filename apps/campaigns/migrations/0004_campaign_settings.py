"""Budgets, periods and the story book's size as campaign settings the centre edits (issue 16), instead of code
constants. Existing campaigns take the values their programmes already have."""

import datetime as dt
from decimal import Decimal

from django.db import migrations, models
from django.db.models import Q


def fill(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    Programme = apps.get_model("campaigns", "Programme")
    for campaign in Campaign.objects.all():
        year = campaign.year
        province = Programme.objects.filter(campaign=campaign, kind="province").order_by("id").first()
        brand = Programme.objects.filter(campaign=campaign, kind="brand").order_by("id").first()
        campaign.province_start = province.period_start if province else dt.date(year, 7, 1)
        campaign.province_end = province.period_end if province else dt.date(year, 11, 30)
        campaign.brand_start = brand.period_start if brand else dt.date(year, 7, 1)
        campaign.brand_end = brand.period_end if brand else dt.date(year, 12, 31)
        if province:
            campaign.province_budget = province.budget
        if brand:
            campaign.brand_budget = brand.budget
        campaign.save(update_fields=["province_start", "province_end", "brand_start", "brand_end",
                                     "province_budget", "brand_budget"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_alter_quotaplan_status")]

    operations = [
        migrations.AddField("campaign", "province_budget", models.DecimalField(
            "省级项目经费（元）", max_digits=12, decimal_places=2, default=Decimal("200000.00"))),
        migrations.AddField("campaign", "brand_budget", models.DecimalField(
            "品牌建设项目经费（元）", max_digits=12, decimal_places=2, default=Decimal("400000.00"))),
        migrations.AddField("campaign", "province_start", models.DateField("省级项目实施开始", null=True)),
        migrations.AddField("campaign", "province_end", models.DateField("省级项目实施结束", null=True)),
        migrations.AddField("campaign", "brand_start", models.DateField("品牌建设项目实施开始", null=True)),
        migrations.AddField("campaign", "brand_end", models.DateField("品牌建设项目实施结束", null=True)),
        migrations.AddField("campaign", "stories", models.PositiveSmallIntegerField("故事集收录案例数", default=100)),
        migrations.AddField("campaign", "print_copies", models.PositiveIntegerField("故事集印数", default=1500)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("campaign", "province_start", models.DateField("省级项目实施开始")),
        migrations.AlterField("campaign", "province_end", models.DateField("省级项目实施结束")),
        migrations.AlterField("campaign", "brand_start", models.DateField("品牌建设项目实施开始")),
        migrations.AlterField("campaign", "brand_end", models.DateField("品牌建设项目实施结束")),
        migrations.AddConstraint("campaign", models.CheckConstraint(
            condition=Q(province_budget__gte=0) & Q(brand_budget__gte=0), name="campaign_budgets_nonnegative")),
        migrations.AddConstraint("campaign", models.CheckConstraint(
            condition=Q(province_end__gte=models.F("province_start")) & Q(brand_end__gte=models.F("brand_start")),
            name="campaign_periods_order")),
        migrations.AddConstraint("campaign", models.CheckConstraint(
            condition=Q(stories__gte=1) & Q(print_copies__gte=1), name="campaign_book_positive")),
    ]
