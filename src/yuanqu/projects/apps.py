from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "yuanqu.projects"
    label = "projects"
    verbose_name = _("重大项目")

    def ready(self):
        from yuanqu.core import panels

        from . import imports, selectors  # noqa: F401  (registers the importer and the chain figures)
        from .services import listen_for_closed_items

        listen_for_closed_items()  # a 督办单 办结 solves the problem raised to it
        panels.register("investment.lead", "projects/_lead_panel.html")  # 转为项目 on a signed lead
