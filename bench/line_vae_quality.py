"""Does the line VAE's code carry the line? Held-out measures, reconstructions read aloud, blends, riffs, samples.

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python bench/line_vae_quality.py \
        --checkpoint resources/text/line-vae.safetensors --out bench/results/line_vae_quality.json

For each checkpoint, on held-out corpus lines (1 in 20 by hash, 3 to 18 tokens, as the training script
holds them out): KL per line and active units (code variance > 0.01 across lines); the line's NLL under
the chat model steered by its own code against another line's code (the gap is what the code carries);
and the prior's mean code z = 0 (what the code adds over knowing nothing of the line); reconstruction: each
line encoded to its mean code and decoded greedily, scored by the share of the input's content words the
decoded line keeps (and the share of lines keeping at least half), word-overlap F1, corpus BLEU-4 and the decoded
lines' median perplexity (with --word-weights, again with the code's word bias weighted so); prior samples
decoded greedily: novelty (not a corpus line), distinct share, and fluency (median per-line perplexity
under the chat model after a neutral context, against the held-out corpus lines, as bench/text_quality.py
scores it). One float32 chat model serves all (the app decodes with its int4 weights: words may differ).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.text_quality import Scorer  # noqa: E402
from build_scripts.train_line_vae import corpus_ids, evaluate, held_out_inputs  # noqa: E402
from models.text.chat import ChatModel  # noqa: E402
from models.verse.line_form import FUNCTION_WORDS, normalise  # noqa: E402
from models.verse.line_vae import LineVAE  # noqa: E402
from models.verse.lm_decoder import FrozenLM  # noqa: E402
from models.verse.pronounce import words_in  # noqa: E402
from models.verse.vae import is_held_out  # noqa: E402
from models.verse.verse import DEFAULT_CORPUS, read_corpus  # noqa: E402

READ_ALOUD = [
    "The sea is calm tonight.",
    "I wandered lonely as a cloud",
    "The night is young and so are we",
]
BLENDS = [("The sea is calm tonight.", "I wandered lonely as a cloud")]


def content(line: str) -> set[str]:
    return set(words_in(line)) - FUNCTION_WORDS


def kept_words(source: str, decoded: str) -> float:
    """The share of the source's content words that the decoded line says (1.0 when it has none)."""
    wanted = content(source)
    return len(wanted & set(words_in(decoded))) / len(wanted) if wanted else 1.0


def bleu(pairs: list[tuple[str, str]], n: int = 4) -> float:
    """Corpus BLEU (Papineni et al. 2002) of the decoded lines against their sources, on lower-case words:
    the geometric mean of 1- to n-gram precisions (counts clipped) times the brevity penalty."""
    matched, total = [0] * n, [0] * n
    source_length = decoded_length = 0
    for source, decoded in pairs:
        s, d = words_in(source), words_in(decoded)
        source_length, decoded_length = source_length + len(s), decoded_length + len(d)
        for k in range(1, n + 1):
            wanted = Counter(tuple(s[i : i + k]) for i in range(len(s) - k + 1))
            said = Counter(tuple(d[i : i + k]) for i in range(len(d) - k + 1))
            matched[k - 1] += sum((wanted & said).values())
            total[k - 1] += sum(said.values())
    if min(matched) == 0 or decoded_length == 0:
        return 0.0
    precision = sum(math.log(m / t) for m, t in zip(matched, total, strict=True)) / n
    brevity = min(0.0, 1 - source_length / decoded_length)
    return math.exp(precision + brevity)


def word_overlap(source: str, decoded: str) -> float:
    """F1 of the two lines' words (as bags, lower case): 1.0 for the same words in any order."""
    s, d = Counter(words_in(source)), Counter(words_in(decoded))
    common = sum((s & d).values())
    return 0.0 if common == 0 else 2 * common / (sum(s.values()) + sum(d.values()))


def reconstruct(vae: LineVAE, scorer: Scorer, sources: list[str], codes: torch.Tensor, weight: float) -> dict:
    """Each source decoded greedily from its code with the word bias weighted by `weight` (as trained: 1.0):
    the words it keeps, and its fluency (median perplexity of the decoded lines)."""
    decoded: list[str] = []
    for first in range(0, len(sources), 32):
        decoded += vae.decode(codes[first : first + 32], word_weight=weight)
    pairs = list(zip(sources, decoded, strict=True))
    kept = [kept_words(s, d) for s, d in pairs]
    fluency = scorer.perplexities([d for d in decoded if d])
    return {
        "lines": len(sources),
        "word_weight": weight,
        "content_words_kept": round(statistics.mean(kept), 3),
        "lines_keeping_half": round(sum(k >= 0.5 for k in kept) / len(kept), 3),
        "exact": round(sum(normalise(s) == normalise(d) for s, d in pairs) / len(pairs), 3),
        "word_overlap_f1": round(statistics.mean(word_overlap(s, d) for s, d in pairs), 3),
        "bleu4": round(100 * bleu(pairs), 1),
        "median_perplexity": round(statistics.median(fluency), 1) if fluency else None,
        "examples": pairs[:10],
    }


