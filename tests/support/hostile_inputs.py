"""Bad inputs for the command line: damaged pictures, MIDI files and checkpoints, made from good ones.

The table-driven CLI test and bench/fuzz_cli.py both use these. Every maker writes into a folder and
returns the path it wrote.
"""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from models.resources import resource


def good_png(folder: Path, name: str = "sketch.png", size: tuple[int, int] = (48, 32)) -> Path:
    rng = np.random.default_rng(0)
    pixels = (rng.random((size[1], size[0], 3)) * 255).astype(np.uint8)
    path = folder / name
    Image.fromarray(pixels).save(path)
    return path


def png_16_bit_rgb(folder: Path) -> Path:
    """A 16-bit-per-channel RGB PNG (Pillow reads it as 8-bit RGB without saying so)."""
    height, width = 32, 32
    values = (np.random.default_rng(1).random((height, width, 3)) * 65535).astype(">u2")
    raw = b"".join(b"\x00" + values[y].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    path = folder / "deep.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )
    return path


def animated_gif(folder: Path) -> Path:
    frames = [Image.new("RGB", (32, 32), colour) for colour in ("red", "blue", "green")]
    path = folder / "animated.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    return path


def text_as(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("this is not what its name says\n")
    return path


def truncated(source: Path, folder: Path, keep: float = 0.5) -> Path:
    path = folder / f"truncated{source.suffix}"
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def empty(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def recipe_png(folder: Path, recipe: object, name: str = "replay.png") -> Path:
    """A PNG carrying `recipe` (any JSON, or a str stored as it is) where Atelier keeps its recipe."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("atelier-recipe", recipe if isinstance(recipe, str) else json.dumps(recipe))
    path = folder / name
    Image.new("RGB", (16, 16), "white").save(path, pnginfo=info)
    return path


def checkpoint_copy(source: Path, folder: Path, name: str) -> Path:
    """A copy of a checkpoint (weights and description) under another name."""
    target = folder / f"{name}.safetensors"
    shutil.copy(source, target)
    shutil.copy(source.with_suffix(".json"), target.with_suffix(".json"))
    return target


def with_description(path: Path, edit: Callable[[dict], None]) -> Path:
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text())
    edit(meta)
    meta_path.write_text(json.dumps(meta))
    return path


def with_tensor(path: Path, key: str, value) -> Path:  # noqa: ANN001 - a torch tensor
    from safetensors.torch import load_file, save_file

    tensors = load_file(path)
    tensors[key] = value
    save_file(tensors, path)
    return path


def midi_folder_with_huge_beat(folder: Path, power: int = 130) -> Path:
    """A folder of two tunes, one whose time signature claims beats of 1/2**power of a whole note (a bar
    of no length: what a damaged byte made of a fuzzed file)."""
    from tests.support.midi_files import write_tune

    folder.mkdir(parents=True, exist_ok=True)
    write_tune(folder / "good.mid", seed=1)
    data = write_tune(folder / "odd.mid", seed=2).read_bytes()
    denominator = data.index(b"\xff\x58\x04") + 4  # the meta event: numerator, denominator power, ...
    (folder / "odd.mid").write_bytes(data[:denominator] + bytes([power]) + data[denominator + 1 :])
    return folder


def pickle_checkpoint(folder: Path, name: str) -> Path:
    """A pickle named .safetensors, whose loading would create a marker file (it must never appear)."""
    import pickle

    class Marker:
        def __reduce__(self):
            return (open, (str(folder / "PICKLE-WAS-LOADED"), "w"))

    path = folder / f"{name}.safetensors"
    path.write_bytes(pickle.dumps(Marker()))
    shutil.copy(resource("melody", "irish.json"), path.with_suffix(".json"))
    return path


def melody_checkpoints(folder: Path) -> dict[str, Path]:
    """Bad melody styles, each a copy of the shipped Irish one with one thing wrong."""
    import torch

    irish = resource("melody", "irish.safetensors")
    made: dict[str, Path] = {}

    def copy(name: str) -> Path:
        made[name] = checkpoint_copy(irish, folder, name)
        return made[name]

    with_description(copy("states-text"), lambda m: m["hyperparameters"].update(n_states="many"))
    with_description(copy("states-huge"), lambda m: m["hyperparameters"].update(n_states=10**9))
    with_description(copy("states-missing"), lambda m: m["hyperparameters"].pop("n_states"))
    with_description(copy("prior-text"), lambda m: m["hyperparameters"].update(pitch_prior="x"))
    with_description(copy("pitches-number"), lambda m: m["hyperparameters"].update(pitches_used=7))
    with_description(copy("hyper-list"), lambda m: m.update(hyperparameters=[1, 2]))
    with_description(copy("facts-list"), lambda m: m.update(facts=[1]))
    with_description(copy("facts-leap-text"), lambda m: m.update(facts={"widest_leap": "wide"}))
    with_description(copy("version-9"), lambda m: m.update(format_version=9))
    with_description(copy("kind-style"), lambda m: m.update(kind="paint-style"))
    with_tensor(copy("transmat-shape"), "transmat", torch.zeros(3, 3))
    with_tensor(copy("transmat-nan"), "transmat", torch.full((32, 32), float("nan")))
    made["truncated"] = truncated(copy("whole"), folder)
    made["truncated"].with_suffix(".json").write_text(made["whole"].with_suffix(".json").read_text())
    del made["whole"]
    copy("no-description").with_suffix(".json").unlink()
    copy("description-garbage").with_suffix(".json").write_text("{not json")
    made["pickle"] = pickle_checkpoint(folder, "pickle")
    made["empty"] = empty(folder, "empty.safetensors")
    shutil.copy(irish.with_suffix(".json"), made["empty"].with_suffix(".json"))
    return made


def paint_checkpoints(folder: Path) -> dict[str, Path]:
    """Bad painting styles, each a copy of the shipped Munch one with one thing wrong."""
    import torch

    munch = resource("styles", "munch.safetensors")
    made: dict[str, Path] = {}

    def copy(name: str) -> Path:
        made[name] = checkpoint_copy(munch, folder, name)
        return made[name]

    with_description(copy("width-40000"), lambda m: m["hyperparameters"].update(width=40000))
    with_description(copy("blocks-huge"), lambda m: m["hyperparameters"].update(blocks=10**7))
    with_description(copy("work-size-huge"), lambda m: m["hyperparameters"].update(work_size=10**6))
    with_description(copy("kind-true"), lambda m: m.update(kind=True))
    with_tensor(copy("palette-nan"), "palette.means", torch.full((8, 3), float("nan")))
    made["pickle"] = pickle_checkpoint(folder, "style-pickle")
    shutil.copy(munch.with_suffix(".json"), made["pickle"].with_suffix(".json"))
    return made
