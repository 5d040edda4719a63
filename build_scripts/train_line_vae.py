"""Train the line VAE (encoder + code-to-memory map) on the frozen chat model; resumable, time-limited.

    nice -n 10 env OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE .venv/bin/python build_scripts/train_line_vae.py --minutes 55

1. Reads every corpus line once through the chat model's frozen lower layers and caches their hidden
   states (float16, in chunks under --work, so an interrupted run resumes where it stopped).
2. Trains the encoder and memory map through the top layers only, from the cache; checkpoints (weights,
   Adam state, step, history: safetensors + JSON) every --checkpoint-every steps and resumes from there.
3. Writes resources/text/line-vae.safetensors with the held-out measures (KL per line, active units,
   reconstruction with the line's own code against another line's).
Data: resources/text/fortune-lines.txt (Debian fortunes, BSD). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.files import atomic_write_bytes  # noqa: E402
from models.text.chat import ChatModel  # noqa: E402
from models.verse.line_vae import LineCoder, LineVAE, LineVAEConfig  # noqa: E402
from models.verse.line_vae_training import (  # noqa: E402
    bag_of_words,
    kl_per_dimension,
    kl_weight,
    learning_rate,
    training_loss,
)
from models.verse.lm_decoder import DecodeState, FrozenLM  # noqa: E402
from models.verse.vae import is_held_out  # noqa: E402
from models.verse.verse import read_corpus  # noqa: E402


def log(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, flush=True)


def corpus_ids(tokenizer, path: Path, min_tokens: int, max_tokens: int) -> tuple[list[str], list[list[int]]]:
    lines, ids = [], []
    for line in read_corpus(path):
        encoded = tokenizer.encode(" ".join(line.split()), allow_control=False)
        if min_tokens <= len(encoded) <= max_tokens:
            lines.append(line)
            ids.append(encoded)
    return lines, ids


def build_cache(
    vae: LineVAE, ids: list[list[int]], work: Path, chunk: int = 64, limit: int | None = None
) -> list[torch.Tensor | None]:
    """Lower-layer states per line (float16), computed in chunks of similar length, resumable. With
    `limit`, only the shortest `limit` lines (whole chunks) are read; the others stay None."""
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    if limit is not None:
        order = order[: limit // chunk * chunk]
    features: list[torch.Tensor | None] = [None] * len(ids)
    start = time.perf_counter()
    for number, first in enumerate(range(0, len(order), chunk)):
        rows = order[first : first + chunk]
        path = work / f"features-{number:04d}.safetensors"
        if not path.exists():
            hidden, lengths = vae.line_features([ids[i] for i in rows])
            tensors = {str(i): hidden[k, : lengths[k]].half().contiguous() for k, i in enumerate(rows)}
            save_file(tensors, str(path.with_suffix(".tmp")))
            path.with_suffix(".tmp").rename(path)
            done = first + len(rows)
            rate = (time.perf_counter() - start) / max(done, 1)
            log(f"cache {done}/{len(ids)} lines ({rate * (len(ids) - done) / 60:.1f} min left at this rate)")
        for key, tensor in load_file(str(path)).items():
            features[int(key)] = tensor
    return features  # type: ignore[return-value]


def batches(lengths: list[int], batch_size: int, generator: torch.Generator) -> list[list[int]]:
    """Batches of lines of similar length (little padding), in a random order."""
    noise = torch.rand(len(lengths), generator=generator).tolist()
    order = sorted(range(len(lengths)), key=lambda i: lengths[i] + noise[i] * 2)
    groups = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    shuffled = torch.randperm(len(groups), generator=generator).tolist()
    return [groups[i] for i in shuffled]


def pad(features: list[torch.Tensor], rows: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(features[i].shape[0] for i in rows)
    out = torch.zeros((len(rows), width, features[rows[0]].shape[1]))
    for k, i in enumerate(rows):
        out[k, : features[i].shape[0]] = features[i].float()
    return out, torch.tensor([features[i].shape[0] for i in rows])


def make_targets(ids: list[list[int]], rows: list[int], index: dict[int, int], end: int, width: int) -> torch.Tensor:
    targets = torch.full((len(rows), width + 1), -100, dtype=torch.long)
    for k, i in enumerate(rows):
        line = [index[t] for t in ids[i]] + [index[end]]
        targets[k, : len(line)] = torch.tensor(line)
    return targets


def save_state(path: Path, coder: LineCoder, optimiser: torch.optim.Adam, info: dict) -> None:
    tensors = {f"model.{k}": v.detach().contiguous() for k, v in coder.state_dict().items()}
    for name, parameter in coder.named_parameters():
        state = optimiser.state.get(parameter)
        if state:
            tensors[f"adam.{name}.exp_avg"] = state["exp_avg"].contiguous()
            tensors[f"adam.{name}.exp_avg_sq"] = state["exp_avg_sq"].contiguous()
            info.setdefault("adam_steps", {})[name] = float(state["step"])
    save_file(tensors, str(path.with_suffix(".tmp")))
    path.with_suffix(".tmp").rename(path)
    atomic_write_bytes(path.with_suffix(".json"), json.dumps(info, indent=1).encode())


def load_state(path: Path, coder: LineCoder, optimiser: torch.optim.Adam) -> dict:
    tensors = load_file(str(path))
    info = json.loads(path.with_suffix(".json").read_text())
    coder.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    for name, parameter in coder.named_parameters():
        if f"adam.{name}.exp_avg" in tensors:
            optimiser.state[parameter] = {
                "step": torch.tensor(info["adam_steps"][name]),
                "exp_avg": tensors[f"adam.{name}.exp_avg"],
                "exp_avg_sq": tensors[f"adam.{name}.exp_avg_sq"],
            }
    return info


@torch.no_grad()
def top_layer_inputs(vae: LineVAE) -> tuple[torch.Tensor, DecodeState, int]:
    """What the top layers read besides a line: the preamble's last token's lower-layer state (it predicts
    the line's first token, so it is read with the line and sees the memory) and the preamble's top-layer
    keys and values."""
    lm, first, state = vae.lm, vae.first_memory_layer, vae.preamble_state()
    start = lm.layers(lm.embed(torch.tensor([[vae.preamble[-1]]])), state.position, 0, first, past=state)[0, 0]
    past = DecodeState(
        [k if i >= first else None for i, k in enumerate(state.keys)],
        [v if i >= first else None for i, v in enumerate(state.values)],
        state.position,
    )
    return start, past, state.position


def held_out_inputs(vae: LineVAE, ids: list[list[int]], rows: list[int]):
    """`evaluate`'s inputs for `rows` read afresh (no cache): per-line features, then `top_layer_inputs`."""
    features: list[torch.Tensor] = []
    for first in range(0, len(rows), 32):
        hidden, lengths = vae.line_features([ids[i] for i in rows[first : first + 32]])
        features += [hidden[k, : lengths[k]] for k in range(len(lengths))]
    return (features, *top_layer_inputs(vae))


def embeddings(vae: LineVAE, ids: list[list[int]], rows: list[int]) -> torch.Tensor | None:
    """The rows' input embeddings, padded as `pad` pads their features (None for a coder that does not read them)."""
    return vae.line_embeddings([ids[i] for i in rows]) if vae.coder.config.reads_embeddings else None


@torch.no_grad()
def evaluate(
    vae: LineVAE, features, ids, rows: list[int], start_features, past, position, sharpness: float | None = None
) -> dict:
    """Held-out measures over the whole vocabulary: KL per line, active units, and each line's NLL under its
    own code, another line's, and the prior's mean code z = 0 (no information: what the code adds is the
    difference); with `sharpness`, the bag-of-words loss of each line's own code too."""
    lm, coder = vae.lm, vae.coder
    vocabulary = torch.arange(vae.lm.config.vocab_size)
    index = {t: t for t in range(vocabulary.numel())}
    mus, kls, tokens, bag = [], [], 0, 0.0
    nll = {"own": 0.0, "other": 0.0, "prior_mean": 0.0}
    for first in range(0, len(rows), 32):
        chunk = rows[first : first + 32]
        x, lengths = pad(features, chunk)
        mu, logvar = coder.encode(x, lengths, embeddings(vae, ids, chunk))
        mus.append(mu)
        kls.append(kl_per_dimension(mu, logvar).sum(1))
        targets = make_targets(ids, chunk, index, vae.end_id, x.shape[1])
        for codes, bucket in ((mu, "own"), (mu.roll(1, 0), "other"), (torch.zeros_like(mu), "prior_mean")):
            batch = x.shape[0]
            h = torch.cat([start_features.view(1, 1, -1).expand(batch, 1, -1), x], 1)
            hidden = lm.layers(h, position, vae.first_memory_layer, lm.n_layers, memory=coder.memory(codes), past=past)
            logits = lm.logits(hidden)
            words = coder.word_scores(codes, lm.runner.lm_head.weight)
            if words is not None:
                logits = logits + words.unsqueeze(1)
                if bucket == "own" and sharpness is not None:
                    bag += bag_of_words(words * sharpness, targets, lengths).item() * batch
            nll[bucket] += torch.nn.functional.cross_entropy(logits.transpose(1, 2), targets, reduction="sum").item()
        tokens += int((targets != -100).sum())
    mu = torch.cat(mus)
    out = {
        "lines": len(rows),
        "kl_per_line": float(torch.cat(kls).mean()),
        "active_units": int((mu.var(0) > 0.01).sum()),
        "latent": mu.shape[1],
    }
    for bucket, total in nll.items():
        out[f"nll_per_line_{bucket}_code"] = total / len(rows)
    for bucket, total in nll.items():
        out[f"perplexity_{bucket}_code"] = math.exp(total / tokens)
    if sharpness is not None:
        out["bag_of_words_per_line"] = bag / len(rows)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "resources/text/fortune-lines.txt")
    parser.add_argument("--work", type=Path, default=ROOT / "build/line-vae")
    parser.add_argument("--out", type=Path, default=ROOT / "resources/text/line-vae.safetensors")
    parser.add_argument("--minutes", type=float, default=45.0, help="training time (the cache is extra, once)")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--memory-layers", type=int, default=6)
    parser.add_argument("--slots", type=int, default=4)
    parser.add_argument("--latent", type=int, default=128)
    parser.add_argument("--memory-hidden", type=int, default=64, help="the code-to-memory map's width")
    parser.add_argument("--no-word-bias", action="store_true", help="the code steers through the memory only")
    parser.add_argument(
        "--no-input-embeddings", action="store_true", help="the encoder reads the layer states only (session 5)"
    )
    parser.add_argument(
        "--bag-of-words", type=float, default=1.0, help="the words-from-the-code loss's weight (0: none)"
    )
    parser.add_argument("--free-bits", type=float, default=0.5, help="nats per latent dimension left unpenalised")
    parser.add_argument("--autoencoder-steps", type=int, default=50, help="KL weight 0 at first")
    parser.add_argument("--warmup-steps", type=int, default=150, help="then it rises to --kl-weight")
    parser.add_argument("--kl-weight", type=float, default=1.0)
    parser.add_argument(
        "--lr", type=float, default=2e-3, help="at the start (a resumed run: the rate it had reached, if lower)"
    )
    parser.add_argument("--lr-final", type=float, default=2e-4, help="reached at the end of --minutes (all of it)")
    parser.add_argument("--watch-every", type=int, default=4, help="checkpoints between held-out checks (64 lines)")
    parser.add_argument(
        "--patience", type=int, default=5, help="stop after this many checks with no better held-out NLL"
    )
    parser.add_argument("--checkpoint-every", type=int, default=25)
    parser.add_argument("--max-tokens", type=int, default=18)
    parser.add_argument("--cache-limit", type=int, help="read only the shortest N lines (whole chunks of 64)")
    args = parser.parse_args()
    torch.manual_seed(0)
    args.work.mkdir(parents=True, exist_ok=True)
    model = ChatModel.load(weights="float32")
    for tensor in model.runner.__dict__.values():
        if isinstance(tensor, torch.Tensor):
            tensor.requires_grad_(False)
    lm = FrozenLM(model.runner)
    config = LineVAEConfig(
        memory_layers=args.memory_layers,
        slots=args.slots,
        latent=args.latent,
        memory_hidden=args.memory_hidden,
        word_bias=not args.no_word_bias,
        reads_embeddings=not args.no_input_embeddings,
    )
    coder = LineCoder(config)
    # The bag-of-words softmax's sharpness, learned (log scale, its own faster rate: one number): the loss then
    # sets the word vector's direction, and the reconstruction its length.
    log_sharpness = torch.zeros((), requires_grad=True)
    vae = LineVAE(coder, lm, model.tokenizer)
    lines, ids = corpus_ids(model.tokenizer, args.corpus, 3, args.max_tokens)
    log(f"{len(lines)} lines of 3 to {args.max_tokens} tokens")
    features = build_cache(vae, ids, args.work, limit=args.cache_limit)
    held = [i for i, line in enumerate(lines) if is_held_out(line) and features[i] is not None]
    train = [i for i, line in enumerate(lines) if not is_held_out(line) and features[i] is not None]
    log(f"training on {len(train)} lines, {len(held)} held out")
    watched = held[-64:]  # early stopping watches these; the bench measures the first 256 held-out lines
    vocabulary = sorted({t for i in train for t in ids[i]} | {t for i in held for t in ids[i]} | {vae.end_id})
    index = {t: k for k, t in enumerate(vocabulary)}
    vocabulary_ids = torch.tensor(vocabulary)
    # Decoding keeps to the training lines' words (the held-out lines' own words are not given to it).
    vae.vocabulary = torch.tensor(sorted({t for i in train for t in ids[i]} | {vae.end_id}))
    start_features, past, position = top_layer_inputs(vae)
    optimiser = torch.optim.Adam(
        [{"params": list(coder.parameters())}, {"params": [log_sharpness], "faster": 10.0}], lr=args.lr
    )
    checkpoint, best = args.work / "train.safetensors", args.work / "best.safetensors"
    info = {
        "step": 0,
        "seconds": 0.0,
        "history": [],
        "epoch": 0,
        "batch_in_epoch": 0,
        "best": None,
        "checks_since_best": 0,
    }
    if checkpoint.exists():
        info = {"best": None, "checks_since_best": 0, **load_state(checkpoint, coder, optimiser)}
        log_sharpness.data.fill_(info.get("log_sharpness", 0.0))
        log(f"resumed at step {info['step']} ({info['seconds'] / 60:.1f} min trained)")
    # A resumed run (--minutes counts the time already trained) carries the rate on from where it was.
    resumed_at = info["seconds"]
    first_rate = min([args.lr] + [record["lr"] for record in info["history"][-1:]])
    if resumed_at and not info.get("schedule"):  # a state saved before the schedule was recorded
        first, last = info["history"][0], info["history"][-1]
        info["schedule"] = [f"{first['lr']:g} at step {first['step']} to {last['lr']:g} at minute {last['minutes']:g}"]
    if args.minutes * 60 > resumed_at:  # else it only writes the checkpoint of a run stopped by hand
        info.setdefault("schedule", []).append(
            f"{first_rate:g} from minute {resumed_at / 60:.1f} falling linearly to {args.lr_final:g} at minute "
            f"{args.minutes:g}"
        )
    coder.train()
    generator = torch.Generator().manual_seed(1000 + info["epoch"])
    plan = batches([len(ids[i]) for i in train], args.batch, generator)
    sums = {"rec": 0.0, "kl": 0.0, "bag": 0.0, "n": 0}
    began = time.perf_counter() - info["seconds"]
    while time.perf_counter() - began < args.minutes * 60 and info["checks_since_best"] < args.patience:
        if info["batch_in_epoch"] >= len(plan):
            info["epoch"] += 1
            info["batch_in_epoch"] = 0
            generator = torch.Generator().manual_seed(1000 + info["epoch"])
            plan = batches([len(ids[i]) for i in train], args.batch, generator)
        rows = [train[k] for k in plan[info["batch_in_epoch"]]]
        x, lengths = pad(features, rows)
        targets = make_targets(ids, rows, index, vae.end_id, x.shape[1])
        reconstruction, kl, kl_term, bag = training_loss(
            coder,
            lm,
            x,
            lengths,
            start_features,
            targets,
            past,
            position,
            vocabulary_ids,
            args.free_bits,
            embedded=embeddings(vae, ids, rows),
            bag_sharpness=log_sharpness.exp() if args.bag_of_words > 0 else None,
        )
        weight = kl_weight(info["step"], args.autoencoder_steps, args.warmup_steps, args.kl_weight)
        rate = learning_rate(time.perf_counter() - began, args.minutes * 60, first_rate, args.lr_final, resumed_at)
        for group in optimiser.param_groups:
            group["lr"] = rate * group.get("faster", 1.0)
        optimiser.zero_grad()
        (reconstruction + weight * kl_term + args.bag_of_words * bag).backward()
        torch.nn.utils.clip_grad_norm_(coder.parameters(), 5.0)
        optimiser.step()
        info["step"] += 1
        info["batch_in_epoch"] += 1
        sums["rec"] += reconstruction.item()
        sums["kl"] += kl.item()
        sums["bag"] += bag.item()
        sums["n"] += 1
        if info["step"] % args.checkpoint_every == 0:
            info["seconds"] = time.perf_counter() - began
            record = {
                "step": info["step"],
                "epoch": info["epoch"],
                "minutes": round(info["seconds"] / 60, 2),
                "reconstruction": round(sums["rec"] / sums["n"], 3),
                "kl": round(sums["kl"] / sums["n"], 3),
                "bag_of_words": round(sums["bag"] / sums["n"], 3),
                "bag_sharpness": round(float(log_sharpness.detach().exp()), 3),
                "kl_weight": round(weight, 3),
                "free_bits": args.free_bits,
                "lr": round(rate, 6),
            }
            if info["step"] % (args.checkpoint_every * args.watch_every) == 0:
                coder.eval()
                sharpness = float(log_sharpness.detach().exp())
                watch = evaluate(vae, features, ids, watched, start_features, past, position, sharpness)
                coder.train()
                record["held_out_kl"] = round(watch["kl_per_line"], 2)
                record["held_out_nll"] = round(watch["nll_per_line_own_code"], 2)
                record["held_out_nll_prior_mean"] = round(watch["nll_per_line_prior_mean_code"], 2)
                record["held_out_bag_of_words"] = round(watch.get("bag_of_words_per_line", 0.0), 2)
                # Early stopping: the weights with the lowest held-out loss (NLL + weighted bag of words, once the
                # KL weight is full) are kept.
                loss = watch["nll_per_line_own_code"] + args.bag_of_words * watch.get("bag_of_words_per_line", 0.0)
                if weight >= args.kl_weight and (info["best"] is None or loss < info["best"]["loss"]):
                    info["best"] = {"step": info["step"], "nll": watch["nll_per_line_own_code"], "loss": loss}
                    info["checks_since_best"] = 0
                    save_file({k: v.contiguous() for k, v in coder.state_dict().items()}, str(best.with_suffix(".tmp")))
                    best.with_suffix(".tmp").rename(best)
                elif weight >= args.kl_weight:
                    info["checks_since_best"] += 1
            info["history"].append(record)
            info["log_sharpness"] = float(log_sharpness.detach())
            log(json.dumps(record))
            sums = {"rec": 0.0, "kl": 0.0, "bag": 0.0, "n": 0}
            save_state(checkpoint, coder, optimiser, info)
    info["seconds"] = time.perf_counter() - began
    save_state(checkpoint, coder, optimiser, info)
    if info["best"] is not None:
        coder.load_state_dict(load_file(str(best)))
        log(f"kept the weights of step {info['best']['step']} (held-out NLL {info['best']['nll']:.2f})")
    coder.eval()
    sharpness = float(log_sharpness.detach().exp()) if args.bag_of_words > 0 else None
    measures = evaluate(vae, features, ids, held[:256], start_features, past, position, sharpness)
    log(json.dumps(measures))
    training = {
        "data": f"{args.corpus.name}: {len(train)} training lines, {len(held)} held out (1 in 20 by hash)",
        "licence": "Debian fortunes, BSD",
        "steps": info["step"],
        "kept_step": info["best"]["step"] if info["best"] else info["step"],
        "epochs": round(info["step"] * args.batch / len(train), 2),
        "minutes": round(info["seconds"] / 60, 1),
        "batch": args.batch,
        "free_bits": args.free_bits,
        "bag_of_words": args.bag_of_words,
        "bag_sharpness": sharpness,
        "kl_schedule": f"0 for {args.autoencoder_steps} steps, then up to {args.kl_weight} over {args.warmup_steps}",
        "learning_rate": "; then ".join(info.get("schedule", [])),
        "held_out": measures,
        "history": info["history"],
        "machine": "2-core CPU shared with other jobs, one thread, nice 10",
    }
    vae.save(args.out, training)
    log(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
