"""`atelier self-test`: a quick, real check of every installed engine and of the app's foundations.

Each engine adds one entry to `SELF_TEST_CHECKS`: a name and a function that runs its engine once for
real and returns a short line of what it did (or raises). The functions import their engine when they
run, so that one engine that cannot load fails its own check and no other.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.log import logger


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


def check_painting_styles() -> str:
    from models.paint.selftest import self_test

    return self_test()


def check_melody_styles() -> str:
    from models.music.selftest import self_test

    return self_test()


def check_chat_model() -> str:
    from models.text.selftest import check_chat_model

    return check_chat_model()


def check_text_vae() -> str:
    from models.verse.selftest import check_text_vae

    return check_text_vae()


def check_melody_audio() -> str:
    from app.app_checks import check_melody_audio

    return check_melody_audio()


def check_main_window() -> str:
    from app.app_checks import check_main_window

    return check_main_window()


SELF_TEST_CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("device", check_device),
    ("checkpoints", check_checkpoint_round_trip),
    ("history", check_store),
    ("painting styles", check_painting_styles),
    ("melody styles", check_melody_styles),
    ("chat model", check_chat_model),
    ("text VAE", check_text_vae),
    ("melody audio", check_melody_audio),
    ("main window", check_main_window),
]


def run_self_test(report: Callable[[CheckOutcome], None] | None = None) -> list[CheckOutcome]:
    outcomes = []
    for name, check in SELF_TEST_CHECKS:
        start = time.perf_counter()
        try:
            detail, ok = str(check()), True
        except Exception as error:  # every check runs; the report names each failure, the log has the traceback
            logger.exception("self-test check %s failed", name)
            detail, ok = str(error) or "it failed without a message (the details are in the log)", False
        outcome = CheckOutcome(name, ok, detail, time.perf_counter() - start)
        outcomes.append(outcome)
        if report is not None:
            report(outcome)
    return outcomes
