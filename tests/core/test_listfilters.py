"""core.listfilters: a list's filters declared once — what a stale or hand-typed query string does
(ignored, never an error), the export's note line and what the queryset keeps."""

import datetime as dt

import pytest
from django.db.models import Q
from django.http import QueryDict
from django.template import Context, Template
from drf_spectacular.types import OpenApiTypes

from yuanqu.core.listfilters import Choice, Filter, Flag, ListFilters, Ref, Search, Year
from yuanqu.org.models import OrgUnit

UNITS = ListFilters(
    Choice("kind", OrgUnit.Kind, "类型"),
    Ref("parent", OrgUnit, "上级单位"),
    Ref("under", OrgUnit, "所属", apply=lambda qs, pk, on: qs.filter(path__startswith=OrgUnit.objects.get(pk=pk).path)),
    Choice("size", (("big", "大"), ("small", "小")), "规模", apply=lambda qs, value, on: qs),
    Flag("inactive", "只看停用", q=Q(is_active=False)),
    Flag("created", "今天以前建立", q=lambda on: Q(created_at__date__lt=on), values=("1",)),
    Year("year", "建立年度", lookup="created_at__year", bounds=(2000, 2100)),
    Search(("name", "short_name")),
)


def test_nothing_chosen_reads_as_empty_strings_and_false():
    chosen = UNITS.parse(QueryDict(""))
    assert (chosen.kind, chosen.parent, chosen.inactive, chosen.year, chosen.q) == ("", "", False, "", "")
    assert chosen.labels() == [] and chosen.active() == [] and chosen == UNITS.none()
    with pytest.raises(AttributeError):
        chosen.nonsense  # noqa: B018


@pytest.mark.parametrize(("params", "name", "value"), [
    ("kind=nonsense", "kind", ""), ("kind=village", "kind", "village"), ("kind=VILLAGE", "kind", ""),
    ("parent=abc", "parent", ""), ("parent=-3", "parent", ""), ("parent=0", "parent", ""),
    ("parent=99999999999999999999", "parent", ""), ("parent=%2B7", "parent", ""), ("parent=%207%20", "parent", 7),
    ("inactive=1", "inactive", True), ("inactive=true", "inactive", True), ("inactive=0", "inactive", False),
    ("inactive=yes", "inactive", False), ("created=true", "created", False), ("created=1", "created", True),
    ("year=1999", "year", ""), ("year=2024", "year", 2024), ("year=20.5", "year", ""), ("year=²", "year", ""),
    ("year=２０２４", "year", 2024), ("q=%20%20", "q", ""), ("q=" + "长" * 150, "q", "长" * 100),
    ("q=%20村%20", "q", "村"), ("q=%00%C3%9F%00", "q", "ß"), ("year=" + "1" * 5000, "year", ""),
    ("kind=vil%00lage", "kind", "village"),
])
def test_a_bad_value_is_ignored_never_raised(params, name, value):
    assert getattr(UNITS.parse(QueryDict(params)), name) == value


def test_a_plain_dict_and_the_last_repeated_value_are_read_as_the_pages_read_them():
    assert UNITS.parse({"kind": "village", "parent": 5}).as_dict()["parent"] == 5
    assert UNITS.parse(QueryDict("kind=area&kind=village")).kind == "village"


@pytest.mark.django_db
def test_labels_in_the_declared_order_with_one_query_per_model(units, django_assert_num_queries):
    chosen = UNITS.parse(QueryDict(f"q=村&parent={units['area'].pk}&under={units['agri'].pk}&kind=village"
                                   "&inactive=1&year=2024&size=big"))
    with django_assert_num_queries(1):  # both OrgUnit refs in one in_bulk
        labels = chosen.labels()
    assert labels == ["类型：村", "上级单位：三和片区", "所属：农业农村局", "规模：大", "只看停用", "建立年度：2024",
                      "搜索：“村”"]


@pytest.mark.django_db
def test_an_id_that_names_nothing_is_kept_labelled_missing_and_keeps_no_rows(units):
    chosen = UNITS.parse({"parent": "987654"})
    assert chosen.parent == 987654
    assert chosen.labels() == ["上级单位：（不存在）"]
    assert not chosen.apply(OrgUnit.objects.all()).exists()


