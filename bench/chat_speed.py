"""Chat model speed: our SmolLM2 runner (int4 and exact float32 weights) against transformers on the
same GGUF weights and prompt, greedy, on N CPU threads (2 by default).

Prints JSON (and writes it with --out): per engine, the median over --repeats runs of the time to
first token (prompt read + first token chosen, cold cache) and the decoding speed in tokens/s (after
the first token), plus CPU seconds per token, and the machine's load average, since the machine we
measure on is shared and wall-clock numbers move with the load. "Follow-up" is the next message of
the same conversation with the engine's cache as the answer left it; "cold follow-up" the same
message with an empty cache. Each engine's greedy text is compared with llama.cpp's. OMP_WAIT_POLICY defaults to PASSIVE
here (set it to ACTIVE to see what spinning OpenMP threads cost on a busy machine).

    .venv/bin/python bench/chat_speed.py --out bench/results/chat_speed_cpu.json
    .venv/bin/python bench/chat_speed.py --threads 1 --skip transformers

llama-cpp-python is measured when it is installed (`pip install llama-cpp-python` builds it, about an
hour here): run the benchmark with an interpreter that has it, so both engines share one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ARGS_THREADS = next((a.split("=")[1] for a in sys.argv if a.startswith("--threads=")), None)
if "--threads" in sys.argv:
    ARGS_THREADS = sys.argv[sys.argv.index("--threads") + 1]
THREADS = ARGS_THREADS or os.environ.get("OMP_NUM_THREADS", "2")
os.environ["OMP_NUM_THREADS"] = THREADS
# Idle OpenMP threads sleep instead of spinning: on a shared 2-core machine spinning threads steal the
# cores the working ones need (measured: 3.7 tokens/s spinning, 32 tokens/s passive, 2 threads, load ~5).
WAIT_POLICY = os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from bench.report import publish  # noqa: E402
from models.jobs import run_job  # noqa: E402
from models.text.chat import ChatModel, format_chat  # noqa: E402
from models.text.gguf_file import find_smollm2_gguf  # noqa: E402
from models.text.sampling import SamplingSettings  # noqa: E402

PROMPT = [{"role": "user", "content": "Write a short poem about a lighthouse in a storm."}]


def follow_up_of(answer: str) -> list[dict]:
    """The next message of the conversation, after the engine's own answer."""
    return PROMPT + [{"role": "assistant", "content": answer}, {"role": "user", "content": "Now make it rhyme."}]


