from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

READ_ALL = ability("plans.read_all", _("查看全部计划与目标"), ADMIN, SUPERVISOR, LEADER)
EDIT_PLAN = ability("plans.edit_plan", _("导入、编辑、启用和关闭计划"), ADMIN, SUPERVISOR)
REVIEW_REPORTS = ability("plans.review_reports", _("审核进度报告"), ADMIN, SUPERVISOR)
# Held for units: a reporter reports for the units under the units of their assignments.
REPORT_PROGRESS = ability("plans.report_progress", _("为本单位填报进度与台账"), REPORTER)
# 目标调整 of an active plan: the lead unit (for its targets) or the office asks; who decides is the
# plan's setting (adjustment_approver): the office, or a leader.
REQUEST_ADJUSTMENT = ability("plans.request_adjustment", _("申请调整已启用计划的目标"), ADMIN, SUPERVISOR, REPORTER)
APPROVE_ADJUSTMENT_OFFICE = ability("plans.approve_adjustment_office", _("以督查室身份审批目标调整"), ADMIN, SUPERVISOR)
APPROVE_ADJUSTMENT_LEADER = ability("plans.approve_adjustment_leader", _("以分管领导身份审批目标调整"), LEADER)
# The 督查室's people hear when reports arrive (one notice per unit and day) — not administrators,
# who may review but do not run the queue.
HEAR_REPORTS = ability("plans.hear_reports", _("接收进度报告报送通知"), SUPERVISOR)
