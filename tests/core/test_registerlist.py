"""core.registerlist: a register's list page and export declared once."""

import pytest

from yuanqu.core.listfilters import Choice, ListFilters
from yuanqu.core.registerlist import RegisterList, filter_note
from yuanqu.org.models import OrgUnit


def test_a_misspelt_declaration_is_refused_at_start_up():
    with pytest.raises(TypeError, match="tempalte"):
        RegisterList(tempalte="x.html")


def test_the_note_names_the_filters_only_when_some_are_chosen():
    kinds = ListFilters(Choice("kind", [("a", "甲"), ("b", "乙")], "类别"))
    assert filter_note(kinds.parse({})) == ""
    assert filter_note(kinds.parse({"kind": "b"})) == "；筛选：类别：乙"
    assert filter_note(kinds.parse({"kind": "zzz"})) == ""  # a bad value is ignored, as on the page


def test_a_subclass_and_a_declaration_give_the_same_two_views():
    class Units(RegisterList):
        sheet = "单位"

        def find(self, user, params, on):
            return None, OrgUnit.objects.none()

    declared = RegisterList(sheet="单位", find=lambda user, params, on: (None, OrgUnit.objects.none()))
    for lst in (Units(), declared):
        assert callable(lst.page) and callable(lst.export)
        assert lst.filename(None) == "单位.xlsx"
