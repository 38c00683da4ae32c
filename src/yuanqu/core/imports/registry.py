"""Which importers exist: each app registers its own in `AppConfig.ready()`."""

from __future__ import annotations

from django.http import Http404

_importers: dict[str, object] = {}


def register(importer_class):
    """Class decorator: `@register class UnitImporter(Importer): ...`."""
    _importers[importer_class.key] = importer_class()
    return importer_class


def get_importer(key: str):
    try:
        return _importers[key]
    except KeyError:
        raise Http404("没有这种导入。") from None


def all_importers() -> list:
    return list(_importers.values())
