"""Which importers exist: each app registers its own in `AppConfig.ready()`.

An importer is instantiated for each use (a preview, an apply, the template), so a register whose
columns come from data — one column per indicator the administrator keeps — reads them when the
import runs, not once at start-up; it builds them in a `cached_property` named `columns`."""

from __future__ import annotations

from django.http import Http404

_importers: dict[str, type] = {}


def register(importer_class):
    """Class decorator: `@register class UnitImporter(Importer): ...`."""
    _importers[importer_class.key] = importer_class
    return importer_class


def get_importer(key: str):
    try:
        return _importers[key]()
    except KeyError:
        raise Http404("没有这种导入。") from None


def all_importers() -> list:
    return [importer_class() for importer_class in _importers.values()]
