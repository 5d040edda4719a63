"""The check a learned amount's "0 works nothing out" test makes: at 0 the amount's mechanism is never reached (so a
style saved before it paints as before, drawing nothing from the generator), and switched on it is."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest


def assert_reached_only_when_on(
    monkeypatch: pytest.MonkeyPatch,
    mechanism: list[tuple[ModuleType, str]],
    at_zero: Callable[[], object],
    switched_on: list[Callable[[], object]],
) -> None:
    """`mechanism`: the (module, function name) pairs the amount works through, each refused while `at_zero` paints."""

    def refused(*args, **kwargs):
        raise AssertionError("worked out at 0")

    for module, name in mechanism:
        monkeypatch.setattr(module, name, refused)
    at_zero()
    for paint in switched_on:  # the stand-ins are really reached, so the check above can fail
        with pytest.raises(AssertionError, match="worked out at 0"):
            paint()
