"""`atelier self-test`: a quick, real check of every installed engine and of the app's foundations.

Each engine adds one entry to `SELF_TEST_CHECKS`: a name and "module:function", where the
function runs its engine once for real and returns a short line of what it did (or raises).
"""

from __future__ import annotations

import importlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.log import logger

SELF_TEST_CHECKS: list[tuple[str, str]] = [
    ("device", "app.selftest:check_device"),
    ("checkpoints", "app.selftest:check_checkpoint_round_trip"),
    ("history", "app.selftest:check_store"),
    ("painting styles", "models.paint.selftest:self_test"),
    ("melody styles", "models.music.selftest:self_test"),
    ("chat model", "models.text.selftest:check_chat_model"),
    ("text VAE", "models.verse.selftest:check_text_vae"),
    ("melody audio", "app.app_checks:check_melody_audio"),
    ("main window", "app.app_checks:check_main_window"),
]


@dataclass
class CheckOutcome:
    name: str
    ok: bool
    detail: str
    seconds: float


def check_device() -> str:
    from models.device import pick_device

    return pick_device().description


def check_checkpoint_round_trip() -> str:
    import torch

    from models.checkpoint import load_checkpoint, save_checkpoint

    with tempfile.TemporaryDirectory() as folder:
        weights = {"w": torch.arange(6, dtype=torch.float32).reshape(2, 3)}
        path = save_checkpoint(Path(folder) / "check.safetensors", weights, kind="self-test")
        loaded = load_checkpoint(path, kind="self-test")
        if not torch.equal(loaded.tensors["w"], weights["w"]):
            raise RuntimeError("a checkpoint did not read back what was written")
    return "safetensors + JSON round trip"


def check_store() -> str:
    from app.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "history.sqlite3")
        item_id = store.add_item("self-test", params={"n": 1}, seed=1)
        ok = store.item(item_id) is not None
        store.close()
    if not ok:
        raise RuntimeError("the history did not read back an item it stored")
    return "SQLite history round trip"


def _resolve(target: str) -> Callable[[], str]:
    module_name, function_name = target.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def run_self_test(report: Callable[[CheckOutcome], None] | None = None) -> list[CheckOutcome]:
    outcomes = []
    for name, target in SELF_TEST_CHECKS:
        start = time.perf_counter()
        try:
            detail, ok = str(_resolve(target)()), True
        except Exception as error:  # every check runs; the report names each failure, the log has the traceback
            logger.exception("self-test check %s failed", name)
            detail, ok = str(error) or "it failed without a message (the details are in the log)", False
        outcome = CheckOutcome(name, ok, detail, time.perf_counter() - start)
        outcomes.append(outcome)
        if report is not None:
            report(outcome)
    return outcomes