def measure(vae: LineVAE, scorer: Scorer, lines: list[str], ids, held: list[int], corpus: set[str], args) -> dict:
    start, cpu = time.perf_counter(), time.process_time()
    features, start_features, past, position = held_out_inputs(vae, ids, held)
    held_ids = [ids[i] for i in held]
    numbers = evaluate(vae, features, held_ids, list(range(len(held))), start_features, past, position)
    sources = [lines[i] for i in held[: args.reconstruct]]
    codes = torch.cat([vae.encode(sources[first : first + 32])[0] for first in range(0, len(sources), 32)])
    by_weight = {str(w): reconstruct(vae, scorer, sources, codes, w) for w in args.word_weights}
    generator = torch.Generator().manual_seed(0)
    prior = [line for line in vae.decode(torch.randn((args.samples, vae.latent_size), generator=generator)) if line]
    fluency = scorer.perplexities(prior)
    own = [vae.decode(vae.encode([line])[0])[0] for line in READ_ALOUD]
    return {
        "held_out": numbers,
        "code_carries_nats": round(numbers["nll_per_line_other_code"] - numbers["nll_per_line_own_code"], 2),
        "code_adds_over_prior_mean_nats": round(
            numbers["nll_per_line_prior_mean_code"] - numbers["nll_per_line_own_code"], 2
        ),
        "reconstruction": {
            **reconstruct(vae, scorer, sources, codes, 1.0),
            "read_aloud": [[s, d] for s, d in zip(READ_ALOUD, own, strict=True)],
        },
        "reconstruction_by_word_weight": by_weight,
        "prior_samples": {
            "lines": len(prior),
            "novelty": round(sum(normalise(line) not in corpus for line in prior) / max(len(prior), 1), 3),
            "distinct": round(len({normalise(line) for line in prior}) / max(len(prior), 1), 3),
            "median_perplexity": round(statistics.median(fluency), 1) if fluency else None,
            "examples": prior[:10],
        },
        "blends": [vae.blend(a, b, 5) for a, b in BLENDS],
        "riffs": {line: vae.riff(line, n=4, seed=1) for line in READ_ALOUD[:2]},
        "training": {k: v for k, v in vae.metadata.get("training", {}).items() if k != "history"},
        "seconds": round(time.perf_counter() - start, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),  # this process's, load-independent
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoint", type=Path, action="append", required=True, help="repeat to compare")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/line_vae_quality.json")
    parser.add_argument("--held-out", type=int, default=256, help="held-out lines for KL, units and NLL")
    parser.add_argument("--reconstruct", type=int, default=64, help="held-out lines decoded from their codes")
    parser.add_argument("--samples", type=int, default=48, help="prior samples")
    parser.add_argument(
        "--word-weights", type=float, nargs="*", default=[], help="also reconstruct with the word bias weighted so"
    )
    args = parser.parse_args()
    torch.manual_seed(0)
    model = ChatModel.load(weights="float32")
    scorer = Scorer(model)
    corpus_lines = read_corpus(DEFAULT_CORPUS)
    corpus = {normalise(line) for line in corpus_lines}
    reference = [line for line in corpus_lines if is_held_out(line)]
    results: dict = {
        "reference": {
            "what": "held-out lines of resources/text/fortune-lines.txt, scored as the samples are",
            "lines": len(reference),
            "median_perplexity": round(statistics.median(scorer.perplexities(reference)), 1),
        }
    }
    lines, ids = corpus_ids(model.tokenizer, DEFAULT_CORPUS, 3, 18)
    held = [i for i, line in enumerate(lines) if is_held_out(line)][: args.held_out]
    for path in args.checkpoint:
        vae = LineVAE.load(path, FrozenLM(model.runner), model.tokenizer)
        results[str(path)] = measure(vae, scorer, lines, ids, held, corpus, args)
        print(json.dumps(results[str(path)], indent=1, ensure_ascii=False)[:3000], flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
