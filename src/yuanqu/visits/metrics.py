from yuanqu.core.metrics import register  # noqa: F401
