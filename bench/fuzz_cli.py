"""Fuzz the command line: damaged pictures, MIDI files, checkpoints and chat-server replies, for N minutes.

    nice python bench/fuzz_cli.py --minutes 30            # writes bench/results/fuzz.json
    nice python bench/fuzz_cli.py --minutes 10 --resume   # adds ten minutes to the last run

Each trial mutates a valid input (bench/fuzz/mutations.py), runs one `atelier` command on it in a worker
process (bench/fuzz/worker.py: `main(argv)` in-process, so a trial costs a second, not an import of
torch) and records what came of it: accepted (exit 0), refused with a sentence, a traceback (anything on
standard error that is not a sentence, or the CLI's last net saying "something unexpected"), a hang (no
answer within the trial's time limit: the worker is killed and restarted), a crash (the worker died), and
the peak resident memory of the worker during the trial. Chat trials talk to a fake server on 127.0.0.1
that plays the mutated reply. The goal (issue #19): 0 tracebacks, 0 hangs, 0 crashes, peak under 2 GB.
The result is saved after every trial, so an interrupted run loses nothing and `--resume` continues it.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.fuzz.mutations import (  # noqa: E402
    ServerPlan,
    mutate_bytes,
    mutate_json,
    mutate_png,
    mutate_safetensors,
    mutate_words,
    server_plan,
)
from models.files import atomic_write_bytes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KINDS = [
    "png",
    "replay",
    "midi",
    "midi-folder",
    "melody-checkpoint",
    "style-checkpoint",
    "server",
    "subject",
    "chat-words",
]
# Seconds before a trial counts as a hang: chat may wait 30 s for a server, then fall back; the built-in
# writers take minutes for a poem on a loaded machine (225 s for "write a poem about the sea", load 16).
TIME_LIMIT = {"server": 150.0, "chat-words": 600.0}
DEFAULT_TIME_LIMIT = 90.0
EXAMPLES_KEPT = 20
GOAL_PEAK_MB = 2048


class FakeChatServer:
    """Plays `plan` to every chat request on 127.0.0.1: the model list, then the answer piece by piece."""

    def __init__(self) -> None:
        self.plan = ServerPlan(b"{}")
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            connection, _ = self._socket.accept()
            threading.Thread(target=self._answer, args=(connection, self.plan), daemon=True).start()

    @staticmethod
    def _answer(connection: socket.socket, plan: ServerPlan) -> None:
        try:
            connection.settimeout(10)
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                piece = connection.recv(4096)
                if not piece:
                    return
                request += piece
            if request.startswith(b"GET /api/tags"):
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(plan.tags) + plan.tags)
            elif request.startswith(b"GET"):
                connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}")
            else:
                if not plan.raw_http:
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n\r\n")
                for piece in plan.answer:
                    if isinstance(piece, float):
                        time.sleep(piece)
                    else:
                        connection.sendall(piece)
        except OSError:
            pass
        finally:
            connection.close()


class Worker:
    """A bench/fuzz/worker.py process; restarted after a hang or a crash."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process: subprocess.Popen | None = None

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "fuzz" / "worker.py"), str(write_end)], stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_end,), env=self.env, text=True,
        )  # fmt: skip
        os.close(write_end)
        self.answers = os.fdopen(read_end, "r")

    def run(self, argv: list[str], cwd: Path, limit: float) -> dict:
        if self.process is None or self.process.poll() is not None:
            self._start()
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps({"argv": argv, "cwd": str(cwd)}) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.answers], [], [], limit)
        line = self.answers.readline() if ready else ""
        if line:
            return json.loads(line)
        if self.process.poll() is None:  # no answer in time: a hang
            self.process.kill()
            self.process.wait()
            self.process = None
            return {"outcome": "hang"}
        code = self.process.returncode
        self.process = None
        return {"outcome": "crash", "signal": -code if code < 0 else None, "code": code}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


def seeds(folder: Path) -> dict[str, Path]:
    """The valid inputs every mutation starts from."""
    import numpy as np
    from PIL import Image, PngImagePlugin

    from models.resources import resource
    from tests.support.midi_files import write_tune

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    png = folder / "seed.png"
    Image.fromarray((rng.random((48, 64, 3)) * 255).astype(np.uint8)).save(png)
    recipe = {"engine": "paint", "version": 2, "style": "munch", "seed": 3, "strength": 0.8, "palette": 0.5,
              "size": [64, 48], "from_scratch": True, "quality": "fast"}  # fmt: skip
    info = PngImagePlugin.PngInfo()
    info.add_text("atelier-recipe", json.dumps(recipe))
    replay = folder / "seed-recipe.png"
    Image.new("RGB", (64, 48), "white").save(replay, pnginfo=info)
    midi = write_tune(folder / "seed.mid", seed=1, bars=4)
    made = {"png": png, "replay": replay, "midi": midi}
    for kind, (group, name) in {"melody": ("melody", "irish"), "style": ("styles", "munch")}.items():
        source = resource(group, f"{name}.safetensors")
        made[kind] = folder / f"seed-{kind}.safetensors"
        shutil.copy(source, made[kind])
        shutil.copy(source.with_suffix(".json"), made[kind].with_suffix(".json"))
    made["recipe"] = recipe  # type: ignore[assignment]
    return made


