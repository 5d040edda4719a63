"""Can a code of K numbers name a held-out line's words? The line VAE's bottleneck, measured without it.

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python bench/line_code_words.py --out bench/results/line_code_words.json

A probe, not the VAE: a linear map from a line's features to K numbers, then to a vector in the chat model's
output space whose dot product with each word's (tied) embedding scores the words, as the line VAE's word
bias does; trained on the training lines with the bag-of-words loss (each distinct token of the line costs
its negative log-probability under one softmax over the corpus's tokens), deterministic (no noise, no KL),
scored on the held-out lines: the bag-of-words NLL per line, and recall@10 (the share of the line's content
-word tokens among the 10 words scored highest). Features: what the line VAE's encoder reads (the frozen
chat model's states at its first memory layer, the line's mean and last token, from the training script's
cache under build/line-vae), or the mean of the line's input embeddings. "frequency only" has no features:
one vector for every line. An upper bound for what a K-number code, read so, can say of a line's words.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import load_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import publish  # noqa: E402
from build_scripts.train_line_vae import corpus_ids  # noqa: E402
from models.text.chat import ChatModel  # noqa: E402
from models.verse.line_form import FUNCTION_WORDS  # noqa: E402
from models.verse.vae import is_held_out  # noqa: E402
from models.verse.verse import DEFAULT_CORPUS  # noqa: E402


def probe(x, embeddings, bag, content, held, width: int, epochs: int) -> dict:
    """Train the K-number linear probe (K = `width`; 0: one vector for all lines) and score it held out."""
    x = (x - x[~held].mean(0)) / (x[~held].std(0) + 1e-5)
    dim = embeddings.shape[1]
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], width), torch.nn.Linear(width, dim)) if width else None
    bias = torch.zeros(dim, requires_grad=True)
    optimiser = torch.optim.Adam([bias, *(net.parameters() if net else [])], lr=2e-3)

    def scores(rows: torch.Tensor) -> torch.Tensor:
        vector = bias + (net(x[rows]) if net else torch.zeros(len(rows), dim))
        return vector @ embeddings.T

    def loss(rows: torch.Tensor) -> torch.Tensor:
        return -(torch.log_softmax(scores(rows), -1) * bag[rows]).sum(1).mean()

    train, test = (~held).nonzero().squeeze(1), held.nonzero().squeeze(1)
    for _ in range(epochs):
        for rows in train[torch.randperm(len(train))].split(256):
            optimiser.zero_grad()
            loss(rows).backward()
            optimiser.step()
    with torch.no_grad():
        top = scores(test).topk(10, -1).indices
        recall = content[test].gather(1, top).sum() / content[test].sum()
        return {
            "held_out_bag_nll": round(loss(test).item(), 1),
            "train_bag_nll": round(loss(train).item(), 1),
            "content_recall_at_10": round(recall.item(), 3),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / "build/line-vae", help="the training script's cache")
    parser.add_argument("--widths", type=int, nargs="*", default=[32, 128])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/line_code_words.json")
    args = parser.parse_args()
    torch.manual_seed(0)
    start = time.process_time()
    model = ChatModel.load(weights="float32")
    lines, ids = corpus_ids(model.tokenizer, DEFAULT_CORPUS, 3, 18)
    features: list[torch.Tensor | None] = [None] * len(lines)
    for path in sorted(args.work.glob("features-*.safetensors")):
        for key, tensor in load_file(str(path)).items():
            features[int(key)] = tensor.float()
    if any(f is None for f in features):
        raise SystemExit(f"{args.work} lacks some lines' features: run build_scripts/train_line_vae.py first")
    vocabulary = sorted({t for line in ids for t in line})
    index = {t: i for i, t in enumerate(vocabulary)}
    with torch.no_grad():
        embeddings = model.runner.embed(torch.tensor(vocabulary)).float()
    bag, content = torch.zeros(len(lines), len(vocabulary)), torch.zeros(len(lines), len(vocabulary))
    for row, line in enumerate(ids):
        for token in line:
            bag[row, index[token]] = 1
            word = model.tokenizer.decode([token]).strip().lower()
            if word.isalpha() and len(word) > 2 and word not in FUNCTION_WORDS:
                content[row, index[token]] = 1
    held = torch.tensor([is_held_out(line) for line in lines])
    inputs = {
        "encoder's input (states at the first memory layer: mean, last)": torch.stack(
            [torch.cat([f.mean(0), f[-1]]) for f in features]  # type: ignore[union-attr]
        ),
        "mean of the input embeddings": torch.stack([embeddings[[index[t] for t in line]].mean(0) for line in ids]),
    }
    results: dict = {"lines": len(lines), "held_out": int(held.sum()), "vocabulary": len(vocabulary)}
    results["frequency only"] = probe(
        inputs["mean of the input embeddings"], embeddings, bag, content, held, 0, args.epochs
    )
    for width in args.widths:
        for name, x in inputs.items():
            results[f"{name}, K = {width}"] = probe(x, embeddings, bag, content, held, width, args.epochs)
            print(f"{name}, K = {width}:", results[f"{name}, K = {width}"], flush=True)
    results["cpu_seconds"] = round(time.process_time() - start)
    publish(results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
