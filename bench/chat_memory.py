"""Peak resident memory of `atelier chat "hi"` and of the three engines loaded and used in one process.

    .venv/bin/python bench/chat_memory.py --out bench/results/chat_memory.json

Each case runs in its own process under /usr/bin/time -v ("Maximum resident set size"). Goals (#17):
chat < 400 MB, the three engines < 1.2 GB.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.report import publish  # noqa: E402

THREE_ENGINES = """
from models.assistant import writing
from models.assistant.creative import make_painting
from models.jobs import run_job
from models.music.generate import generate
from models.music.request import MelodyRequest
from models.paint.recipe import PaintRecipe
from models.text.chat import shared_chat_model
from models.text.sampling import SamplingSettings
from models.verse.line_form import LineForm
generate(MelodyRequest(style="irish", key="D", bars=16, seed=1, variations=4))
make_painting(PaintRecipe.for_request({"style": "turner", "subject": "a stormy harbour", "size": (768, 512)}, 1))
run_job(shared_chat_model("cpu").reply([{"role": "user", "content": "hi"}], SamplingSettings(max_new_tokens=16, seed=1)))
writing.song_writer().write("Write a song about the sea.", [LineForm(syllables=6)], None, 1)
"""


def peak_mb(command: list[str], env: dict) -> float:
    result = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, env=env, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    kilobytes = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    return round(kilobytes / 1000, 1)  # the convention: 1,053,808 kbytes read as 1.05 GB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/chat_memory.json")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as data:
        env = os.environ | {"ATELIER_DATA_DIR": data, "OMP_WAIT_POLICY": "PASSIVE"}
        atelier = [python, "-c", "import sys; from app.cli import main; sys.exit(main())"]
        results = {
            "atelier_chat_hi_mb": peak_mb(
                [*atelier, "chat", "hi", "--no-save", "--max-tokens", "16", "--seed", "1"], env
            ),
            "three_engines_one_process_mb": peak_mb([python, "-c", THREE_ENGINES], env),
            "unit": "MB as issue #17 counts them: /usr/bin/time -v's 'Maximum resident set size (kbytes)' / 1000 "
            "(those kbytes are KiB: 1,000 MB here is 977 MiB)",
        }
    publish(results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
