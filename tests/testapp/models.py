from django.db import models

from shuren.core.fields import EncryptedTextField
from shuren.core.models import ScopedModel


class Contact(ScopedModel):
    name = models.CharField(max_length=50)
    phone = EncryptedTextField(blank=True, default="")
    id_number = EncryptedTextField(blank=True, default="")
    area = models.ForeignKey("places.Area", on_delete=models.PROTECT)

    def save(self, *args, **kwargs):
        self.scope = self.area.path
        super().save(*args, **kwargs)
