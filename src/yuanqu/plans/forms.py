"""Page forms. They shape input only; the rules (numbers, rights, versions) are the services' job,
so numeric inputs are plain text handed to the service, whose message names the field."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from yuanqu.core.errors import ApplicationError
from yuanqu.org.models import OrgUnit

from .display import num
from .documents import FIELDS, PlanDocument, apply_mapping
from .models import LedgerItem, Plan, Target, TargetAdjustment

# The attachment rule lives with the services (the API uses it too).
from .services import check_attachments


def _text(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _select(**attrs) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "form-control", "rows": rows})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d")


def month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field taking several files at once; cleans to a (possibly empty) list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        try:
            check_attachments(files)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
        return files


class ReportForm(forms.Form):
    @staticmethod
    def initial_from(report) -> dict:
        """The fields of a previous version, so a correction starts from what was filed."""
        return {"value": num(report.value), "percent": num(report.percent), "narrative": report.narrative,
                "problems": report.problems, "next_steps": report.next_steps}

    period = forms.ChoiceField(label=_("报告月份"), widget=_select())
    value = forms.CharField(label=_("完成值"), required=False, widget=_text(inputmode="decimal"))
    percent = forms.CharField(
        label=_("完成进度（%）"), required=False, widget=_text(inputmode="decimal", placeholder="0–100")
    )
    narrative = forms.CharField(label=_("工作进展"), required=False, widget=_area(5))
    problems = forms.CharField(label=_("存在问题"), required=False, widget=_area(3))
    next_steps = forms.CharField(label=_("下步打算"), required=False, widget=_area(3))
    attachments = MultipleFileField(label=_("附件"), required=False)
    keep_attachments = forms.MultipleChoiceField(
        label=_("保留上一版的附件"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    based_on_version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, target: Target, months: list[dt.date], previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        # A correction carries the previous version's evidence unless the reporter unticks it.
        files = list(previous.attachments.all()) if previous is not None else []
        self.fields["keep_attachments"].choices = [(str(a.pk), a.name) for a in files]
        self.fields["keep_attachments"].initial = [str(a.pk) for a in files]
        self.fields["period"].choices = [(f"{m:%Y-%m}", month_label(m)) for m in months]
        self.fields["narrative"].widget.attrs["required"] = True
        if target.has_value:
            self.fields["value"].help_text = _("计量单位：%(unit)s；目标：%(target)s") % {
                "unit": target.unit or "—", "target": target.target_display(),
            }
            self.fields["percent"].help_text = _("可选，按形象进度估计")
        else:
            del self.fields["value"]
            self.fields["percent"].help_text = _("按形象进度填写 0–100")


class TargetForm(forms.Form):
    """The fields a supervisor corrects while reviewing an extracted draft."""

    title = forms.CharField(label=_("目标"), max_length=300, widget=_area(2))
    indicator = forms.CharField(label=_("指标名称"), max_length=200, required=False, widget=_text())
    kind = forms.ChoiceField(label=_("指标类型"), choices=Target.Kind.choices, widget=_select())
    comparator = forms.ChoiceField(
        label=_("比较方式"), choices=[("", "—"), *Target.Comparator.choices], required=False, widget=_select()
    )
    target_value = forms.CharField(label=_("目标值"), required=False, widget=_text(inputmode="decimal"))
    target_value_max = forms.CharField(label=_("目标上限"), required=False, widget=_text(inputmode="decimal"))
    unit = forms.CharField(label=_("计量单位"), max_length=20, required=False, widget=_text())
    deadline = forms.DateField(label=_("完成期限"), required=False, widget=_date())
    weight = forms.CharField(label=_("权重"), required=False, widget=_text(inputmode="decimal"))
    points = forms.CharField(label=_("分值"), required=False, widget=_text(inputmode="decimal"))
    lead_unit = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=OrgUnit.objects.none(), required=False, widget=_select(),
        empty_label="（未指定）",
    )
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"), queryset=OrgUnit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4}),
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    DATA_FIELDS = ["title", "indicator", "kind", "comparator", "target_value", "target_value_max", "unit",
                   "deadline", "weight", "points", "lead_unit", "cooperating_units"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units if units is not None else OrgUnit.objects.filter(is_active=True)
        self.fields["lead_unit"].queryset = units
        self.fields["cooperating_units"].queryset = units

    @classmethod
    def initial_for(cls, target: Target) -> dict:
        return {
            "title": target.title, "indicator": target.indicator, "kind": target.kind,
            "comparator": target.comparator, "target_value": num(target.target_value),
            "target_value_max": num(target.target_value_max), "unit": target.unit, "deadline": target.deadline,
            "weight": num(target.weight), "points": num(target.points), "lead_unit": target.lead_unit_id,
            "cooperating_units": [u.pk for u in target.cooperating_units.all()],
            "expected_version": target.version,
        }

    def service_data(self) -> dict:
        data = {key: self.cleaned_data[key] for key in self.DATA_FIELDS}
        data["cooperating_units"] = list(data["cooperating_units"])
        return data


class LedgerItemForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200, widget=_text())
    unit = forms.ModelChoiceField(
        label=_("责任单位"), queryset=OrgUnit.objects.filter(is_active=True), required=False, widget=_select(),
        empty_label="—",
    )
    status = forms.ChoiceField(label=_("状态"), choices=LedgerItem.Status.choices, widget=_select())
    amount = forms.CharField(label=_("数量/金额"), required=False, widget=_text(inputmode="decimal"))
    completed_on = forms.DateField(label=_("完成日期"), required=False, widget=_date())
    note = forms.CharField(label=_("备注"), required=False, widget=_text())


class LedgerStatusForm(forms.Form):
    """The row form of a ledger item: its progress, not its identity."""

    status = forms.ChoiceField(label=_("状态"), choices=LedgerItem.Status.choices, widget=_select())
    completed_on = forms.DateField(label=_("完成日期"), required=False, widget=_date())
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PlanSettingsForm(forms.Form):
    progress_mode = forms.ChoiceField(label=_("序时进度口径"), choices=Plan.ProgressMode.choices, widget=_select())
    gap_basis = forms.ChoiceField(label=_("落后幅度口径"), choices=Plan._meta.get_field("gap_basis").choices,
                                  widget=_select())
    green_band = forms.CharField(label=_("绿灯容差"), required=False, widget=_text(inputmode="decimal"))
    yellow_band = forms.CharField(
        label=_("黄灯容差"), widget=_text(inputmode="decimal"),
        help_text=_("落后不超过绿灯容差为绿灯，不超过黄灯容差为黄灯，超过为红灯"),
    )
    adjustment_approver = forms.ChoiceField(label=_("目标调整审批"), widget=_select(), required=False,
                                            choices=Plan._meta.get_field("adjustment_approver").choices)
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=_area(2))


class TargetMetricForm(forms.Form):
    """Which registered metric a target reads, and its parameters typed as `name=value` pairs."""

    metric = forms.ChoiceField(label="取数指标", required=False, widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    params = forms.CharField(label="参数", required=False, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from yuanqu.core.metrics import metric_choices

        self.fields["metric"].choices = [("", "（不绑定，按填报计值）"), *metric_choices()]

    def clean_params(self) -> dict:
        params = {}
        for part in (self.cleaned_data.get("params") or "").replace("，", " ").replace(",", " ").split():
            name, sep, value = part.partition("=")
            if not sep or not name:
                raise forms.ValidationError(f"参数“{part}”应写成 名称=值。")
            params[name.strip()] = value.strip()
        return params


PLAN_FILE_TYPES = ".txt,.docx,.doc,.xlsx,.xls,.pdf,text/plain"


class PlanImportForm(forms.Form):
    """A plan's text, pasted or uploaded (text, Word, workbook or PDF), to become a draft for review."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False,
                              widget=_text(inputmode="numeric", placeholder="留空：按原文标题中的年度"))
    title = forms.CharField(label=_("标题"), required=False, max_length=200,
                            widget=_text(placeholder="留空：按原文标题，或“YYYY年度工作计划”"))
    file = forms.FileField(label=_("计划原文文件（Word、电子表格、PDF 或文本）"), required=False,
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": PLAN_FILE_TYPES}))
    text = forms.CharField(label=_("或粘贴计划原文"), required=False, widget=_area(14))

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传计划文件，或粘贴计划原文。"))
        return data


DOCUMENT_SALT = "plans.import.document"
DOCUMENT_MAX_AGE = 24 * 3600
PREVIEW_ROWS = 8


class PlanColumnsForm(forms.Form):
    """The column-mapping step: the document read from the upload travels signed in the form (no
    server-side state), with a select per column of each task table, preset to the guess."""

    # Shown again here: a sheet that names no year needs one before the draft can be made.
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False,
                              widget=_text(inputmode="numeric", placeholder="留空：按表格标题中的年度"))
    title = forms.CharField(label=_("标题"), required=False, max_length=200,
                            widget=_text(placeholder="留空：按表格标题"))
    document = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, document: PlanDocument | None = None, **kwargs):
        if document is not None:
            kwargs.setdefault("initial", {})["document"] = signing.dumps(
                document.to_dict(), salt=DOCUMENT_SALT, compress=True)
        super().__init__(*args, **kwargs)
        if document is None:
            document = self._signed_document()
        self.document = document
        choices = [("", "（不导入）"), *FIELDS.items()]
        for t, table in enumerate(document.tables if document else []):
            by_column = {c: f for f, c in table.mapping.items()}
            for c, header in enumerate(table.headers):
                self.fields[f"col_{t}_{c}"] = forms.ChoiceField(
                    label=header, required=False, choices=choices, initial=by_column.get(c, ""),
                    widget=_select(**{"class": "form-select form-select-sm", "aria-label": f"{table.title}第{c + 1}列“{header}”"}))

    def _signed_document(self) -> PlanDocument | None:
        try:
            return PlanDocument.from_dict(signing.loads(self.data.get("document", ""), salt=DOCUMENT_SALT,
                                                        max_age=DOCUMENT_MAX_AGE))
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None

    def tables(self) -> list[dict]:
        """Each task table with its selects (in column order) and its first rows, for the template."""
        out = []
        for t, table in enumerate(self.document.tables if self.document else []):
            selects = [self[f"col_{t}_{c}"] for c in range(table.width)]
            out.append({"title": table.title, "selects": selects, "rows": table.body[:PREVIEW_ROWS],
                        "more": max(0, len(table.body) - PREVIEW_ROWS)})
        return out

    def clean(self):
        data = super().clean()
        if self.document is None:
            raise forms.ValidationError(_("上传的文件内容已失效，请重新上传计划文件。"))
        for t, table in enumerate(self.document.tables):
            columns = {c: data.get(f"col_{t}_{c}", "") for c in range(table.width)}
            try:
                table.mapping = apply_mapping(table, columns)
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data