@pytest.mark.django_db
def test_apply_narrows_by_lookup_hook_flag_and_search(units, django_assert_num_queries):
    units["invest"].is_active = False
    units["invest"].save()
    every = OrgUnit.objects.all()

    def names(params, on=None):
        return set(UNITS.parse(params).apply(every, on).values_list("name", flat=True))

    assert names({}) == {u.name for u in units.values()}
    assert names({"parent": str(units["committee"].pk)}) == {"招商局", "农业农村局"}
    assert names({"under": str(units["agri"].pk)}) == {"农业农村局", "三和片区", "三南村"}
    assert names({"kind": "village", "q": "南"}) == {"三南村"}
    assert names({"q": "片区"}) == {"三和片区"}
    assert names({"inactive": "1"}) == {"招商局"}
    assert names({"created": "1"}, on=dt.date(2000, 1, 1)) == set()  # Q built from the clock passed in
    assert names({"size": "big"}) == {u.name for u in units.values()}  # a hook that keeps everything
    with django_assert_num_queries(0):  # lazy: nothing read until the rows are
        UNITS.parse({"kind": "village", "parent": "1", "inactive": "1", "q": "x"}).apply(every)


@pytest.mark.django_db
def test_templates_compare_the_chosen_id_with_record_ids(units):
    chosen = UNITS.parse({"parent": str(units["agri"].pk)})
    html = Template("{% for u in units %}{% if filters.parent == u.pk %}[{{ u.name }}]{% endif %}{% endfor %}"
                    "{% if filters.kind %}kind{% endif %}").render(Context({"filters": chosen,
                                                                            "units": OrgUnit.objects.all()}))
    assert html == "[农业农村局]"


def test_openapi_parameters_follow_the_declaration():
    params = {p.name: p for p in UNITS.parameters(q="名称或简称中包含的文字")}
    assert list(params) == ["kind", "parent", "under", "size", "inactive", "created", "year", "q"]
    assert params["kind"].enum == OrgUnit.Kind.values and params["size"].enum == ["big", "small"]
    assert params["parent"].type == OpenApiTypes.INT and params["parent"].enum is None
    assert params["inactive"].enum == ["1"] and params["inactive"].description == "只看停用"
    assert params["q"].description == "名称或简称中包含的文字"


def test_two_filters_on_one_parameter_are_refused_at_declaration():
    with pytest.raises(AssertionError):
        ListFilters(Search(("name",)), Filter("q", "另一个"))


@pytest.mark.django_db
def test_labels_from_records_the_page_has_already_read_make_no_query(units, django_assert_num_queries):
    chosen = UNITS.parse({"parent": str(units["area"].pk), "under": str(units["invest"].pk)})
    shown = [units["area"]]  # the page's options: 招商局 is not among them
    with django_assert_num_queries(0):
        assert chosen.labels(known={OrgUnit: shown}) == ["上级单位：三和片区", "所属：（不存在）"]


@pytest.mark.django_db
def test_labels_of_some_filters_and_apply_skipping_one(units):
    chosen = UNITS.parse({"kind": "village", "inactive": "1", "q": "南"})
    assert chosen.labels(only=("inactive", "q")) == ["只看停用", "搜索：“南”"]
    names = set(chosen.apply(OrgUnit.objects.all(), skip=("inactive",)).values_list("name", flat=True))
    assert names == {"三南村"}  # 三南村 is active: only the flag was skipped


def test_a_label_may_read_the_other_filters_values():
    class Joined(Filter):
        def label(self, value, names, chosen):
            return f"{self.title}：{value}{chosen.q}"

    declared = ListFilters(Joined("a", "合"), Search(("name",)))
    assert declared.parse({"a": "x", "q": "y"}).labels() == ["合：xy", "搜索：“y”"]


@pytest.mark.django_db
def test_a_search_with_nul_characters_is_searched_without_them(units):
    # PostgreSQL's text cannot hold NUL: the fuzzer's "?q=%00" was a 500 there (the API's inspections).
    assert set(UNITS.parse(QueryDict("q=%00南%00")).apply(OrgUnit.objects.all()).values_list("name", flat=True)) \
        == {"三南村"}
