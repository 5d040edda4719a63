"""Speed of the Paint tab's fill (JSON out; not a test): small and large fills of a 2048-px canvas, this tree's
canvas beside another revision's, in one process, taking turns.

    QT_QPA_PLATFORM=offscreen python bench/fill_speed.py [--against main] [--side 2048] [--repeats 7] \
        > bench/results/fill_speed.json

Each case is timed twice: the mask alone (`flood_fill_mask`) and the whole fill as a click makes it (`fill_at`:
mask, undo step, paint). The figures are the UI thread's CPU milliseconds (time.thread_time), the median of
`--repeats`, so that a neighbour's load on a shared machine does not count; the load average is recorded beside them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CANVAS = "app/tabs/paint/canvas.py"
FILL_REGION = "app/tabs/paint/fill_region.py"  # where the fill's region is worked out, since session 24


def canvas_module_at(revision: str):
    """The canvas module as `revision` has it (with its fill_region module, where it has one), loaded beside this
    tree's (the rest of the app is this tree's)."""
    folder = Path(tempfile.mkdtemp())
    sys.path.insert(0, str(folder))
    source = _source_at(revision, CANVAS)
    region = _source_at(revision, FILL_REGION, missing_ok=True)
    if region is not None:
        (folder / "fill_region_at_revision.py").write_text(region)
        source = source.replace("from app.tabs.paint.fill_region import", "from fill_region_at_revision import")
    path = folder / "canvas_at_revision.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("canvas_at_revision", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _source_at(revision: str, path: str, missing_ok: bool = False) -> str | None:
    shown = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, text=True)
    if shown.returncode and missing_ok:
        return None
    shown.check_returncode()
    return shown.stdout


def pictures(side: int):
    """(name, RGB picture, seed point, what it shows): small regions and large ones."""
    import numpy as np

    rng = np.random.default_rng(1)
    middle = side // 2
    white = np.full((side, side, 3), 255, dtype=np.uint8)
    box = white.copy()
    box[middle - 40, middle - 50 : middle + 50] = box[middle + 40, middle - 50 : middle + 50] = 0
    box[middle - 40 : middle + 41, middle - 50] = box[middle - 40 : middle + 41, middle + 50] = 0
    rows, columns = np.mgrid[0:side, 0:side]
    photo = np.stack([columns * 255 // (side - 1), rows * 255 // (side - 1), (rows + columns) * 255 // (2 * side - 2)],
                     axis=-1).astype(np.int16)
    photo = np.clip(photo + rng.integers(-12, 13, photo.shape), 0, 255).astype(np.uint8)  # a gradient with noise
    spot = photo.copy()
    spot[(rows - middle) ** 2 + (columns - middle) ** 2 < 40**2] = (30, 200, 90)  # a small patch of one colour
    return [
        ("small: inside a 100x80 box on a blank canvas", box, (middle, middle)),
        ("small: a patch 80 px across in a noisy photo", spot, (middle, middle)),
        ("large: a region of a noisy photo", photo, (middle, middle)),
        ("large: a blank canvas", white, (middle, middle)),
    ]


def median_cpu_ms(work, repeats: int, before=lambda: None) -> float:
    times = []
    for _ in range(repeats):
        before()
        start = time.thread_time()
        work()
        times.append((time.thread_time() - start) * 1000)
    return round(statistics.median(times), 1)


def time_fill(module, picture, image, seed: tuple[int, int], repeats: int) -> dict[str, float]:
    """The mask alone, and a click of the fill bucket on a canvas showing `image` (the same picture, RGB32)."""
    from PySide6.QtGui import QColor

    canvas = module.PaintCanvas(image.size())
    canvas.colour = QColor(200, 30, 30)

    def fresh() -> None:
        canvas.image = image.copy()
        canvas.undo_stack.clear()

    return {"mask ms": median_cpu_ms(lambda: module.flood_fill_mask(picture, *seed), repeats),
            "fill_at ms": median_cpu_ms(lambda: canvas.fill_at(*seed), repeats, fresh)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", default="main", help="the revision to compare with (its canvas.py)")
    parser.add_argument("--side", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from app.tabs.images import array_to_image
    from app.tabs.paint import canvas as this_tree

    QApplication.instance() or QApplication([])
    modules = {args.against: canvas_module_at(args.against), "this tree": this_tree}
    results = []
    for name, picture, (x, y) in pictures(args.side):
        image = array_to_image(picture)
        row: dict = {"case": name, "pixels filled": int(this_tree.flood_fill_mask(picture, x, y).sum())}
        for label, module in modules.items():  # each revision's turn, case by case: the same load for both
            row[label] = time_fill(module, picture, image, (x, y), args.repeats)
        results.append(row)
        print(json.dumps(row), file=sys.stderr)
    print(json.dumps({"side": args.side, "repeats": args.repeats, "against": args.against,
                      "load average": os.getloadavg(), "ui thread cpu ms, median": results}, indent=1))


if __name__ == "__main__":
    main()
