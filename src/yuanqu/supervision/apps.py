from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class SupervisionConfig(RegisterConfig):
    name = "yuanqu.supervision"
    label = "supervision"
    verbose_name = _("督查督办")
    # Other registers raise their records to a 督办单 (core.commonsteps.raise_item, projects' problems).
    offers = {"supervision.raise_item": "item_raise_from"}
