"""Build resources/melody/corpus.json.gz from music21's bundled corpus (build time only).

Collections (all redistributable; Essen is NOT used, its licence is non-commercial):
  bach     the 371 Bach chorales: soprano line, and a chord (Roman numeral) per slice for the harmonizer
  irish    O'Neill's Music of Ireland (oneills1850/*.abc)
  fiddle   Ryan's Mammoth Collection (ryansMammoth/*.abc)
  scottish Aird's Airs (airdsAirs/*.abc)

Each ABC file is split into its tunes and every tune is parsed on its own, so one bad tune costs
one tune; every failure is counted with its reason and printed. Notes are stored as
[onset, duration, midi pitch or -1 for a rest] in ticks of 1/24 quarter; onset 0 is the first
downbeat, so a pickup has negative onsets. The split (train/valid/test, 80/10/10) is a fixed
hash of the tune's id, so rebuilding never moves a tune between splits.

    .venv/bin/pip install music21
    nice -n 10 .venv/bin/python build_scripts/build_melody_corpus.py   # about 10 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import zlib
from collections import Counter
from fractions import Fraction
from pathlib import Path

TICKS_PER_QUARTER = 24
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "melody" / "corpus.json.gz"
ABC_COLLECTIONS = {"irish": "oneills1850", "fiddle": "ryansMammoth", "scottish": "airdsAirs"}
SOURCES = {
    "bach": "music21 corpus: 371 Bach chorales (Riemenschneider numbering)",
    "irish": "music21 corpus: O'Neill's Music of Ireland (1850), ABC by Norbert Paap",
    "fiddle": "music21 corpus: Ryan's Mammoth Collection (1883), ABC",
    "scottish": "music21 corpus: Aird's Selection of Airs (1778-1797), ABC by Jack Campin",
}


class TuneError(Exception):
    """A tune we cannot use; the message is the reason counted in the report."""


def split_of(tune_id: str) -> str:
    bucket = zlib.crc32(tune_id.encode("utf-8")) % 10
    return "test" if bucket == 0 else "valid" if bucket == 1 else "train"


def ticks(quarter_length) -> int:
    value = Fraction(quarter_length).limit_denominator(96) * TICKS_PER_QUARTER
    if value.denominator != 1:
        raise TuneError("a duration off the 1/24-quarter grid (tuplet or odd rhythm)")
    return int(value)


def abc_tunes(text: str) -> list[str]:
    """Split an ABC file into one string per tune (each starting with its X: line)."""
    starts = [m.start() for m in re.finditer(r"^X:", text, flags=re.MULTILINE)]
    return [text[a:b].strip() + "\n" for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def abc_field(tune: str, name: str) -> str | None:
    match = re.search(rf"^{name}:\s*(.+?)\s*$", tune, flags=re.MULTILINE)
    return match.group(1) if match else None


def meter_of(text: str | None) -> str:
    if text is None:
        raise TuneError("no meter")
    text = text.replace(" ", "")
    text = {"C": "4/4", "C|": "2/2"}.get(text, text)
    if not re.fullmatch(r"\d+/\d+", text):
        raise TuneError(f"unusable meter {text!r}")
    return text


def bar_ticks(meter: str) -> int:
    numerator, denominator = (int(x) for x in meter.split("/"))
    return numerator * 4 * TICKS_PER_QUARTER // denominator


def melody_notes(part, bar_length: int) -> list[list[int]]:
    """[onset, duration, pitch] of the part's top line, ties merged, onset 0 at the first downbeat."""
    from music21 import chord, note

    measures = list(part.getElementsByClass("Measure"))
    pickup = 0
    if measures:
        first = ticks(measures[0].duration.quarterLength)
        if 0 < first < bar_length:
            pickup = first
    events: list[list[int]] = []
    for element in part.stripTies().flatten().notesAndRests:
        if element.duration.isGrace or element.quarterLength == 0:
            continue
        onset = ticks(element.offset) - pickup
        duration = ticks(element.quarterLength)
        if isinstance(element, chord.Chord):
            pitch = max(p.midi for p in element.pitches)  # double stops: keep the top note
        elif isinstance(element, note.Note):
            pitch = element.pitch.midi
        else:
            pitch = -1
        if events and events[-1][0] == onset:  # a second voice at the same onset: keep the higher
            if pitch > events[-1][2]:
                events[-1] = [onset, duration, pitch]
            continue
        events.append([onset, duration, pitch])
    while events and events[0][2] < 0:
        events.pop(0)
    while events and events[-1][2] < 0:
        events.pop()
    if sum(1 for e in events if e[2] >= 0) < 8:
        raise TuneError("fewer than 8 notes")
    return events


def key_of(stream, written_key) -> tuple[int, str]:
    from music21 import key

    k = written_key if isinstance(written_key, key.Key) else stream.analyze("key")
    return k.tonic.pitchClass, k.mode


