"""Areas as people write them, converted to 亩 (1 亩 = 666.67 m², 1 公顷 = 10000 m²)."""

from decimal import Decimal

import pytest

from yuanqu.land.areas import AreaError, parse_area


@pytest.mark.parametrize(("text", "mu"), [
    ("12.5亩", "12.50"),
    ("12.5 亩", "12.50"),
    ("120", "120.00"),            # a bare number is 亩
    ("666.67平方米", "1.00"),
    ("8000平方米", "12.00"),      # 8000 / 666.67 = 11.99998…
    ("8,000 m²", "12.00"),
    ("10000㎡", "15.00"),
    ("1公顷", "15.00"),
    ("1.2公顷", "18.00"),
    ("2.5HA", "37.50"),
    ("1000平米", "1.50"),
])
def test_written_areas_become_mu(text, mu):
    assert parse_area(text) == Decimal(mu)


@pytest.mark.parametrize(("text", "says"), [
    ("", "不是面积"),
    ("十亩", "不是面积"),
    ("12.5平方公里", "不是面积"),   # a unit we do not convert is refused, not guessed
    ("-3亩", "不是面积"),
    ("0亩", "应大于零"),
    ("0.001平方米", "应大于零"),    # rounds to 0.00 亩
])
def test_what_is_not_an_area_is_refused_in_chinese(text, says):
    with pytest.raises(AreaError) as exc:
        parse_area(text)
    assert says in str(exc.value)
