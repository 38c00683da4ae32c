"""Fixtures for the assessment tests: a year's active scheme (共性 20 / 个性 80) over the `plan`
fixture, and a helper to compute runs without the supervision app's statistics."""

import datetime as dt

import pytest

from yuanqu.assessment import services
from yuanqu.assessment.models import Scheme


def pytest_collection_modifyitems(items):
    # WhiteNoise warns about the (uncollected) STATIC_ROOT on every test client.
    for item in items:
        if "tests/assessment/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scheme(plan, users) -> Scheme:
    created = services.scheme_save(actor=users["supervisor"], data=services.default_scheme_data(plan.year))
    return services.scheme_activate(actor=users["supervisor"], scheme=created)


@pytest.fixture
def on(plan) -> dt.date:
    """Mid-year cut-off of the plan's year."""
    return dt.date(plan.year, 6, 30)


@pytest.fixture
def compute(users, on):
    """compute(scheme, on=..., stats={}) → Run, with supervision statistics injected (default none)."""

    def run(scheme, *, when=None, stats=None, actor=None):
        return services.run_compute(actor=actor or users["supervisor"], scheme=scheme, on=when or on,
                                    supervision_stats={} if stats is None else stats)

    return run
