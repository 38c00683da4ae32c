from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "yuanqu.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        from yuanqu.core import handoffs

        from .services import item_raise_from

        handoffs.offer("supervision.raise_item", item_raise_from)
