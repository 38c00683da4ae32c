from importlib import import_module

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    default = True  # this module holds other configs too (TasksConfig below)
    name = "yuanqu.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        # Every app's abilities.py declares its roles and abilities, its metrics.py its metrics,
        # its menus.py its menu entries, its reminders.py its daily reminders, its imports.py its
        # spreadsheet importers.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("abilities")
        autodiscover_modules("metrics")
        autodiscover_modules("menus")
        autodiscover_modules("reminders")
        autodiscover_modules("imports")

        # The admin site speaks the platform's language, not Django's.
        from django.contrib import admin

        admin.site.site_header = _("园区工作平台 · 管理后台")
        admin.site.site_title = _("园区管理后台")
        admin.site.index_title = _("系统设置")


class RegisterConfig(AppConfig):
    """A register's app, declared: `panels` maps each point of another record's page it fills to
    its template there (core.panels); `follows_calendar` names the function of its services called
    with the first day changed when the administrator edits the work calendar (core.calendar: its
    stored working-day dates follow); `offers` maps each write it offers other apps by name
    (core.handoffs) to the function of its services doing it. Its abilities, metrics, menus,
    reminders and importers are found by CoreConfig."""

    default = False
    panels: dict[str, str] = {}
    follows_calendar: str = ""
    offers: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Django takes the one AppConfig of an apps.py not marked default = False: this base,
        # imported there, is passed over and the register's own config taken.
        cls.default = cls.__dict__.get("default", True)

    def ready(self) -> None:
        from . import handoffs, panels
        from .calendar import when_calendar_changes

        for point, template in self.panels.items():
            panels.register(point, template)
        if self.follows_calendar or self.offers:
            services = import_module(f"{self.name}.services")
            if self.follows_calendar:
                when_calendar_changes(getattr(services, self.follows_calendar))
            for name, function in self.offers.items():
                handoffs.offer(name, getattr(services, function))


class TasksConfig(TasksAppConfig):
    """django-tasks-db's queue, named in Chinese in the admin site (same label, same tables)."""

    default = False
    verbose_name = _("后台任务")


class AxesConfig(AxesAppConfig):
    """django-axes' login records (core.security), named in Chinese in the admin site (same label)."""

    default = False
    verbose_name = _("登录保护")