def parse_abc_tune(text: str, collection: str, file_name: str) -> dict:
    from music21 import converter, key

    number = (abc_field(text, "X") or "?").strip()
    meter = meter_of(abc_field(text, "M"))
    try:
        score = converter.parse(text, format="abc")
    except Exception as error:  # music21 raises many kinds on malformed ABC
        raise TuneError(f"music21 could not parse it ({type(error).__name__})") from None
    parts = getattr(score, "parts", None)
    part = parts[0] if parts is not None and len(parts) else score
    notes = melody_notes(part, bar_ticks(meter))
    tonic, mode = key_of(part, part.flatten().getElementsByClass(key.Key).first())
    tempo = None
    q = abc_field(text, "Q")
    if q:
        match = re.fullmatch(r"(\d+)/(\d+)\s*=\s*(\d+)", q.replace(" ", ""))
        if match:
            tempo = round(int(match.group(3)) * 4 * int(match.group(1)) / int(match.group(2)))
    return {"id": f"{collection}/{Path(file_name).stem}/{number}", "collection": collection,
            "title": abc_field(text, "T") or "", "tonic": tonic, "mode": mode, "meter": meter, "tempo": tempo,
            "notes": notes}


def parse_chorale(name: str, with_chords: bool) -> dict:
    from music21 import corpus, roman

    score = corpus.parse(name)
    soprano = next((p for p in score.parts if "soprano" in (p.partName or p.id or "").lower()), score.parts[0])
    ts = soprano.flatten().getElementsByClass("TimeSignature").first()
    if ts is None:
        raise TuneError("no meter")
    meter = meter_of(ts.ratioString)
    notes = melody_notes(soprano, bar_ticks(meter))
    k = score.analyze("key")
    tune = {"id": name, "collection": "bach", "title": score.metadata.title if score.metadata else "",
            "tonic": k.tonic.pitchClass, "mode": k.mode, "meter": meter, "tempo": None, "notes": notes}
    if with_chords:
        measures = list(soprano.getElementsByClass("Measure"))
        first = ticks(measures[0].duration.quarterLength) if measures else 0
        pickup = first if 0 < first < bar_ticks(meter) else 0
        chords = []
        for c in score.chordify().flatten().getElementsByClass("Chord"):
            rn = roman.romanNumeralFromChord(c, k)
            chords.append([ticks(c.offset) - pickup, ticks(c.quarterLength), rn.figure])
        tune["chords"] = chords
    return tune


def build(collections: list[str], limit: int | None, with_chords: bool) -> dict:
    from music21 import corpus

    corpus_dir = Path(corpus.__file__).parent
    tunes: list[dict] = []
    report: dict[str, dict] = {}
    for collection in collections:
        began = time.time()
        failures: Counter[str] = Counter()
        attempted = 0
        if collection == "bach":
            jobs = [(name, None) for name in corpus.chorales.Iterator(returnType="filename")]
        else:
            jobs = [(text, path.name) for path in sorted((corpus_dir / ABC_COLLECTIONS[collection]).glob("*.abc"))
                    for text in abc_tunes(path.read_text(encoding="latin-1"))]
        for item, file_name in jobs[:limit]:
            attempted += 1
            try:
                if collection == "bach":
                    tune = parse_chorale(item, with_chords)
                else:
                    tune = parse_abc_tune(item, collection, file_name)
            except TuneError as error:
                failures[str(error)] += 1
                continue
            except Exception as error:  # an unexpected music21 failure is still one counted tune
                failures[f"unexpected {type(error).__name__}"] += 1
                continue
            tune["split"] = split_of(tune["id"])
            tunes.append(tune)
        kept = attempted - sum(failures.values())
        report[collection] = {"source": SOURCES[collection], "attempted": attempted, "kept": kept,
                              "failed": dict(failures.most_common()), "seconds": round(time.time() - began, 1)}
        print(json.dumps({collection: report[collection]}), flush=True)
    return {"format": 1, "ticks_per_quarter": TICKS_PER_QUARTER, "built_at": time.strftime("%Y-%m-%d"),
            "report": report, "tunes": tunes}


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the melody corpus from music21's bundled corpus.")
    parser.add_argument("--collections", default="bach,irish,fiddle,scottish")
    parser.add_argument("--limit", type=int, help="at most this many tunes per collection (for a quick try)")
    parser.add_argument("--no-chords", action="store_true", help="skip the Bach chord analysis")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = build(args.collections.split(","), args.limit, not args.no_chords)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(data, f, separators=(",", ":"))
    splits = Counter(t["split"] for t in data["tunes"])
    print(f"wrote {args.out}: {len(data['tunes'])} tunes {dict(splits)}, {args.out.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