class UnitMappingForm(forms.Form):
    """One unit name as written, mapped on the review page: to a unit (`map`), to a unit created
    now (`create`, administrators), or to nothing (`ignore`)."""

    name = forms.CharField(label=_("单位名称"), max_length=100)
    action = forms.ChoiceField(choices=[("map", "对应"), ("create", "新建单位"), ("ignore", "忽略")], initial="map")
    unit = forms.CharField(label=_("对应单位"), required=False)
    keep_alias = forms.BooleanField(label=_("保留为别名"), required=False)
    new_name = forms.CharField(label=_("新单位名称"), required=False, max_length=100)
    parent = forms.CharField(label=_("上级单位"), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=OrgUnit.Kind.choices, required=False)
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def service_args(self) -> dict:
        """The keyword arguments of services.plan_map_unit_name."""
        data = self.cleaned_data
        args = {"name": data["name"], "keep_alias": data["keep_alias"], "expected_version": data["expected_version"]}
        if data["action"] == "ignore":
            return {**args, "ignore": True, "keep_alias": False}
        if data["action"] == "create":
            new_unit = {"name": data["new_name"] or data["name"], "parent": data["parent"] or None,
                        "kind": data["kind"] or OrgUnit.Kind.DEPARTMENT}
            return {**args, "new_unit": new_unit}
        return {**args, "unit": data["unit"]}