def timed(run, *args, **kwargs) -> tuple[float, float, Any]:
    """(wall seconds, process CPU seconds, result) of `run(*args, **kwargs)`."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = run(*args, **kwargs)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure_ours(weights: str, tokens: int, repeats: int) -> dict:
    start = time.perf_counter()
    model = ChatModel.load(weights=weights)
    load_seconds = time.perf_counter() - start
    settings = SamplingSettings(temperature=0, repetition_penalty=1.0, max_new_tokens=tokens)
    one_token = SamplingSettings(temperature=0, repetition_penalty=1.0, max_new_tokens=1)
    runs = []
    for repeat in range(repeats + 1):
        model.runner.cached_tokens = []  # a cold cache: time to first token includes reading the whole prompt
        _, first_cpu, _ = timed(run_job, model.reply(PROMPT, one_token))
        model.runner.cached_tokens = []
        _, cpu, reply = timed(run_job, model.reply(PROMPT, settings))
        # the next message in the same conversation: the cache still holds the first message and the answer
        follow_up = follow_up_of(reply.text)
        _, warm_cpu, warm = timed(run_job, model.reply(follow_up, one_token))
        model.runner.cached_tokens = []
        _, cold_cpu, cold = timed(run_job, model.reply(follow_up, one_token))
        if repeat == 0:
            continue  # warm-up
        runs.append(
            {
                "ttft": reply.first_token_seconds,
                "ttft_cpu": first_cpu,
                "tps": reply.tokens_per_second,
                "n": len(reply.token_ids),
                "cpu_per_token": cpu / max(len(reply.token_ids), 1),
                "decode_cpu_per_token": (cpu - first_cpu) / max(len(reply.token_ids) - 1, 1),
                "follow_up_ttft": warm.first_token_seconds,
                "follow_up_ttft_cpu": warm_cpu,
                "cold_follow_up_ttft": cold.first_token_seconds,
                "cold_follow_up_ttft_cpu": cold_cpu,
            }
        )
    return summarise(runs) | {
        "engine": f"atelier ({weights} weights)",
        "follow_up_prompt_tokens": cold.prompt_tokens,
        "load_seconds": round(load_seconds, 2),
        "weights_in_use": model.runner.weights,
        "prompt_tokens": reply.prompt_tokens,
        "text": reply.text,
    }


def measure_transformers(tokens: int, repeats: int) -> dict:
    import transformers

    path = find_smollm2_gguf()
    start = time.perf_counter()
    model = transformers.AutoModelForCausalLM.from_pretrained(
        str(path.parent), gguf_file=path.name, dtype=torch.float32
    ).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    load_seconds = time.perf_counter() - start
    ids = torch.tensor([tokenizer.encode(format_chat(PROMPT), add_special_tokens=False)])
    runs = []
    for repeat in range(repeats + 1):
        with torch.inference_mode():
            t0 = time.perf_counter()
            model.generate(ids, max_new_tokens=1, do_sample=False)
            ttft = time.perf_counter() - t0
            cpu = time.process_time()
            t0 = time.perf_counter()
            out = model.generate(ids, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False)
            total = time.perf_counter() - t0
            cpu = time.process_time() - cpu
        n = out.shape[1] - ids.shape[1]
        if repeat == 0:
            continue
        runs.append({"ttft": ttft, "tps": (n - 1) / max(total - ttft, 1e-9), "n": n, "cpu_per_token": cpu / n})
    return summarise(runs) | {
        "engine": f"transformers {transformers.__version__} (GGUF dequantized to float32)",
        "load_seconds": round(load_seconds, 2),
        "prompt_tokens": int(ids.shape[1]),
    }


def measure_llama_cpp(tokens: int, repeats: int) -> dict:
    import llama_cpp

    start = time.perf_counter()
    llm = llama_cpp.Llama(model_path=str(find_smollm2_gguf()), n_threads=int(THREADS), verbose=False)
    load_seconds = time.perf_counter() - start

    def first_token(prompt: str) -> tuple[float, float]:
        # llama-cpp-python keeps its KV cache between calls and reuses the longest shared prefix
        wall, cpu, _ = timed(llm, prompt, max_tokens=1, temperature=0.0)
        return wall, cpu

    prompt = format_chat(PROMPT)
    runs = []
    text = ""
    for repeat in range(repeats + 1):
        llm.reset()
        first_wall, first_cpu = first_token(prompt)
        llm.reset()
        cpu = time.process_time()  # the whole process: llama.cpp's own threads count too
        t0 = time.perf_counter()
        first = None
        n = 0
        text = ""
        for chunk in llm(prompt, max_tokens=tokens, temperature=0.0, stream=True):
            n += 1
            text += chunk["choices"][0]["text"]
            if first is None:
                first = time.perf_counter() - t0
        total = time.perf_counter() - t0
        cpu = time.process_time() - cpu
        follow_up = format_chat(follow_up_of(text))
        warm_wall, warm_cpu = first_token(follow_up)
        llm.reset()
        cold_wall, cold_cpu = first_token(follow_up)
        if repeat:
            runs.append(
                {
                    "ttft": first,
                    "ttft_cpu": first_cpu,
                    "tps": (n - 1) / max(total - first, 1e-9),
                    "n": n,
                    "cpu_per_token": cpu / n,
                    "decode_cpu_per_token": (cpu - first_cpu) / max(n - 1, 1),
                    "follow_up_ttft": warm_wall,
                    "follow_up_ttft_cpu": warm_cpu,
                    "cold_follow_up_ttft": cold_wall,
                    "cold_follow_up_ttft_cpu": cold_cpu,
                }
            )
    return summarise(runs) | {
        "engine": f"llama-cpp-python {llama_cpp.__version__} (the same Q4_1 GGUF)",
        "load_seconds": round(load_seconds, 2),
        "prompt_tokens": len(llm.tokenize(prompt.encode(), add_bos=False, special=True)),
        "text": text,
    }


def summarise(runs: list[dict]) -> dict:
    def median_ms(key: str) -> float | None:
        if key not in runs[0]:
            return None
        return round(1000 * statistics.median(r[key] for r in runs), 1)

    summary = {
        "time_to_first_token_ms": median_ms("ttft"),
        "first_token_cpu_ms": median_ms("ttft_cpu"),
        "tokens_per_second": round(statistics.median(r["tps"] for r in runs), 1),
        "cpu_ms_per_token": median_ms("cpu_per_token"),
        "decode_cpu_ms_per_token": median_ms("decode_cpu_per_token"),
        "follow_up_time_to_first_token_ms": median_ms("follow_up_ttft"),
        "follow_up_first_token_cpu_ms": median_ms("follow_up_ttft_cpu"),
        "cold_follow_up_time_to_first_token_ms": median_ms("cold_follow_up_ttft"),
        "cold_follow_up_first_token_cpu_ms": median_ms("cold_follow_up_ttft_cpu"),
        "tokens": runs[-1]["n"],
        "runs": len(runs),
    }
    return {key: value for key, value in summary.items() if value is not None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=int(THREADS))
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip", default="", help="comma-separated: int4,float32,transformers,llama-cpp")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    skip = set(filter(None, args.skip.split(",")))
    result = {
        "benchmark": "chat_speed",
        "prompt": PROMPT[0]["content"],
        "threads": args.threads,
        "omp_wait_policy": WAIT_POLICY,
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "load_average_before": os.getloadavg(),
        "note": "wall-clock on a machine shared with other jobs; cpu_ms_per_token is less sensitive to that",
        "engines": [],
    }
    engines = [
        ("int4", lambda: measure_ours("int4", args.tokens, args.repeats)),
        ("float32", lambda: measure_ours("float32", args.tokens, args.repeats)),
        ("transformers", lambda: measure_transformers(args.tokens, args.repeats)),
        ("llama-cpp", lambda: measure_llama_cpp(args.tokens, args.repeats)),
    ]
    for name, run in engines:
        if name in skip:
            continue
        try:
            result["engines"].append(run())
        except ImportError as error:
            result["engines"].append({"engine": name, "skipped": f"not installed ({error})"})
        print(json.dumps(result["engines"][-1]), file=sys.stderr, flush=True)
    result["load_average_after"] = os.getloadavg()
    reference = next((e["text"] for e in result["engines"] if e["engine"].startswith("llama-cpp-python")), None)
    for engine in result["engines"]:
        if reference is not None and "text" in engine:
            engine["greedy_text_same_as_llama_cpp"] = engine["text"] == reference
    publish(result, args.out)


if __name__ == "__main__":
    main()
