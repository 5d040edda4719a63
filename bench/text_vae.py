"""Text VAE quality: reconstruction, KL per sentence, latent use, and how many sampled lines are new.

Prints JSON (and writes it with --out). On the held-out lines (1 in 20 of the corpus, fixed by
content) and on as many training lines: reconstruction NLL per sentence with the line's own code and
with another line's code (the gap is what the code carries; zero means a collapsed VAE), KL per
sentence, word accuracy and exact copies of greedy reconstructions, active latent units; then lines
sampled from the prior: the share that are not copies of training lines, and the share distinct.

    .venv/bin/python bench/text_vae.py --out bench/results/text_vae.json
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from bench.report import publish  # noqa: E402
from models.verse.vae import PAD, batch_tensors, is_held_out  # noqa: E402
from models.verse.verse import VerseWriter, normalise  # noqa: E402


@torch.no_grad()
def scores(writer: VerseWriter, lines: list[str]) -> dict:
    vae = writer.vae
    encoded = [vae.vocabulary.encode(line) for line in lines]
    source, lengths, inputs, targets = batch_tensors(encoded, vae.model.config.max_words)
    mu, logvar = vae.model.encode(source, lengths)
    kl = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).sum(dim=1)

    def nll(z: torch.Tensor) -> torch.Tensor:
        logits = vae.model.decode_logits(z, inputs)
        return F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=PAD, reduction="none").sum(dim=1)

    own = nll(mu)
    shuffled = nll(mu[torch.randperm(len(lines), generator=torch.Generator().manual_seed(0))])
    decoded = vae.decode(mu)
    words_right = words_total = exact = 0
    for got, want in zip(decoded, lines, strict=True):
        g, w = normalise(got).split(), normalise(want).split()
        words_right += sum(a == b for a, b in zip(g, w, strict=False))
        words_total += len(w)
        exact += g == w
    return {
        "lines": len(lines),
        "reconstruction_nll_per_sentence_own_code": round(own.mean().item(), 2),
        "reconstruction_nll_per_sentence_other_code": round(shuffled.mean().item(), 2),
        "kl_per_sentence": round(kl.mean().item(), 2),
        "greedy_word_accuracy": round(words_right / max(words_total, 1), 3),
        "greedy_exact_reconstructions": round(exact / len(lines), 3),
        "active_units": int((mu.var(dim=0) > 0.01).sum()),
        "latent_size": int(mu.shape[1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--checkpoint", type=Path, help="default: the shipped resources/text/text-vae.safetensors")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    writer = VerseWriter.load(args.checkpoint)
    held = [line for line in writer.corpus if is_held_out(line)]
    trained = [line for line in writer.corpus if not is_held_out(line)][: len(held)]
    generator = torch.Generator().manual_seed(0)
    z = torch.randn((args.samples, writer.vae.latent_size), generator=generator)
    samples = {}
    for name, temperature in (("greedy", 0.0), ("temperature_0.8", 0.8)):
        lines = [line for line in writer.vae.decode(z, temperature, generator) if line.strip()]
        samples[name] = {
            "sampled": args.samples,
            "share_not_copies": round(sum(not writer.is_copy(line) for line in lines) / max(len(lines), 1), 3),
            "share_distinct": round(len({normalise(line) for line in lines}) / max(len(lines), 1), 3),
            "examples": lines[:8],
        }
    result = {
        "benchmark": "text_vae",
        "checkpoint_training": {k: v for k, v in writer.vae.metadata.get("training", {}).items() if k != "history"},
        "held_out": scores(writer, held),
        "training_lines": scores(writer, trained),
        "prior_samples": samples,
        "near_theme_example": {
            "theme": "the stormy sea at night",
            "lines": writer.lines_near("the stormy sea at night", n=5, seed=0),
        },
        "blend_example": writer.blend("the sea is calm tonight", "my heart is on fire", steps=5),
    }
    publish(result, args.out)


if __name__ == "__main__":
    main()
