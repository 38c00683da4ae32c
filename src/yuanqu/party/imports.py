"""Spreadsheet import of Party organisations (core.imports; docs/imports.md), by 党组织名称. Every
row is checked by the same rules as the form (counts not negative, the term's end after its start,
one host) before anything is written; the services apply the rows in one transaction."""

from __future__ import annotations

import copy

from yuanqu.core.imports import (
    BoolColumn,
    DateColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    IntColumn,
    TextColumn,
    Writes,
    refusals,
    register,
)
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from . import services
from .models import Form, PartyOrganisation, SocialOrganisation


@register
class OrganisationImporter(Importer):
    key = "party.organisations"
    title = "党组织"
    model = PartyOrganisation
    natural_key = "name"
    writes = Writes(target="organisation", create=services.organisation_create,
                    update=services.organisation_update, delete=services.organisation_delete)
    ability = "party.manage"  # besides the administrators: the 党建办 keeps the register
    columns = [
        TextColumn("党组织名称", "name", required=True, max_length=120, help="唯一，用于匹配已有党组织",
                   sample="中共某某村支部委员会"),
        EnumColumn("组织形式", "form", choices=Form.choices, required=True, sample="党支部"),
        ForeignKeyColumn("所属单位", "unit", model=OrgUnit, lookup=("name", "short_name"), required=True,
                         help="机关单位、村或社区；企业、社会组织的党组织填其联系单位", sample="某某村"),
        ForeignKeyColumn("所在企业", "enterprise", model=Enterprise, lookup=("name", "credit_code"),
                         help="企业名称或统一社会信用代码"),
        ForeignKeyColumn("所在社会组织", "social_organisation", model=SocialOrganisation, lookup=("name", "code")),
        IntColumn("覆盖单位数", "covered_units", help="联合党支部覆盖的单位数（含所在单位）"),
        IntColumn("正式党员", "full_members", sample=12),
        IntColumn("预备党员", "probationary_members", sample=1),
        TextColumn("书记", "secretary", max_length=40, sample="王明"),
        TextColumn("委员", "committee", max_length=300, help="委员姓名，以顿号分隔（含书记）", sample="王明、李华、张强"),
        DateColumn("本届任期开始", "term_start", sample="2021-04-01"),
        DateColumn("本届任期届满", "term_end", help="不填按村（社区）5年、其他3年计"),
        BoolColumn("存续", "is_active", sample="是"),
    ]
    notes = ("已建立党员名册的党组织，党员人数按名册统计：导入的正式党员、预备党员人数须与名册一致（或留空）。"
             "党组织只能建在一家企业或一个社会组织中。")

    def check_row(self, plan, ctx):
        """The service's own rules on a copy of the record (nothing is written here)."""
        probe = copy.copy(plan.obj) if plan.obj is not None else PartyOrganisation()
        data = {k: v for k, v in plan.values.items() if k != "joint_enterprises"}
        return refusals(lambda: services.check_organisation(probe, data))
