"""Ids typed into URLs and forms: anything that is not a plausible primary key reads as None."""

MAX_ID = 2**63 - 1  # the largest key PostgreSQL's bigint and SQLite's INTEGER hold


def parse_id(value) -> int | None:
    """A positive integer that fits a database key, else None (so lookups 404 instead of 500)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    """`<id:pk>` in URLs: like `<int:…>` but never longer than a database key can be, so a
    huge number in a URL is a 404, not an overflow in the database driver."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def pick(queryset, value, *, field: str, label: str):
    """A record given as itself (forms) or by its id (API, imports, demo), among `queryset`; None
    for an empty value, and a message naming the field for an id that names nothing there."""
    from .errors import ApplicationError

    if value in (None, ""):
        return None
    if isinstance(value, queryset.model):
        return value
    pk = parse_id(value)
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ApplicationError(f"{label}“{value}”不存在。", field=field)
    return found
