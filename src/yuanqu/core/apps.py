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
        # its menus.py its menu entries, its reminders.py its daily reminders.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("abilities")
        autodiscover_modules("metrics")
        autodiscover_modules("menus")
        autodiscover_modules("reminders")

        # The admin site speaks the platform's language, not Django's.
        from django.contrib import admin

        admin.site.site_header = _("园区工作平台 · 管理后台")
        admin.site.site_title = _("园区管理后台")
        admin.site.index_title = _("系统设置")


class TasksConfig(TasksAppConfig):
    """django-tasks-db's queue, named in Chinese in the admin site (same label, same tables)."""

    default = False
    verbose_name = _("后台任务")


class AxesConfig(AxesAppConfig):
    """django-axes' login records (core.security), named in Chinese in the admin site (same label)."""

    default = False
    verbose_name = _("登录保护")
