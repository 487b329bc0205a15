"""The notice models move here from apps.campaigns without moving data: their tables (created by campaigns 0001)
keep their names, so this migration changes Django's state only. campaigns 0002 then drops them from the
campaigns app's state."""

import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0001_initial'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Notice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('body', models.TextField(verbose_name='正文')),
                        ('joint_issuers', models.CharField(blank=True, max_length=200, verbose_name='联合发文单位')),
                        ('deadline', models.DateField(blank=True, null=True, verbose_name='截止日期')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('issuer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='issued_notices', to='orgs.org')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='campaigns.programme')),
                    ],
                    options={
                        'db_table': 'campaigns_notice',
                        'ordering': ['-created_at', '-id'],
                        'base_manager_name': 'plain',
                        'indexes': [models.Index(fields=['issuer', '-created_at'], name='notice_issuer_time')],
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('plain', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='NoticeAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(upload_to='notices/%Y/%m/')),
                        ('name', models.CharField(max_length=200)),
                        ('size', models.PositiveBigIntegerField()),
                        ('content_type', models.CharField(default='application/octet-stream', max_length=100)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('added_by_org', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.org')),
                        ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='notices.notice')),
                    ],
                    options={
                        'db_table': 'campaigns_noticeattachment',
                        'ordering': ['created_at', 'id'],
                        'base_manager_name': 'plain',
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('plain', django.db.models.manager.Manager()),
                    ],
                ),
                migrations.CreateModel(
                    name='NoticeDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('addendum', models.TextField(blank=True, verbose_name='补充说明')),
                        ('delivered_at', models.DateTimeField(auto_now_add=True)),
                        ('received_at', models.DateTimeField(blank=True, null=True)),
                        ('forwarded_at', models.DateTimeField(blank=True, null=True)),
                        ('forwarded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notices.notice')),
                        ('org', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notice_deliveries', to='orgs.org')),
                        ('received_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('sender', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.org')),
                    ],
                    options={
                        'db_table': 'campaigns_noticedelivery',
                        'base_manager_name': 'plain',
                        'indexes': [models.Index(fields=['org', 'received_at'], name='delivery_org_received')],
                        'constraints': [models.UniqueConstraint(fields=('notice', 'org'), name='delivery_once_per_org')],
                    },
                    managers=[
                        ('objects', django.db.models.manager.Manager()),
                        ('plain', django.db.models.manager.Manager()),
                    ],
                ),
            ],
        ),
    ]
