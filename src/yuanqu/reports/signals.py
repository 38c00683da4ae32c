"""A bulletin's file goes when its row goes (a demo rebuilt, a plan deleted), once that is committed."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Bulletin


@receiver(post_delete, sender=Bulletin)
def remove_bulletin_file(sender, instance: Bulletin, **kwargs) -> None:
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
