"""The notice models moved to apps.notices (notices 0001) with their tables: drop them from this app's state
only; the tables and their rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('notices', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='NoticeAttachment'),
                migrations.DeleteModel(name='NoticeDelivery'),
                migrations.DeleteModel(name='Notice'),
            ],
        ),
    ]
