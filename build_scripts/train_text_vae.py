"""Train the shipped sentence VAE on resources/text/fortune-lines.txt (see build_text_corpus.py).

Logs reconstruction and KL per sentence each epoch, and fails (exit 1, nothing written) when the
KL ends below --min-kl nats per sentence: a collapsed VAE ignores its code and is a failed build.
One line in 20 (fixed by content) is held out for bench/text_vae.py.

    nice -n 10 python build_scripts/train_text_vae.py [--epochs 16] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.jobs import Progress, Result  # noqa: E402
from models.verse.vae import VAEConfig, is_held_out, train_text_vae  # noqa: E402
from models.verse.verse import read_corpus  # noqa: E402

CORPUS = ROOT / "resources" / "text" / "fortune-lines.txt"
OUTPUT = ROOT / "resources" / "text" / "text-vae.safetensors"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=16)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--hidden", type=int, default=160)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-kl", type=float, default=3.0)
    parser.add_argument("--word-dropout", type=float, default=0.6)
    parser.add_argument("--free-bits", type=float, default=0.25, help="nats per latent dimension (32 dimensions)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    lines = read_corpus(CORPUS)
    training = [line for line in lines if not is_held_out(line)]
    print(f"{len(training)} training lines, {len(lines) - len(training)} held out")
    start = time.perf_counter()
    config = VAEConfig(vocab_size=0, embed=96, hidden=args.hidden, latent=32)
    job = train_text_vae(
        training,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=3e-3,
        word_dropout=args.word_dropout,
        free_bits=args.free_bits,
        seed=args.seed,
        config=config,
        min_count=args.min_count,
    )
    vae = None
    for event in job:
        if isinstance(event, Progress):
            print(event.message, flush=True)
        elif isinstance(event, Result):
            vae = event.value
    history = vae.metadata["history"]
    final_kl = history[-1]["kl"]
    if final_kl < args.min_kl:
        print(f"FAILED: the KL ended at {final_kl:.2f} nats per sentence (< {args.min_kl}): the VAE collapsed.")
        return 1
    vae.save(
        args.output,
        training={
            "corpus": "resources/text/fortune-lines.txt (Debian fortunes: songs-poems, love, literature, art, wisdom, platitudes; BSD)",
            "lines": len(training),
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "min_count": args.min_count,
            "word_dropout": args.word_dropout,
            "free_bits_per_dimension": args.free_bits,
            "kl_annealing": "logistic over the first 40% of steps",
            "seconds": round(time.perf_counter() - start, 1),
            "final": history[-1],
            "history": history,
        },
    )
    print(json.dumps(history[-1]), "->", args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
