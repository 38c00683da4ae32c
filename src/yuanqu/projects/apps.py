from django.utils.translation import gettext_lazy as _

from yuanqu.core.apps import RegisterConfig


class ProjectsConfig(RegisterConfig):
    name = "yuanqu.projects"
    label = "projects"
    verbose_name = _("重大项目")
    panels = {"investment.lead": "projects/_lead_panel.html"}  # 转为项目 on a signed lead

    def ready(self):
        super().ready()
        from . import selectors  # noqa: F401  (registers the chain figures)
        from .services import listen_for_closed_items

        listen_for_closed_items()  # a 督办单 办结 solves the problem raised to it
