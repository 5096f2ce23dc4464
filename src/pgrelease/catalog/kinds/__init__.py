"""The object kinds, one module each. ``KINDS`` is built from the modules of this package
(every module's ``KIND``), in display and dependency order (``Kind.rank``): adding a kind is
adding a module here, with its query file(s) in ``sql/``. ``tests/catalog/test_kinds.py``
checks that each kind declares every part.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..base import Kind


def _discover() -> dict[str, Kind]:
    found: list[Kind] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if not isinstance(kind, Kind):
            raise TypeError(f"{module.__name__} declares no KIND")
        found.append(kind)
    found.sort(key=lambda k: k.rank)
    return {k.name: k for k in found}


#: Every kind by name, in display and dependency order.
KINDS: dict[str, Kind] = _discover()

#: Display and dependency order of the kinds.
KIND_ORDER: tuple[str, ...] = tuple(KINDS)
