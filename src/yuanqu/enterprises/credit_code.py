"""统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet (digits and capital
letters without I, O, Z, S, V); the 18th is a check character computed from the first 17."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """People type lower case, spaces and full-width characters; the code itself is upper-case ASCII."""
    text = "".join(code.split()).upper()
    return text.translate({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)})


def credit_code_problem(code: str) -> str | None:
    """Why `code` is not a valid 统一社会信用代码, in Chinese; None when it is."""
    if len(code) != 18:
        return f"应为18位，“{code}”有{len(code)}位。"
    wrong = sorted({c for c in code if c not in ALPHABET})
    if wrong:
        return f"含有不允许的字符“{''.join(wrong)}”（只允许数字和除 I、O、Z、S、V 以外的大写字母）。"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"校验位不符：按前17位计算，第18位应为“{expected}”，而填写的是“{code[17]}”，请核对是否抄错。"
    return None
