from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0005_notifications_to_inbox"),
    ]

    operations = [migrations.DeleteModel(name="Notification")]
