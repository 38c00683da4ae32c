"""A zone whose units plans name in several ways (市政务服务局, 经发局, 社事局)."""

import pytest

from yuanqu.org.models import OrgUnit


@pytest.fixture
def zone(units):
    """The conftest units plus 政务服务局, 经济发展局 and 社会事业局 (short name 社事局)."""
    committee = units["committee"]
    return {
        **units,
        "gov": OrgUnit.objects.create(name="政务服务局", parent=committee),
        "econ": OrgUnit.objects.create(name="经济发展局", parent=committee),
        "social": OrgUnit.objects.create(name="社会事业局", short_name="社事局", parent=committee),
    }