SPLIT_ROWS = 4


class AdjustmentForm(forms.Form):
    """目标调整: what kind, why, on what decision, and the proposal (input only; the rules are in
    plans.adjustments)."""

    kind = forms.ChoiceField(label=_("调整类型"), choices=TargetAdjustment.Kind.choices, widget=forms.RadioSelect)
    # Required here too, so a form missing several of them says so all at once (the service
    # checks them again for the API).
    reason = forms.CharField(label=_("调整理由"), widget=_area(3),
                             error_messages={"required": _("请写明调整理由。")})
    basis = forms.ChoiceField(label=_("依据"), choices=[("", "——请选择——"), *TargetAdjustment.Basis.choices],
                              widget=_select(), error_messages={"required": _("请选择调整依据（会议纪要、领导批示等）。")})
    document = forms.FileField(label=_("依据文件"),
                               help_text=_("会议纪要、领导批示或文件的扫描件或电子版"),
                               error_messages={"required": _("请上传调整依据文件（会议纪要、领导批示等）。")},
                               widget=forms.ClearableFileInput(attrs={"class": "form-control"}))
    title = forms.CharField(label=_("目标内容"), required=False, widget=_text())
    target_value = forms.CharField(label=_("目标值"), required=False, widget=_text())
    target_value_max = forms.CharField(label=_("目标上限"), required=False, widget=_text())
    unit = forms.CharField(label=_("计量单位"), required=False, widget=_text())
    deadline = forms.DateField(label=_("完成期限"), required=False, widget=_date())
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=OrgUnit.objects.none(), required=False,
                                       widget=_select())
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"), queryset=OrgUnit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}))
    weight = forms.CharField(label=_("权重"), required=False, widget=_text())
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, target: Target, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(is_active=True)
        self.fields["lead_unit"].queryset = units
        self.fields["cooperating_units"].queryset = units
        self.initial.setdefault("expected_version", target.version)
        for name in ("title", "target_value", "target_value_max", "unit", "deadline", "lead_unit", "weight"):
            value = getattr(target, name)
            self.initial.setdefault(name, num(value) if name in {"target_value", "target_value_max", "weight"}
                                    and value is not None else value)
        self.initial.setdefault("cooperating_units", list(target.cooperating_units.all()))
        for row in range(SPLIT_ROWS):
            self.fields[f"part{row}_title"] = forms.CharField(label=_("目标内容"), required=False, widget=_text())
            self.fields[f"part{row}_target_value"] = forms.CharField(label=_("目标值"), required=False, widget=_text())
            self.fields[f"part{row}_unit"] = forms.CharField(label=_("单位"), required=False, widget=_text())
            self.fields[f"part{row}_deadline"] = forms.DateField(label=_("完成期限"), required=False, widget=_date())
            self.fields[f"part{row}_lead_unit"] = forms.ModelChoiceField(
                label=_("牵头单位"), queryset=units, required=False, widget=_select())

    def change_fields(self) -> list:
        return [self[name] for name in TargetAdjustment.CHANGEABLE]

    def split_rows(self) -> list[list]:
        return [[self[f"part{row}_{f}"] for f in ("title", "target_value", "unit", "deadline", "lead_unit")]
                for row in range(SPLIT_ROWS)]

    def proposal(self, target: Target) -> dict:
        """The changed fields of a content change (untouched fields are not proposed)."""
        data = self.cleaned_data
        changes = {}
        for name in TargetAdjustment.CHANGEABLE:
            if name in self.changed_data:
                changes[name] = data.get(name)
        return changes

    def parts(self) -> list[dict]:
        data = self.cleaned_data
        return [{f: data.get(f"part{row}_{f}") for f in ("title", "target_value", "unit", "deadline", "lead_unit")}
                for row in range(SPLIT_ROWS)]


class AdjustmentDecisionForm(forms.Form):
    comment = forms.CharField(label=_("审批意见"), required=False, widget=_area(2))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
