"""Can the finish's discriminator tell plain stroke renders from the painter's paintings at all?

    python bench/finish_discriminator.py [--style van-gogh] [--steps 300] [--width 32]

The finish's adversarial training needs a discriminator that sees the difference between a stroke render's
surface and the painter's; in sessions 10 and 11 it sat near chance (hinge 1.6-1.9, 2.0 for guessing) while
the finish trained. This trains a fresh discriminator, as the finish trainer builds it, on *plain* renders
(no finish: a fixed target, so nothing moves under it) against crops of the paintings, for each way of
showing them (crop centres anywhere or on edges; the whole image or its detail; DiffAugment on or off), and
scores it on renders and paintings it never saw (every fourth training input and every fourth painting held
out): the share of patches it calls right, and its hinge loss there. Needs the cached renders of
build_scripts/train_finish.py (made if missing). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_scripts.train_finish import WORK, make_renders  # noqa: E402
from build_scripts.train_styles import ART, STYLES  # noqa: E402
from models.paint import losses as L  # noqa: E402
from models.paint.finish.training import FinishData, judged  # noqa: E402
from models.paint.images import load_image  # noqa: E402
from models.paint.network import PatchDiscriminator  # noqa: E402

SETTINGS = (  # (crop centres, what it is shown, DiffAugment)
    ("anywhere", "detail", True),
    ("edges", "detail", True),
    ("edges", "detail", False),
    ("edges", "image", True),
)


def score(discriminator: PatchDiscriminator, renders: torch.Tensor, real: torch.Tensor, shown: str) -> dict:
    with torch.no_grad():
        real_logits, _ = discriminator(judged(real, shown))
        fake_logits, _ = discriminator(judged(renders, shown))
    right = [
        float(((r > 0).float().mean() + (f < 0).float().mean()) / 2)
        for r, f in zip(real_logits, fake_logits, strict=True)
    ]
    return {
        "patches_right": round(float(np.mean(right)), 3),
        "hinge": round(float(L.discriminator_hinge_loss(real_logits, fake_logits)), 3),
    }


def trial(train: FinishData, held: FinishData, centres: str, shown: str, augment: bool, args) -> dict:
    torch.manual_seed(0)
    discriminator = PatchDiscriminator(width=args.width)
    optimizer = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.0, 0.99))
    losses = []
    for step in range(args.steps):
        renders, real = train.finish_batch(0, step, args.batch, centres)
        images = torch.cat([real, renders])
        if augment:
            images = L.diff_augment(images, torch.Generator().manual_seed(step))
        logits, _ = discriminator(judged(images, shown))
        count = real.shape[0]
        loss = L.discriminator_hinge_loss([x[:count] for x in logits], [x[count:] for x in logits])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(discriminator.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    renders, real = held.finish_batch(1, 0, 64, centres)
    return {
        "centres": centres,
        "shown": shown,
        "augment": augment,
        "train_hinge_last_50": round(float(np.mean(losses[-50:])), 3),
        "held_out": score(discriminator, renders, real, shown),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default="van-gogh")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=4, help="renders and paintings each, per step (the trainer's)")
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--max-inputs", type=int, default=19)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    folder = WORK / args.style / "renders"
    make_renders(args.style, folder, 2, args.max_inputs)
    files = sorted(folder.glob("*.png"))  # INPUT-VARIANT.png: both variants of an input go the same way
    renders = [Image.open(path).convert("RGB") for path in files]
    held_render = [int(path.name.split("-")[0]) % 4 == 3 for path in files]
    paintings: list[Image.Image] = [load_image(ART / f, max_side=1024).image for f in STYLES[args.style]]

    def split(items: list, held: list[bool]) -> tuple[list, list]:
        return [x for x, h in zip(items, held, strict=True) if not h], [
            x for x, h in zip(items, held, strict=True) if h
        ]

    train_renders, held_renders = split(renders, held_render)
    train_paintings, held_paintings = split(paintings, [i % 4 == 3 for i in range(len(paintings))])
    train = FinishData(train_renders, train_paintings, 64)
    held = FinishData(held_renders, held_paintings, 64)
    rows = []
    for centres, shown, augment in SETTINGS:
        started = time.perf_counter()
        rows.append(trial(train, held, centres, shown, augment, args) | {"seconds": 0.0})
        rows[-1]["seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    result = {
        "style": args.style,
        "steps": args.steps,
        "width": args.width,
        "renders": [len(train_renders), len(held_renders)],
        "paintings": [len(train_paintings), len(held_paintings)],
        "rows": rows,
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
