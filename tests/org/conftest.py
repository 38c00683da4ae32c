from .named_units import zone  # noqa: F401  (units named in several ways)
