from django.utils.translation import gettext_lazy as _

from yuanqu.core.menus import MenuEntry, register

from .selectors import pending_review_count

register(
    MenuEntry(_("计划总览"), "plans:plan_current", icon="grid-1x2", order=10,
              active=("plans:plan_detail", "plans:plan_list", "plans:plan_review")),
    MenuEntry(_("目标清单"), "plans:target_list", icon="list-check", order=20,
              active=("plans:target_list", "plans:target_detail", "plans:report_create")),
    MenuEntry(_("审核队列"), "plans:review_queue", icon="clipboard-check", order=30,
              visible="plans.review_reports", badge=pending_review_count, badge_id="pending-count"),
    MenuEntry(_("本单位"), "plans:my_unit", icon="building", order=40, visible="plans.report_progress"),
)