def trial(kind: str, rng: random.Random, seed: dict, work: Path, server: FakeChatServer) -> tuple[str, list[str]]:
    """(worker family, argv) for one trial of `kind`, its mutated input written under `work`."""
    out = ["-o", str(work / "out")]
    if kind == "png":
        path = work / "input.png"
        path.write_bytes(mutate_png(seed["png"].read_bytes(), rng))
        size = rng.choice([[], [], ["--size", "64x48"], ["--size", "8x8"], ["--size", "300x17"]])
        best = ["--best"] if rng.random() < 0.02 else []
        return "engine", ["paint", "--style", "munch", "--input", str(path), *size, *best, "-o", str(work / "out.png")]
    if kind == "replay":
        path = work / "replay.png"
        path.write_bytes(mutate_png(seed["replay"].read_bytes(), rng, recipe=seed["recipe"]))
        return "engine", ["paint", "--replay", str(path), "-o", str(work / "out.png")]
    if kind == "midi":
        path = work / "motif.mid"
        path.write_bytes(mutate_bytes(seed["midi"].read_bytes(), rng))
        return "engine", ["compose", "--continue", str(path), "--bars", "16", *out]
    if kind == "midi-folder":
        folder = work / "midi"
        folder.mkdir()
        for index in range(rng.randint(1, 3)):
            (folder / f"tune-{index}.mid").write_bytes(mutate_bytes(seed["midi"].read_bytes(), rng))
        shutil.copy(seed["midi"], folder / "good.mid")
        if rng.random() < 0.5:
            return "engine", ["eval-melody", "--style", "irish", "--midi", str(folder), "--no-baselines"]
        return "engine", ["train-melody", str(folder), "--name", "fuzz", "--iterations", "3", "--restarts", "1",
                          "-o", str(work / "fuzz.safetensors")]  # fmt: skip
    if kind in ("melody-checkpoint", "style-checkpoint"):
        source = seed["melody" if kind == "melody-checkpoint" else "style"]
        path = work / "model.safetensors"
        shutil.copy(source, path)
        shutil.copy(source.with_suffix(".json"), path.with_suffix(".json"))
        if rng.random() < 0.5:
            description = json.loads(source.with_suffix(".json").read_text())
            path.with_suffix(".json").write_text(json.dumps(mutate_json(description, rng), allow_nan=True))
        else:
            path.write_bytes(mutate_safetensors(source.read_bytes(), rng))
        if kind == "melody-checkpoint":
            return "engine", ["compose", "--style", str(path), "--bars", "2", *out]
        return "engine", ["paint", "--style", str(path), "--from-scratch", "--size", "64x48", "-o", str(work / "o.png")]
    if kind == "subject":
        size = rng.choice(["64x48", "8x8", "300x17", "17x300"])
        return "engine", ["paint", "--style", "munch", "--from-scratch", "--subject", mutate_words(rng), "--size", size,
                          "-o", str(work / "o.png")]  # fmt: skip
    if kind == "chat-words":  # the built-in model: what it makes of the words, and what it paints or composes
        return "chat", ["chat", mutate_words(rng), "--no-save", "--max-tokens", "16", "--seed", "1"]
    server.plan = server_plan(rng)
    return "chat", ["chat", "hi", "--server", server.url, "--no-save", "--max-tokens", "4", "--seed", "1"]


def outcome(answer: dict) -> str:
    if "outcome" in answer:
        return answer["outcome"]
    err = answer["stderr"]
    if answer["code"] == -1 or "Traceback" in err or "something unexpected" in err:
        return "traceback"
    if answer["code"] != 0 and len(err.strip()) < 10:
        return "no sentence"
    return "accepted" if answer["code"] == 0 else "refused"


def empty_result(seed: int) -> dict:
    return {"minutes": 0.0, "trials": 0, "seed": seed, "by_kind": {}, "outcomes": {}, "peak_mb": 0.0,
            "goal": {"tracebacks": 0, "hangs": 0, "crashes": 0, "peak_mb_under": GOAL_PEAK_MB}, "problems": []}  # fmt: skip


