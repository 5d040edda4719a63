"""Run by tests/test_paint_distributed.py under torchrun: a tiny style training on 2 CPU processes (gloo)."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_paint_training import PAINTINGS, PHOTOS, _tiny_config  # noqa: E402

from models.jobs import run_job  # noqa: E402
from models.paint.distributed import leave_process  # noqa: E402
from models.paint.training import StyleTrainer, train_style  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1])
    torch.set_num_threads(1)
    captured: dict = {}
    original_init = StyleTrainer.__init__

    def keep_trainer(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        captured["trainer"] = self

    StyleTrainer.__init__ = keep_trainer
    run_job(train_style(PAINTINGS, PHOTOS, out / "ddp.safetensors", _tiny_config(max_steps=3)))
    weights = b"".join(t.detach().numpy().tobytes() for t in captured["trainer"].renderer.state_dict().values())
    rank = os.environ["RANK"]
    (out / f"rank{rank}.txt").write_text(hashlib.sha256(weights).hexdigest())
    leave_process(0)  # as `atelier train-style` ends under torchrun


if __name__ == "__main__":
    main()
