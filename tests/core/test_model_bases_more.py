"""More of the model bases: a stage's evidence files (`Attachment.of_stage`) and the 督办单 a record
is raised to (`raised_to_supervision`); and the short lists older than `ListedItem`, declared on their own.
Each declares exactly the fields the models declared themselves, in their order (no migration)."""

from django.db import models

from yuanqu.core.attachments import Attachment
from yuanqu.disputes.models import DisputeCase
from yuanqu.grid.models import GridEvent
from yuanqu.inspections import models as inspections
from yuanqu.investment.models import AttractionMode, CompanyTag
from yuanqu.projects import models as projects
from yuanqu.projects.models import ProblemCategory
from yuanqu.visits.models import EnterpriseRequest


def names(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields]


def test_a_stages_evidence_keeps_its_key_file_scope_and_meta():
    for module, key, stage in ((inspections, "stage", inspections.WorkStage), (projects, "step", projects.StageStep)):
        model = module.StageEvidence
        assert issubclass(model, Attachment) and not model._meta.abstract
        assert names(model) == ["id", "name", "uploaded_by", "uploaded_at", key, "file"]
        fk = model._meta.get_field(key)
        assert fk.related_model is stage and fk.remote_field.related_name == "evidence"
        assert fk.remote_field.on_delete is models.CASCADE and str(fk.verbose_name) == "阶段"
        file = model._meta.get_field("file")
        assert file.upload_to is module._evidence_path  # the register's own path, named by its migrations
        assert file.max_length == 300 and str(file.verbose_name) == "佐证材料"
        assert model.scope.via == key
        assert str(model._meta.verbose_name) == str(model._meta.verbose_name_plural) == "阶段佐证材料"
        assert model._meta.ordering == ["id"]


def test_an_older_list_keeps_its_name_and_switch():
    expected = {
        AttractionMode: ("招商方式", 30, ["id", "name", "order", "active"]),
        ProblemCategory: ("类别", 20, ["id", "name", "order", "active"]),
        CompanyTag: ("标签", 20, ["id", "name", "order"]),
    }
    for model, (label, length, fields) in expected.items():
        assert names(model) == fields
        name = model._meta.get_field("name")
        assert (str(name.verbose_name), name.max_length, name.unique) == (label, length, True)
        assert model._meta.ordering == ["order", "id"]
        assert str(model(name="以商招商")) == "以商招商"
    switch = AttractionMode._meta.get_field("active")
    assert (str(switch.verbose_name), switch.default) == ("启用", True)


def test_the_raised_item_is_one_field_in_each_registers_own_place():
    shapes = set()
    for model, before in ((DisputeCase, "closed_on"), (EnterpriseRequest, "return_count"),
                          (GridEvent, "escalated_on"), (inspections.Hazard, "reopen_count")):
        field = model._meta.get_field("supervision_item")
        shapes.add(repr(field.deconstruct()[1:]))
        assert names(model).index("supervision_item") == names(model).index(before) + 1
        assert field.remote_field.on_delete is models.SET_NULL and not field.editable
    assert len(shapes) == 1