def code_and_machine() -> dict:
    """Which code was fuzzed, and on what: the numbers of a loaded machine are not a quiet one's."""
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True, text=True)
    changed = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                             capture_output=True, text=True).stdout.strip()  # fmt: skip
    return {"code": f"{commit.stdout.strip() or 'not a git checkout'}{' with local changes' if changed else ''}",
            "machine": f"{os.cpu_count()} cores, nice {os.nice(0)}, OMP_NUM_THREADS=1"}  # fmt: skip


def run(minutes: float, out: Path, resume: bool, seed: int, keep: Path, kinds: list[str]) -> dict:
    result = json.loads(out.read_text()) if resume and out.exists() else empty_result(seed)
    result.update(code_and_machine())
    rng = random.Random(f"{result['seed']}-{result['trials']}")
    base = Path(tempfile.mkdtemp(prefix="atelier-fuzz-"))
    env = dict(os.environ, ATELIER_DATA_DIR=str(base / "data"), QT_QPA_PLATFORM="offscreen", ATELIER_DEVICE="cpu",
               OMP_NUM_THREADS="1", OMP_WAIT_POLICY="PASSIVE")  # fmt: skip
    workers = {"engine": Worker(env), "chat": Worker(env)}
    server = FakeChatServer()
    seed_inputs = seeds(base / "seeds")
    started, already = time.monotonic(), result["minutes"] * 60
    try:
        while time.monotonic() - started < minutes * 60:
            kind = rng.choice(kinds)
            work = base / f"trial-{result['trials']}"
            work.mkdir()
            family, argv = trial(kind, rng, seed_inputs, work, server)
            answer = workers[family].run(argv, work, TIME_LIMIT.get(kind, DEFAULT_TIME_LIMIT))
            came = outcome(answer)
            stats = result["by_kind"].setdefault(kind, {"trials": 0, "outcomes": {}, "peak_mb": 0.0, "seconds": 0.0})
            stats["trials"] += 1
            stats["outcomes"] = dict(Counter(stats["outcomes"]) + Counter([came]))
            if answer.get("peak_mb", 0.0) > stats["peak_mb"]:  # which trial, to measure it again on its own
                stats["peak_mb"] = answer["peak_mb"]
                stats["peak_trial"] = {"trial": result["trials"], "argv": argv,
                                       "held_before_mb": answer.get("held_before_mb")}  # fmt: skip
            stats["seconds"] = round(stats["seconds"] + answer.get("seconds", 0.0), 1)
            result["outcomes"] = dict(Counter(result["outcomes"]) + Counter([came]))
            said = answer.get("stderr", "").strip().splitlines()[-1:] if came == "refused" else []
            sentences = stats.setdefault("sentences", [])
            if said and said[0][:200] not in sentences and len(sentences) < 8:  # what users read, to judge
                sentences.append(said[0][:200])
            result["peak_mb"] = max(result["peak_mb"], answer.get("peak_mb", 0.0))
            if came not in ("accepted", "refused"):
                kept = keep / f"{came}-{result['trials']}"
                shutil.copytree(work, kept, dirs_exist_ok=True)
                if len(result["problems"]) < EXAMPLES_KEPT * 4:
                    result["problems"].append({"outcome": came, "kind": kind, "argv": argv, "input": str(kept),
                                               "stderr": answer.get("stderr", "")[-1500:],
                                               "signal": answer.get("signal")})  # fmt: skip
            shutil.rmtree(work, ignore_errors=True)
            result["trials"] += 1
            result["minutes"] = round((already + time.monotonic() - started) / 60, 2)
            load = round(os.getloadavg()[0], 1)
            low, high = result.get("load_average_range", [load, load])
            result["load_average_range"] = [min(low, load), max(high, load)]
            atomic_write_bytes(out, (json.dumps(result, indent=2) + "\n").encode())  # a kill leaves a whole file
    finally:
        for worker in workers.values():
            worker.stop()
        shutil.rmtree(base, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fuzz.json")
    parser.add_argument(
        "--keep",
        type=Path,
        default=Path(tempfile.gettempdir()) / "atelier-fuzz-problems",
        help="where the inputs of problem trials are copied (to reproduce them)",
    )
    parser.add_argument("--resume", action="store_true", help="add to the result already in --out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"which inputs to mutate (default: {','.join(KINDS)})")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop cleanly: the result so far is saved
    kinds = [kind for kind in args.kinds.split(",") if kind]
    if not kinds or set(kinds) - set(KINDS):
        parser.error(f"--kinds: choose from {', '.join(KINDS)}")
    result = run(args.minutes, args.out, args.resume, args.seed, args.keep, kinds)
    print(json.dumps({k: result[k] for k in ("minutes", "trials", "outcomes", "peak_mb")}, indent=2))


if __name__ == "__main__":
    main()
