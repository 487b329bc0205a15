"""Columns that hold what people type: a draft keeps a title, a contact or an abstract over its limit (the
limits are checked when the case is submitted), up to ten times the limit (Case.DRAFT_FACTOR).

On PostgreSQL the varchar columns widen in place (no table rewrite); SQLite does not enforce lengths.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_drop_covered_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='abstract',
            field=models.TextField(blank=True, max_length=3000, verbose_name='摘要'),
        ),
        migrations.AlterField(
            model_name='case',
            name='contact_email',
            field=models.CharField(blank=True, max_length=2540, verbose_name='联系人邮箱'),
        ),
        migrations.AlterField(
            model_name='case',
            name='contact_name',
            field=models.CharField(blank=True, max_length=500, verbose_name='联系人'),
        ),
        migrations.AlterField(
            model_name='case',
            name='contact_phone',
            field=models.CharField(blank=True, max_length=110, verbose_name='联系人手机'),
        ),
        migrations.AlterField(
            model_name='case',
            name='title',
            field=models.CharField(blank=True, max_length=300, verbose_name='案例标题'),
        ),
    ]
