"""Amounts as people write them (pure: no database)."""

from decimal import Decimal

import pytest

from yuanqu.investment.amounts import AmountError, parse_amount


@pytest.mark.parametrize("text, value, currency, approximate", [
    ("5000万元", "5000", "CNY", False),
    ("2.5亿元", "25000", "CNY", False),
    ("约五千万", "5000", "CNY", True),
    ("3000万美元", "3000", "USD", False),
    ("三千五百万左右", "3500", "CNY", True),
    ("一点五亿元", "15000", "CNY", False),
    ("1,200万元", "1200", "CNY", False),
    ("800000元", "80", "CNY", False),
    ("约合2000万欧元", "2000", "EUR", True),
    ("5000", "5000", "CNY", False),       # a bare number is the column's unit, 万元
    (5000.0, "5000", "CNY", False),       # as Excel stores it
    ("1.5千万", "1500", "CNY", False),
    ("两亿港元", "20000", "HKD", False),
])
def test_amounts_are_read_into_wan_of_their_currency(text, value, currency, approximate):
    amount = parse_amount(text)
    assert (amount.value, amount.currency, amount.approximate) == (Decimal(value), currency, approximate)


@pytest.mark.parametrize("text, words", [
    ("面议", "尚未确定时请留空"),
    ("待定", "尚未确定时请留空"),
    ("万元", "没有数额"),
    ("很多钱", "不是金额"),
    ("五千万亿元", "不是金额"),
])
def test_what_is_not_an_amount_is_refused_saying_what_to_write(text, words):
    with pytest.raises(AmountError) as exc:
        parse_amount(text)
    assert words in str(exc.value) and "5000万元" in str(exc.value)


def test_blank_is_no_amount():
    assert parse_amount("  ") is None and parse_amount(None) is None


def test_a_text_read_again_gives_the_same_amount_and_a_refusal_again(monkeypatch):
    """Each distinct text is read once (an import reads the same few thousands of times)."""
    assert parse_amount("约2.5亿元") == parse_amount(" 约2.5亿元") == parse_amount("约2.5亿元")
    for _ in range(2):
        with pytest.raises(AmountError):
            parse_amount("面议")
    assert parse_amount("5000") != parse_amount(5000.5)
