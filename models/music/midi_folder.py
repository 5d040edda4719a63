"""Read a user's folder of MIDI files into melodies for training, with a reason for every skipped file.

The melody of a file is the track the user names, else the tracks whose names say they hold the melody
("Melody", "Lead", "Vocals", "Soprano"...: a DAW's pad or chords often sound above it), or else the skyline:
the highest sounding note at every onset over all non-drum tracks, cut where the next note starts so the
line is monophonic.
The key comes from the file's key signature or, when it has none, is estimated with the
Krumhansl–Schmuckler profiles. Corrupt, empty, drum-only and huge files are skipped, each with its
reason; a folder with nothing usable is a clear error.
"""

from __future__ import annotations

import re
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.music import tokens
from models.music.corpus import Tune

MIDI_SUFFIXES = {".mid", ".midi", ".kar"}
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_NOTES = 50_000
MIN_NOTES = 8
# A key as a musician reads it ("G major", "F# minor"), spelt as the Compose tab's Key list spells it.
KEY_NAMES = {"major": ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"),
             "minor": ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")}
MELODY_TRACK = re.compile(r"\b(melody|lead|vocals?|voice|tune|solo|theme|soprano)\b", re.IGNORECASE)
# Krumhansl–Kessler key profiles (major, minor), tonic first.
MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


@dataclass(frozen=True)
class FileReport:
    path: str
    used: bool
    reason: str  # why it was skipped, or what was read ("melody from track 'Fiddle', 212 notes")


def estimate_key(pitches: np.ndarray, weights: np.ndarray) -> tuple[int, str]:
    """(tonic pitch class, "major" or "minor") whose profile best correlates with the pitch-class histogram."""
    histogram = np.bincount(pitches % 12, weights=weights, minlength=12)
    best, best_score = (0, "major"), -np.inf
    for tonic in range(12):
        for mode, profile in (("major", MAJOR_PROFILE), ("minor", MINOR_PROFILE)):
            score = np.corrcoef(histogram, np.roll(profile, tonic))[0, 1]
            if np.isfinite(score) and score > best_score:
                best, best_score = (tonic, mode), score
    return best


def _holds(pitches: set[int], tonic: int, mode: str) -> bool:
    """Whether the key holds every pitch class; a minor key its raised sixth and seventh too (melodic minor)."""
    scale = set(tokens.scale_of(mode)) | ({9, 11} if mode in ("minor", "aeolian") else set())
    return all((p - tonic) % 12 in scale for p in pitches)


def key_for_motif(motif: list[tuple[int | None, float]], tonic: int, mode: str) -> tuple[int, str] | None:
    """The key a motif is in when its notes leave the chosen key (tonic pitch class, mode), else None.

    A new user plays a motif on the white keys under the default D major, and the melody went on in D major, its
    C sharps and F sharps against the motif's C and F. Of the major and minor keys that hold every note of the
    motif, the one whose Krumhansl-Kessler profile fits its notes best (weighted by length). None when the chosen
    key holds them all, or when no major or minor key does (a chromatic motif: the chosen key stays)."""
    notes = [(pitch, length) for pitch, length in motif if pitch is not None]
    pitches = {pitch for pitch, _ in notes}
    if not notes or _holds(pitches, tonic, mode):
        return None
    histogram = np.zeros(12)
    for pitch, length in notes:
        histogram[pitch % 12] += length
    fits = [(np.corrcoef(histogram, np.roll(profile, key))[0, 1], key, name)
            for name, profile in (("major", MAJOR_PROFILE), ("minor", MINOR_PROFILE)) for key in range(12)
            if _holds(pitches, key, name)]
    fits = [fit for fit in fits if np.isfinite(fit[0])]
    return max(fits)[1:] if fits else None


def skyline(notes: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Highest note at each onset, each cut at the next onset: [(start_tick, end_tick, pitch)]."""
    by_onset: dict[int, tuple[int, int, int]] = {}
    for start, end, pitch in notes:
        if start not in by_onset or pitch > by_onset[start][2]:
            by_onset[start] = (start, end, pitch)
    line = [by_onset[s] for s in sorted(by_onset)]
    return [(s, min(e, line[i + 1][0]) if i + 1 < len(line) else e, p) for i, (s, e, p) in enumerate(line)]


def _to_events(line: list[tuple[int, int, int]]) -> list[list[int]]:
    """[onset, duration, pitch] with rests filling the gaps, on the 2-tick grid."""
    events: list[list[int]] = []
    cursor = None
    for start, end, pitch in line:
        start, end = 2 * round(start / 2), 2 * round(end / 2)
        if end <= start:
            continue
        if cursor is not None and start > cursor:
            events.append([cursor, start - cursor, -1])
        elif cursor is not None and start < cursor:
            continue
        events.append([start, end - start, pitch])
        cursor = end
    return events


def read_midi_file(path: Path, track: str | None = None, min_notes: int = MIN_NOTES) -> tuple[Tune | None, FileReport]:
    import pretty_midi

    def skip(reason: str) -> tuple[None, FileReport]:
        return None, FileReport(str(path), False, reason)

    size = path.stat().st_size
    if size == 0:
        return skip("empty file")
    if size > MAX_FILE_BYTES:
        return skip(f"too large ({size // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024} KiB)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            midi = pretty_midi.PrettyMIDI(str(path))
    except Exception as error:  # mido and pretty_midi raise many kinds on damaged files
        # A user reads this reason: say what is wrong with the file, never the exception's name.
        if "MThd" in str(error):
            return skip("not a readable MIDI file: it does not begin with a MIDI header")
        return skip("not a readable MIDI file: it is damaged or cut short")
    pitched = [i for i in midi.instruments if not i.is_drum and i.notes]
    if not pitched:
        return skip("only drums" if any(i.is_drum and i.notes for i in midi.instruments) else "no notes")
    if sum(len(i.notes) for i in pitched) > MAX_NOTES:
        return skip(f"too many notes (more than {MAX_NOTES})")
    if track is not None:
        chosen = [i for i in pitched if i.name.strip().lower() == track.strip().lower()]
        if not chosen:
            return skip(f"no track named {track!r} (tracks: {', '.join(repr(i.name) for i in pitched)})")
        source = f"track {chosen[0].name!r}"
    elif named := [i for i in pitched if MELODY_TRACK.search(i.name)]:
        chosen, source = named, f"track {', '.join(repr(i.name.strip()) for i in named)}"
    else:
        chosen, source = pitched, "skyline of all non-drum tracks"
    scale = tokens.TICKS_PER_QUARTER / midi.resolution
    raw = [(round(midi.time_to_tick(n.start) * scale), round(midi.time_to_tick(n.end) * scale), n.pitch)
           for instrument in chosen for n in instrument.notes]
    events = _to_events(skyline(raw))
    if sum(1 for e in events if e[2] >= 0) < min_notes:
        return skip(f"fewer than {min_notes} melody notes")
    if midi.key_signature_changes:
        number = midi.key_signature_changes[0].key_number
        tonic, mode = number % 12, "major" if number < 12 else "minor"
    else:
        pitches = np.array([e[2] for e in events if e[2] >= 0])
        weights = np.array([e[1] for e in events if e[2] >= 0], dtype=float)
        tonic, mode = estimate_key(pitches, weights)
    signature = midi.time_signature_changes[0] if midi.time_signature_changes else None
    try:  # a damaged file may claim 0/4 or 3/0: a bar of no length; read such a tune in 4/4
        meter = tokens.Meter.parse(f"{signature.numerator}/{signature.denominator}") if signature else tokens.Meter(4, 4)
    except ValueError:
        meter = tokens.Meter(4, 4)
    tempo = float(midi.get_tempo_changes()[1][0]) if len(midi.get_tempo_changes()[1]) else None
    tune_id = f"user/{path.name}"
    bucket = zlib.crc32(tune_id.encode("utf-8")) % 10
    split = "test" if bucket == 0 else "valid" if bucket == 1 else "train"
    tune = Tune(tune_id, "user", tonic, mode, meter, events, split, round(tempo) if tempo else None, path.stem)
    n_notes = sum(1 for e in events if e[2] >= 0)
    return tune, FileReport(str(path), True, f"melody from {source}, {n_notes} notes, in {KEY_NAMES[mode][tonic]} {mode}")


def read_midi_folder(folder: str | Path, track: str | None = None) -> tuple[list[Tune], list[FileReport]]:
    """Every usable melody under `folder` (recursively) and a report line per MIDI file."""
    folder = Path(folder)
    if not folder.exists():
        raise ValueError(f"{folder} does not exist: choose a folder of MIDI files")
    if not folder.is_dir():
        raise ValueError(f"{folder} is a file, not a folder: put the MIDI files in a folder and choose that")
    tunes, reports = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in MIDI_SUFFIXES):
        tune, report = read_midi_file(path, track)
        reports.append(report)
        if tune is not None:
            tunes.append(tune)
    if not tunes:
        reasons = "; ".join(f"{Path(r.path).name}: {r.reason}" for r in reports[:5]) or "it has no .mid files"
        raise ValueError(f"No melody could be read from {folder} ({reasons}). Add MIDI files with a melody line.")
    return tunes, reports


def motif_from_midi(path: str | Path, max_notes: int = 32) -> list[tuple[int | None, float]]:
    """The melody line of a short MIDI file as (pitch or None for a rest, quarter notes) pairs."""
    tune, report = read_midi_file(Path(path), min_notes=1)
    if tune is None:
        raise ValueError(f"{Path(path).name} cannot be used as a motif: {report.reason}")
    events = [e for e in tune.notes][:max_notes]
    return [(None if p < 0 else int(p), d / tokens.TICKS_PER_QUARTER) for _, d, p in events]
