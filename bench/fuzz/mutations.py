"""Mutations for bench/fuzz_cli.py: damaged copies of valid PNGs, MIDI files, checkpoints and chat-server replies.

Each mutator takes a seeded `random.Random` and returns new bytes (or a reply plan). Byte-level changes
(flips, overwrites with boundary integers, truncation, repeated or inserted blocks) find what a parser
trips on; structure-aware ones get past the first check: PNG chunks keep valid CRCs, a checkpoint's JSON
stays JSON with one value swapped for a hostile one, a server reply keeps its framing with a bad chunk.
"""

from __future__ import annotations

import json
import random
import struct
import zlib
from dataclasses import dataclass, field

BOUNDARY = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x100000, 20000, 65536]
HOSTILE_VALUES = [0, -1, 1e308, -1e308, float("nan"), float("inf"), 10**9, 10**20, 2**63, "", "x" * 1000, "16",
                  None, True, [], [1, 2], {}, {"a": 1}, 0.5, -0.5, 40000]  # fmt: skip


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """One to four random byte-level changes."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not data:
            data += bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
            continue
        kind = rng.choice(["flip", "byte", "boundary", "truncate", "repeat", "insert", "delete"])
        where = rng.randrange(len(data))
        if kind == "flip":
            data[where] ^= 1 << rng.randrange(8)
        elif kind == "byte":
            data[where] = rng.randrange(256)
        elif kind == "boundary":
            value = rng.choice(BOUNDARY)
            if rng.random() < 0.7:
                packed = struct.pack(rng.choice([">I", "<I"]), value & 0xFFFFFFFF)
            else:
                packed = struct.pack(">H", value & 0xFFFF)
            data[where : where + len(packed)] = packed
        elif kind == "truncate":
            del data[where:]
        elif kind == "repeat":
            block = data[where : where + rng.randint(1, 4096)]
            data[where:where] = block * rng.randint(1, 50)
        elif kind == "insert":
            data[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 256)))
        else:
            del data[where : where + rng.randint(1, 256)]
    return bytes(data)


# PNG ------------------------------------------------------------------------------------------------


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        chunks.append((kind, data[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _png_from(chunks: list[tuple[bytes, bytes]]) -> bytes:
    out = bytearray(b"\x89PNG\r\n\x1a\n")
    for kind, body in chunks:
        out += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return bytes(out)


def mutate_png(data: bytes, rng: random.Random, recipe: dict | None = None) -> bytes:
    """Half the time raw bytes; else one chunk changed with its CRC made right again (dimensions, bit
    depth and colour type, compressed data, or an Atelier recipe with a hostile value)."""
    if rng.random() < 0.4:
        return mutate_bytes(data, rng)
    chunks = _png_chunks(data)
    choice = rng.choice(["ihdr", "idat", "recipe", "duplicate"])
    for index, (kind, body) in enumerate(chunks):
        if kind == b"IHDR" and choice == "ihdr":
            width, height, depth, colour, *rest = struct.unpack(">IIBBBBB", body)
            field_name = rng.choice(["width", "height", "depth", "colour", "interlace"])
            if field_name in ("width", "height"):
                value = rng.choice([0, 1, 7, 16385, 20000, 65535, 0x7FFFFFFF, 0xFFFFFFFF])
                width, height = (value, height) if field_name == "width" else (width, value)
            elif field_name == "depth":
                depth = rng.choice([0, 1, 2, 4, 8, 16, 3, 255])
            elif field_name == "colour":
                colour = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 255])
            else:
                rest[2] = rng.choice([0, 1, 2, 255])
            chunks[index] = (kind, struct.pack(">IIBBBBB", width, height, depth, colour, *rest))
        elif kind == b"IDAT" and choice == "idat":
            if rng.random() < 0.5:
                raw = zlib.decompress(body)
                chunks[index] = (kind, zlib.compress(mutate_bytes(raw, rng)))
            else:
                chunks[index] = (kind, mutate_bytes(body, rng))
    if choice == "recipe":
        text = json.dumps(mutate_json(recipe or {"engine": "paint"}, rng), allow_nan=True)
        chunks.insert(1, (b"tEXt", b"atelier-recipe\x00" + text.encode("latin-1", errors="replace")))
    elif choice == "duplicate" and len(chunks) > 2:
        chunks.insert(rng.randrange(1, len(chunks)), rng.choice(chunks))
    return _png_from(chunks)


# JSON (checkpoint descriptions, recipes) ---------------------------------------------------------


def mutate_json(value, rng: random.Random, depth: int = 0):  # noqa: ANN001, ANN201 - any JSON value
    """A copy with one value somewhere inside replaced by a hostile one (or a key dropped)."""
    if isinstance(value, dict) and value and depth < 6:
        key = rng.choice(list(value))
        copy = dict(value)
        if rng.random() < 0.15:
            del copy[key]
        else:
            copy[key] = mutate_json(value[key], rng, depth + 1)
        return copy
    if isinstance(value, list) and value and depth < 6 and rng.random() < 0.7:
        copy = list(value)
        index = rng.randrange(len(copy))
        copy[index] = mutate_json(copy[index], rng, depth + 1)
        return copy
    return rng.choice(HOSTILE_VALUES)


def mutate_safetensors(data: bytes, rng: random.Random) -> bytes:
    """The weights file: its JSON header changed (shapes, dtypes, offsets) with the length kept right, or raw bytes."""
    if rng.random() < 0.4 or len(data) < 8:
        return mutate_bytes(data, rng)
    (length,) = struct.unpack("<Q", data[:8])
    try:
        header = json.loads(data[8 : 8 + length])
    except ValueError:
        return mutate_bytes(data, rng)
    name = rng.choice([k for k in header if k != "__metadata__"] or list(header))
    entry = header[name]
    if isinstance(entry, dict):
        part = rng.choice(["shape", "dtype", "data_offsets"])
        if part == "shape":
            entry["shape"] = rng.choice([[0], [10**9], [-1], [3, 3], [2**40, 2**40], [], [1] * 9])
        elif part == "dtype":
            entry["dtype"] = rng.choice(["F64", "I8", "BOOL", "XX", "F16", "U64"])
        else:
            entry["data_offsets"] = rng.choice([[0, 0], [0, 2**62], [10, 5], [-1, 4]])
    blob = json.dumps(header).encode()
    return struct.pack("<Q", len(blob)) + blob + data[8 + length :]


# Chat-server replies ----------------------------------------------------------------------------


@dataclass
class ServerPlan:
    """What the fake server does for one trial: the /api/tags body, and the chat answer as pieces to send
    (bytes, or a float: seconds to wait), then close."""

    tags: bytes
    answer: list = field(default_factory=list)
    raw_http: bool = False  # answer is the whole response, status line included


def _ollama(text: str, done: bool = False) -> bytes:
    return (json.dumps({"message": {"role": "assistant", "content": text}, "done": done}) + "\n").encode()


def server_plan(rng: random.Random) -> ServerPlan:
    tags = json.dumps({"models": [{"name": "tiny"}]}).encode()
    if rng.random() < 0.2:
        tags = json.dumps(mutate_json({"models": [{"name": "tiny"}, {"name": "b"}]}, rng), allow_nan=True).encode()
    pieces: list = [_ollama(word) for word in ("Hello", " there", ",", " friend", ".")]
    kind = rng.choice(["chunks", "chunks", "bytes", "endless-line", "many-tokens", "hang", "status", "garbage-http",
                       "close", "error"])  # fmt: skip
    plan = ServerPlan(tags)
    if kind == "chunks":  # some pieces replaced by JSON of another shape
        for _ in range(rng.randint(1, 4)):
            index = rng.randrange(len(pieces))
            good = {"message": {"role": "assistant", "content": "x"}, "done": False}
            pieces[index] = (json.dumps(mutate_json(good, rng), allow_nan=True) + "\n").encode()
        plan.answer = [*pieces, _ollama("", done=True)]
    elif kind == "bytes":
        plan.answer = [mutate_bytes(b"".join(pieces), rng)]
    elif kind == "endless-line":
        plan.answer = [b'{"message": {"content": "', *[b"a" * 65536] * rng.randint(1, 40)]
    elif kind == "many-tokens":
        plan.answer = [_ollama("tok ")] * rng.randint(10, 5000)
    elif kind == "hang":
        plan.answer = [*pieces[: rng.randint(0, 3)], rng.choice([2.0, 10.0, 35.0])]
    elif kind == "status":
        code = rng.choice([301, 302, 400, 404, 500, 503, 999])
        plan.raw_http, plan.answer = True, [f"HTTP/1.1 {code} X\r\nContent-Length: 2\r\n\r\n{{}}".encode()]
    elif kind == "garbage-http":
        plan.raw_http, plan.answer = (
            True,
            [mutate_bytes(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" + pieces[0], rng)],
        )
    elif kind == "close":
        plan.raw_http, plan.answer = True, []
    else:
        plan.answer = [pieces[0], json.dumps({"error": mutate_json({"message": "bad"}, rng)}, allow_nan=True).encode()
                       + b"\n"]  # fmt: skip
    return plan


# Words ----------------------------------------------------------------------------------------------

PHRASES = ["a stormy harbour at dusk", "paint me a quiet village", "write a poem about the sea", "hi",
           "compose a waltz in D minor", "paint a mountain in the style of hokusai", "a song about rain"]  # fmt: skip
ODD_TEXT = ["\udcff\udce9", "\u202e", "\u200b", "e\u0301\u0301\u0301", "\U0001f30a", "\x1b[31m", "\r", "\t", "\n",
            "--size", "-o", "..", "/", "%s", "{}", "\\", "\"", "'", "0x0", "-1", "nan", "1e308", "ﬁ", "İ", "ß"]  # fmt: skip


def mutate_words(rng: random.Random) -> str:
    """Words as a user might type or paste them: a phrase with odd characters (bytes of another encoding
    arrive as lone surrogates, control and direction marks, combining marks), repeated, cut or emptied."""
    text = rng.choice(PHRASES)
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["insert", "insert", "repeat", "cut", "empty", "code-points"])
        where = rng.randrange(len(text) + 1)
        if kind == "insert":
            text = text[:where] + rng.choice(ODD_TEXT) + text[where:]
        elif kind == "repeat":
            text = text * rng.choice([2, 10, 100, 1000])
        elif kind == "cut":
            text = text[:where]
        elif kind == "empty":
            text = rng.choice(["", " ", "\n\n"])
        else:  # any character a command line can carry: no NUL, and of the surrogates only the escaped bytes
            text = text[:where] + "".join(_character(rng) for _ in range(rng.randint(1, 20)))
    return text


def _character(rng: random.Random) -> str:
    code = rng.randrange(1, 0x30000)
    return chr(0xDC80 + code % 128) if 0xD800 <= code < 0xE000 else chr(code)
