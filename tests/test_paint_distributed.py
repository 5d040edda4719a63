"""The style training job runs unchanged under torchrun: two CPU processes on gloo stay in step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_two_gloo_processes_train_one_style_with_identical_weights(tmp_path):
    worker = Path(__file__).with_name("paint_ddp_worker.py")
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node",
        "2",
        str(worker),
        str(tmp_path),
    ]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
    assert finished.returncode == 0, finished.stderr[-3000:]
    rank0, rank1 = (tmp_path / "rank0.txt").read_text(), (tmp_path / "rank1.txt").read_text()
    assert rank0 == rank1  # DistributedDataParallel kept the two copies identical
    training = json.loads((tmp_path / "ddp.json").read_text())["training"]
    assert training["processes"] == 2 and training["steps"] == 3


def test_a_worker_leaves_with_its_code_and_its_output_written():
    # leave_process skips the interpreter's shutdown (where gloo's threads aborted a finished worker in a CI run),
    # so it must flush what the worker printed and pass its exit code on.
    program = "import sys; from models.paint.distributed import leave_process; print('done', end=''); sys.stderr.write('said'); leave_process(3)"
    root = Path(__file__).resolve().parents[1]
    finished = subprocess.run([sys.executable, "-c", program], cwd=root, capture_output=True, text=True, timeout=120)
    assert (finished.returncode, finished.stdout, finished.stderr) == (3, "done", "said")
