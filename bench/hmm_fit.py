"""Baum–Welch speed and agreement: our torch HMM against hmmlearn and pomegranate, same data, same start.

Prints JSON (and writes it with --out): per implementation, the median time per EM iteration
after one warm-up iteration, and the log-likelihood per token after each iteration, with the
largest relative difference from hmmlearn's. Data are sampled from a sparse random HMM (sparse
emissions are what push float32 scaled forward variables into subnormals).

    .venv/bin/python bench/hmm_fit.py --out bench/results/hmm_fit_cpu.json
    .venv/bin/python bench/hmm_fit.py --device cuda --sequences 10000 --skip hmmlearn,pomegranate

pomegranate is a benchmark-only dependency: `.venv/bin/pip install pomegranate` (1.x, torch based).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

THREADS = os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", THREADS)
os.environ.setdefault("OPENBLAS_NUM_THREADS", THREADS)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from bench.report import publish  # noqa: E402
from models.hmm import CategoricalHMM, pack_sequences  # noqa: E402
from models.hmm.baum_welch import em_step  # noqa: E402
from models.hmm.inference import flush_denormals  # noqa: E402


def sparse_truth(n_states: int, n_symbols: int, seed: int) -> CategoricalHMM:
    generator = torch.Generator().manual_seed(seed)
    def dirichlet(shape, concentration):
        g = torch._standard_gamma(torch.full(shape, concentration, dtype=torch.float64), generator=generator)
        g = g + 1e-300
        return g / g.sum(-1, keepdim=True)
    return CategoricalHMM(dirichlet((n_states,), 1.0), dirichlet((n_states, n_states), 0.2),
                          dirichlet((n_states, n_symbols), 0.1))


def time_ours(data, start: CategoricalHMM, iterations: int, dtype: torch.dtype, device: str) -> dict:
    packed = pack_sequences(data).to(device)
    model = start.to(device=device, dtype=dtype)
    times, log_likelihoods = [], []
    with flush_denormals(dtype == torch.float32 and device == "cpu"):
        for _ in range(iterations):
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            began = time.perf_counter()
            model, log_likelihood = em_step(model, packed)
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            times.append(time.perf_counter() - began)
            log_likelihoods.append(log_likelihood)
    return {"times_s": times, "log_likelihood": log_likelihoods}


def time_hmmlearn(data, start: CategoricalHMM, iterations: int) -> dict:
    from hmmlearn.hmm import CategoricalHMM as Reference

    model = Reference(n_components=start.n_states, n_features=start.n_symbols, n_iter=iterations, tol=-np.inf,
                      init_params="", params="ste", implementation="scaling")
    model.startprob_, model.transmat_, model.emissionprob_ = (p.numpy() for p in start.parameters())
    stamps: list[float] = []
    report = model.monitor_.report

    def timed_report(log_prob: float) -> None:
        stamps.append(time.perf_counter())
        report(log_prob)

    model.monitor_.report = timed_report
    began = time.perf_counter()
    model.fit(np.concatenate(data).reshape(-1, 1), [len(s) for s in data])
    times = np.diff([began, *stamps]).tolist()
    return {"times_s": times, "log_likelihood": list(model.monitor_.history)}


def time_pomegranate(data, start: CategoricalHMM, iterations: int) -> dict:
    from pomegranate.distributions import Categorical
    from pomegranate.hmm import DenseHMM

    # pomegranate learns end probabilities as well; starting them at 1 makes its first
    # log-likelihood the same as ours, later ones follow its own (slightly different) model.
    x = torch.as_tensor(np.stack(data)).unsqueeze(-1)
    emit = start.emissionprob.float()
    model = DenseHMM([Categorical(emit[k : k + 1]) for k in range(start.n_states)], edges=start.transmat.float(),
                     starts=start.startprob.float(), ends=torch.ones(start.n_states), max_iter=1, tol=1e-30)
    times, log_likelihoods = [], []
    for _ in range(iterations):
        log_likelihoods.append(float(model.log_probability(x).sum()))
        began = time.perf_counter()
        model.fit(x)
        times.append(time.perf_counter() - began)
    return {"times_s": times, "log_likelihood": log_likelihoods}


def summarise(run: dict, n_tokens: int, reference: list[float] | None) -> dict:
    times = run["times_s"]
    out = {
        "median_ms_per_iteration": round(1000 * statistics.median(times[1:] if len(times) > 1 else times), 2),
        "ms_per_iteration": [round(1000 * t, 2) for t in times],
        "log_likelihood_per_token": [ll / n_tokens for ll in run["log_likelihood"]],
    }
    if reference is not None:
        n = min(len(reference), len(run["log_likelihood"]))
        out["max_relative_difference_from_hmmlearn"] = max(
            abs(a - b) / abs(b) for a, b in zip(run["log_likelihood"][:n], reference[:n], strict=True))
    return out


def bench_config(n_states: int, n_symbols: int, n_sequences: int, length: int, iterations: int, device: str,
                 skip: set[str]) -> dict:
    truth = sparse_truth(n_states, n_symbols, seed=0)
    symbols, _ = truth.sample(n_sequences, length, seed=1)
    data = [row.numpy() for row in symbols]
    start = CategoricalHMM.random(n_states, n_symbols, seed=2)
    n_tokens = n_sequences * length
    runs: dict[str, dict] = {}
    if "hmmlearn" not in skip:
        runs["hmmlearn CategoricalHMM (implementation='scaling')"] = time_hmmlearn(data, start, iterations)
    if "pomegranate" not in skip:
        try:
            runs["pomegranate DenseHMM (float32, log space)"] = time_pomegranate(data, start, iterations)
        except ImportError as error:
            runs["pomegranate DenseHMM (float32, log space)"] = {"skipped": f"not installed: {error}"}
    runs[f"ours, torch float64 scaled ({device})"] = time_ours(data, start, iterations, torch.float64, device)
    runs[f"ours, torch float32 scaled, denormals flushed ({device})"] = time_ours(
        data, start, iterations, torch.float32, device)
    reference = runs.get("hmmlearn CategoricalHMM (implementation='scaling')", {}).get("log_likelihood")
    results = {name: run if "skipped" in run else summarise(run, n_tokens, reference) for name, run in runs.items()}
    return {"K": n_states, "V": n_symbols, "N": n_sequences, "T": length, "iterations": iterations,
            "results": results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--sequences", type=int, default=1000)
    parser.add_argument("--length", type=int, default=64)
    parser.add_argument("--iterations", type=int, default=6, help="EM iterations per run (the first is warm-up)")
    parser.add_argument("--configs", default="64x256,128x512", help="comma-separated KxV")
    parser.add_argument("--skip", default="", help="comma-separated: hmmlearn, pomegranate")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(int(THREADS))
    skip = {s for s in args.skip.split(",") if s}
    configs = [tuple(int(x) for x in c.split("x")) for c in args.configs.split(",")]
    report = {
        "benchmark": "Baum-Welch EM iteration, same data and same initial parameters",
        "machine": {"platform": platform.platform(), "cpu_threads": int(THREADS), "torch": torch.__version__,
                    "load_average_at_start": [round(x, 1) for x in os.getloadavg()],
                    "device": torch.cuda.get_device_name(0) if args.device.startswith("cuda") else "cpu"},
        "configs": [bench_config(k, v, args.sequences, args.length, args.iterations, args.device, skip)
                    for k, v in configs],
    }
    publish(report, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
