# The enterprise registry and the little-giant lists now belong to apps.enterprises (its 0001). Nothing changes
# in the database: the tables keep their names, and Case.enterprise keeps its column and foreign key. Only
# Django's state moves: the foreign key now names enterprises.Enterprise, and the models leave cases' state.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_draft_holds_over_limit_text'),
        ('enterprises', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='case',
                    name='enterprise',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='enterprises.enterprise'),
                ),
                migrations.DeleteModel(name='LittleGiantRow'),
                migrations.DeleteModel(name='LittleGiantList'),
                migrations.DeleteModel(name='Enterprise'),
            ],
        ),
    ]
