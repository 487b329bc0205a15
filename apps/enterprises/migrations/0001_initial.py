# The enterprise registry and the little-giant lists move here from apps/cases. Their tables stay where
# cases/0001 created them (cases_enterprise, cases_littlegiantlist, cases_littlegiantrow): this migration
# only tells Django's state that the models now belong to this app; cases/0005 drops them from cases' state.

import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models

import apps.enterprises.models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0001_initial'),
        # The tables exist from here on, so a later migration of this app may alter them.
        ('cases', '0004_draft_holds_over_limit_text'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Enterprise',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='企业名称')),
                        ('credit_code', models.CharField(max_length=18, verbose_name='统一社会信用代码')),
                        ('industry_section', models.CharField(blank=True, max_length=1, verbose_name='行业门类')),
                        ('industry_division', models.CharField(blank=True, max_length=2, verbose_name='行业大类')),
                        ('size', models.CharField(blank=True, choices=[('large', '大型'), ('medium', '中型'), ('small', '小型'), ('micro', '微型')], max_length=8, verbose_name='企业规模')),
                        ('rd_staff', models.PositiveIntegerField(blank=True, null=True, verbose_name='研发人员数')),
                        ('rd_spend', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='研发投入（万元）')),
                        ('is_high_tech', models.BooleanField(default=False, verbose_name='高新技术企业')),
                        ('is_specialised', models.BooleanField(default=False, verbose_name='专精特新中小企业')),
                        ('little_giant_batch', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='专精特新“小巨人”批次（年）')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enterprises', to='campaigns.campaign')),
                        ('county', models.ForeignKey(limit_choices_to={'kind': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='enterprises', to='orgs.org')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('park', models.ForeignKey(blank=True, limit_choices_to={'kind': 'park'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='park_enterprises', to='orgs.org')),
                    ],
                    options={
                        'db_table': 'cases_enterprise',
                        'ordering': ['name', 'id'],
                        'base_manager_name': 'plain',
                        'indexes': [
                            models.Index(fields=['campaign', 'county'], name='enterprise_county'),
                            models.Index(fields=['campaign', 'name'], name='enterprise_campaign_name'),
                            models.Index(fields=['campaign', 'industry_section'], name='enterprise_campaign_section'),
                            models.Index(fields=['campaign', 'little_giant_batch'], name='enterprise_campaign_lgbatch'),
                        ],
                        'constraints': [
                            models.UniqueConstraint(fields=('campaign', 'credit_code'), name='enterprise_one_per_credit_code'),
                            models.CheckConstraint(condition=models.Q(('credit_code__regex', '^[0-9A-HJ-NPQRTUWXY]{18}$')), name='enterprise_credit_code_form'),
                            models.CheckConstraint(condition=models.Q(('rd_spend__isnull', True), ('rd_spend__gte', 0), _connector='OR'), name='enterprise_rd_spend_nonnegative'),
                            models.CheckConstraint(condition=models.Q(('little_giant_batch__isnull', True), models.Q(('little_giant_batch__gte', 2019), ('little_giant_batch__lte', 2100)), _connector='OR'), name='enterprise_little_giant_batch_year'),
                            models.CheckConstraint(condition=models.Q(('industry_division', ''), models.Q(('industry_section', ''), _negated=True), _connector='OR'), name='enterprise_division_needs_section'),
                        ],
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('plain', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='LittleGiantList',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('batch', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='批次（年）')),
                        ('file_name', models.CharField(max_length=200, verbose_name='文件名')),
                        ('file_sha256', models.CharField(max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='导入时间')),
                        ('rematched_at', models.DateTimeField(blank=True, null=True, verbose_name='最近重新匹配')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='little_giant_lists', to='campaigns.campaign')),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='little_giant_lists', to='orgs.org')),
                        ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'cases_littlegiantlist',
                        'ordering': ['-created_at', '-id'],
                        'base_manager_name': 'plain',
                        'indexes': [models.Index(fields=['campaign', 'org', '-created_at'], name='lglist_campaign_org')],
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('plain', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='LittleGiantRow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('row_number', models.PositiveIntegerField(verbose_name='行号')),
                        ('name', models.CharField(max_length=200, verbose_name='企业名称')),
                        ('name_key', models.CharField(max_length=200)),
                        ('credit_code_raw', models.CharField(blank=True, max_length=40, verbose_name='统一社会信用代码（原文）')),
                        ('credit_code', models.CharField(blank=True, max_length=18, verbose_name='统一社会信用代码')),
                        ('code_problem', models.CharField(blank=True, max_length=300, verbose_name='代码问题')),
                        ('batch', models.PositiveSmallIntegerField(verbose_name='批次（年）')),
                        ('status', models.CharField(choices=[('matched', '已匹配'), ('unmatched', '未匹配'), ('ambiguous', '多个候选'), ('resolved', '已人工处理')], default='unmatched', max_length=16, verbose_name='匹配状态')),
                        ('matched_by', models.CharField(blank=True, choices=[('', '无'), ('code', '统一社会信用代码'), ('name', '企业名称'), ('person', '人工确认')], default='', max_length=8, verbose_name='匹配依据')),
                        ('candidates', models.JSONField(blank=True, default=apps.enterprises.models._no_candidates)),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('enterprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='enterprises.enterprise')),
                        ('list', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='enterprises.littlegiantlist')),
                        ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'cases_littlegiantrow',
                        'ordering': ['list', 'row_number', 'id'],
                        'base_manager_name': 'plain',
                        'indexes': [models.Index(fields=['list', 'status', 'row_number'], name='lgrow_list_status')],
                        'constraints': [
                            models.CheckConstraint(condition=models.Q(('status__in', ['matched', 'unmatched', 'ambiguous', 'resolved'])), name='lgrow_status_known'),
                            models.CheckConstraint(condition=models.Q(('batch__gte', 2019), ('batch__lte', 2100)), name='lgrow_batch_year'),
                        ],
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('plain', django.db.models.manager.Manager()),
                    ],
                ),
            ],
        ),
    ]
