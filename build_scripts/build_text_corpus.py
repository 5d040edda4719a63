"""Build resources/text/fortune-lines.txt, the sentence VAE's corpus, from Debian's `fortunes` files.

Why these lines: the VAE writes single lines of verse and short sayings (lyrics, titles, riffs),
so it learns from single lines, not whole quotations. We take every line of the verse-rich files
(songs-poems, love, literature, art) and the one-line sayings of wisdom and platitudes, drop
attributions ("-- Author"), code, ASCII art, numbers and shouting, and keep lines of 3 to 14 words.
Debian's `fortunes` package is BSD-licensed (see /usr/share/doc/fortunes/copyright).

    python build_scripts/build_text_corpus.py [--fortunes-dir /usr/share/games/fortunes]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "resources" / "text" / "fortune-lines.txt"
FILES = ("songs-poems", "love", "literature", "art", "wisdom", "platitudes")
ALLOWED = re.compile(r"^[A-Za-z][A-Za-z ,.;:!?'\-]*$")
HEADER = """# Lines for Atelier's sentence VAE, one per line, taken from Debian's `fortunes` package
# (files: {files}), BSD licence: Copyright (c) 1991 The Regents of the University of California,
# see /usr/share/doc/fortunes/copyright. Built by build_scripts/build_text_corpus.py.
"""


def clean_line(line: str) -> str | None:
    line = line.strip().replace("`", "'").replace("\t", " ")
    line = re.sub(r"\s+", " ", line)
    line = line.strip("\"")
    if not line or line.startswith("--") or line.startswith("-"):
        return None
    if not ALLOWED.match(line) or line.upper() == line:
        return None
    words = line.split()
    if not 3 <= len(words) <= 14:
        return None
    return line


def corpus_lines(fortunes_dir: Path) -> list[str]:
    seen: set[str] = set()
    lines: list[str] = []
    for name in FILES:
        text = (fortunes_dir / name).read_text(encoding="latin-1")
        for quotation in text.split("\n%\n"):
            for raw in quotation.splitlines():
                line = clean_line(raw)
                if line is None:
                    continue
                key = line.lower()
                if key not in seen:
                    seen.add(key)
                    lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fortunes-dir", type=Path, default=Path("/usr/share/games/fortunes"))
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    lines = corpus_lines(args.fortunes_dir)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(HEADER.format(files=", ".join(FILES)) + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} lines -> {args.output}")


if __name__ == "__main__":
    main()
