"""core.services.validator: validate() for many records at once, each value's field check made
once; the outcome and the message must be those of validate() for every record."""

import pytest

from yuanqu.core.errors import ApplicationError
from yuanqu.core.services import validate, validator
from yuanqu.org.models import OrgUnit


def _message(check, obj) -> str:
    with pytest.raises(ApplicationError) as info:
        check(obj)
    return info.value.message


@pytest.mark.django_db
def test_each_record_is_refused_or_passed_as_validate_would_with_the_same_message():
    check = validator(validate_unique=False)
    good = [OrgUnit(name="招商局", kind=OrgUnit.Kind.DEPARTMENT, order=3) for _ in range(3)]
    for unit in good:
        check(unit)  # no error, and the value is kept as cleaned
        assert unit.order == 3 and "clean_fields" not in vars(unit)
    for _ in range(2):  # a bad value seen again is refused again, in the same words
        bad_kind = OrgUnit(name="某单位", kind="nonsense")
        assert _message(check, bad_kind) == _message(lambda o: validate(o, validate_unique=False), bad_kind)
        too_long = OrgUnit(name="长" * 101, kind=OrgUnit.Kind.DEPARTMENT)
        expected = _message(lambda o: validate(o, validate_unique=False), too_long)
        assert _message(check, too_long) == expected and "名称" in expected
    # A value valid in one field is still checked in another (the memory is per field).
    assert "类型" in _message(check, OrgUnit(name="招商局", kind="招商局"))
