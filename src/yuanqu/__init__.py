"""yuanqu (园区): a development zone's annual work plan, tracked."""

__version__ = "0.1.0"
