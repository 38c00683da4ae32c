"""Named hand-offs between registers that must not import each other's services.

One app *offers* a write under a name (supervision offers "supervision.raise_item"); another *asks*
for it by name (a project's problem raised to a 督办单). An app may also *listen* for a named
happening another app *announces* (a 督办单 办结), and act on it through its own services, which
write their own history — nothing here writes. Offers and listeners are registered in AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_offers: dict[str, Callable[..., Any]] = {}
_listeners: dict[str, list[Callable[..., None]]] = {}


def offer(name: str, func: Callable[..., Any]) -> None:
    _offers[name] = func


def ask(name: str, **kwargs) -> Any:
    """Call what another app offers under `name`; a missing offer is a programming error."""
    try:
        func = _offers[name]
    except KeyError:
        raise LookupError(f"no app offers {name!r}") from None
    return func(**kwargs)


def listen(name: str, func: Callable[..., None]) -> None:
    found = _listeners.setdefault(name, [])
    if func not in found:
        found.append(func)


def announce(name: str, **kwargs) -> None:
    """Tell the listeners (inside the announcer's transaction: a listener's refusal undoes the step)."""
    for func in _listeners.get(name, ()):
        func(**kwargs)
