"""The melody engine's front door: `generate(MelodyRequest(style, key, mode, meter, bars, ...))` returns Melody objects.

Styles are melody-HMM checkpoints: the shipped ones in resources/melody/, or any .safetensors file a
user trained. Generation is exact constrained sampling (see `constrained`), so every request is
met or refused with a reason; the same seed gives the same melodies.
"""

from __future__ import annotations

import dataclasses
import os
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from models.music import tokens
from models.music.constrained import (
    Event,
    ForwardFilter,
    InfeasibleRequest,
    SpanSampler,
    Tables,
    forward_filter,
    suffix_exit,
)
from models.music.corpus import RESOURCE_DIR
from models.music.melody import Melody
from models.music.model import MelodyModel
from models.music.request import MelodyRequest, usual_tempo

SHIPPED_STYLES = ("bach", "irish", "fiddle", "scottish")
MAX_NOTE_LENGTH = 8.0  # MelodyRequest.note_length
MIN_TEMPO, MAX_TEMPO = 30, 260  # quarter notes per minute, as the Compose tab offers (melody.py relies on it)


def style_path(style: str, search_dirs: tuple[Path, ...] = ()) -> Path:
    """The checkpoint of a style: a path to a .safetensors file, or a name in `search_dirs` or the shipped ones."""
    candidate = Path(style)
    if candidate.suffix == ".safetensors" and candidate.exists():
        return candidate
    for directory in (*search_dirs, RESOURCE_DIR):
        path = Path(directory) / f"{style}.safetensors"
        if path.exists():
            return path
    raise ValueError(f"unknown melody style {style!r}: choose one of {', '.join(SHIPPED_STYLES)} or train one")


@lru_cache(maxsize=16)
def _load(path: str, mtime: float) -> MelodyModel:
    return MelodyModel.load(path)


def load_style(style: str, search_dirs: tuple[Path, ...] = ()) -> MelodyModel:
    path = style_path(style, search_dirs)
    return _load(os.fspath(path), path.stat().st_mtime)


@lru_cache(maxsize=32)
def _tables(path: str, mtime: float, temperature: float, mode: str, note_length: float = 0.0,
            meter: str = "") -> Tables:
    model = _load(path, mtime)
    return Tables.from_model(model.startprob.numpy(), model.transmat.numpy(), model.pitch.numpy(),
                             model.duration.numpy(), temperature, usable=model.pitch_mask(),
                             pairs=model.facts.pair_mask(mode), longer=note_length,
                             pair_weights=model.facts.pair_weights(mode, meter))


def parse_form(form: str | None, bars: int) -> list[tuple[str, bool]]:
    """"AABA" or "A A' B A" -> [(label, varied)], one per section; sections must divide the bars evenly."""
    if not form:
        return [("A", False)]
    sections = [(m.group(1), bool(m.group(2))) for m in re.finditer(r"([A-Za-z])(')?", form)]
    if not sections or bars % len(sections):
        raise ValueError(f"the form {form!r} has {len(sections)} sections, which do not divide {bars} bars evenly")
    return [(label.upper(), varied) for label, varied in sections]


def pitch_mask(tonic: int, mode: str, pitch_range: tuple[int, int] | None) -> np.ndarray:
    allowed = np.ones(tokens.N_PITCH_SYMBOLS, dtype=bool)
    if pitch_range is not None:
        low, high = pitch_range
        for symbol in range(tokens.N_PITCH_SYMBOLS):
            pitch = tokens.symbol_to_pitch(symbol, tonic, mode)
            allowed[symbol] = pitch is None or low <= pitch <= high
    return allowed


def motif_events(motif: list[tuple[int | None, float]], tonic: int, mode: str) -> list[Event]:
    """A motif given as (MIDI pitch or None for a rest, length in quarter notes) from the first downbeat."""
    events, onset = [], 0
    for pitch, quarters in motif:
        d = tokens.duration_index(max(1, round(quarters * tokens.TICKS_PER_QUARTER)))
        symbol = tokens.REST if pitch is None else tokens.pitch_to_symbol(int(pitch), tonic, mode)[0]
        events.append(Event(onset, symbol, d))
        onset += tokens.DURATIONS[d]
    return events


def _fill(tables: Tables, meter: tokens.Meter, prefix: list[Event], start: int, end: int, allowed: np.ndarray,
          final_tonic: bool, rng: np.random.Generator, suffix: list[Event] | None = None,
          cache: dict | None = None, cadence: tuple[np.ndarray, int] | None = None,
          filtered: ForwardFilter | None = None, closing: bool = True,
          opening: np.ndarray | None = None) -> list[Event]:
    """The notes of ticks [start, end) after `prefix` (and before `suffix`). A span that ends the tune on the tonic
    ends with a closing note (`closing`, unless no melody can: a motif running into the last half bar). A tune's
    first span starts on the `opening` degrees, each at its share, where the pitch range allows one."""
    closing = closing and final_tonic
    opening = opening if not prefix else None
    # The backward pass depends only on the span and its constraints, so variations share it.
    key = (start, end, final_tonic, closing, not prefix, allowed.tobytes(),
           None if cadence is None else (cadence[0].tobytes(), cadence[1]),
           None if opening is None else opening.tobytes())
    sampler = cache.get(key) if cache is not None and not suffix else None
    if sampler is None:
        sampler = SpanSampler(tables, meter, start, end, allowed, final_tonic,
                              exit_log=suffix_exit(tables, suffix, meter) if suffix else None, opening=not prefix,
                              cadence=cadence, closing=closing, first_shares=opening)
        if cache is not None and not suffix:
            cache[key] = sampler
    entry = filtered.entry(prefix) if filtered is not None else forward_filter(tables, prefix, meter)
    if cadence is not None and not sampler.feasible(entry):  # e.g. a pitch range without the cadence's degrees
        return _fill(tables, meter, prefix, start, end, allowed, final_tonic, rng, suffix, cache, filtered=filtered,
                     closing=closing, opening=opening)
    if opening is not None and not sampler.feasible(entry):  # e.g. a range holding none of the opening degrees
        return _fill(tables, meter, prefix, start, end, allowed, final_tonic, rng, suffix, cache, filtered=filtered,
                     closing=closing)
    if closing and not sampler.feasible(entry):
        return _fill(tables, meter, prefix, start, end, allowed, final_tonic, rng, suffix, cache, filtered=filtered,
                     closing=False)
    return sampler.sample(entry, rng)


def _joins(tables: Tables, events: list[Event], following: list[Event]) -> bool:
    """Whether copied notes may follow the notes before them (no leap wider than the style's)."""
    if not events or not following:
        return True
    return bool(np.isfinite(tables.log_pair[events[-1].symbol, following[0].symbol]))


def _compose(tables: Tables, meter: tokens.Meter, bars: int, sections: list[tuple[str, bool]], motif: list[Event],
             allowed: np.ndarray, end_on_tonic: bool, rng: np.random.Generator, cache: dict,
             cadences: list[tuple[np.ndarray, int] | None] | None = None,
             opening: np.ndarray | None = None) -> list[Event]:
    """Fill the sections in order: a repeated letter copies its first section, a primed one copies its first
    half, everything else is sampled given all the notes before it, ending on the section's cadence."""
    section_ticks = bars // len(sections) * meter.bar_ticks
    total = bars * meter.bar_ticks
    events = list(motif)
    written = sum(e.ticks for e in motif)
    first_of: dict[str, int] = {}
    filtered = ForwardFilter(tables, meter)

    def kept(index: int) -> int:
        """How much of its letter's first section section `index` copies, in ticks: a repeat that must change
        (varied, or the last section that must close) keeps the first half."""
        if not (sections[index][1] or (end_on_tonic and (index + 1) * section_ticks == total)):
            return section_ticks
        return max(section_ticks // 2 // meter.bar_ticks, 1) * meter.bar_ticks if section_ticks > meter.bar_ticks else 0

    def copied_next(index: int, before: int) -> list[Event] | None:
        """The notes section index + 1 will copy, where they are written before tick `before`: the span sampled before
        them leads into them (it leapt into them as far as the style's widest leap, 24 semitones in fiddle tunes)."""
        if index + 1 >= len(sections) or sections[index + 1][0] not in first_of:
            return None
        source, keep = first_of[sections[index + 1][0]], kept(index + 1)
        if not keep or source + keep > before:
            return None
        shift = (index + 1) * section_ticks - source
        return [Event(e.onset + shift, e.symbol, e.duration) for e in events if source <= e.onset < source + keep]

    for index, (label, varied) in enumerate(sections):
        start, end = index * section_ticks, (index + 1) * section_ticks
        cadence = cadences[index] if cadences else None
        if written >= end:  # the motif covers this section already
            first_of.setdefault(label, start)
            continue
        final = end_on_tonic and end == total
        if label in first_of and written <= start:
            # A repeat that must change (varied, or the last section that must close) keeps the first half
            # of the earlier section and samples the rest conditioned on everything so far.
            changes = varied or final
            keep = kept(index)
            shift = start - first_of[label]
            copied = [Event(e.onset + shift, e.symbol, e.duration) for e in events
                      if first_of[label] <= e.onset < first_of[label] + keep]
            if _joins(tables, events, copied):
                events += copied
                if changes:
                    events += _fill(tables, meter, events, start + keep, end, allowed, final, rng, cache=cache,
                                    cadence=cadence, filtered=filtered, suffix=copied_next(index, start))
                written = end
                continue
        following = copied_next(index, max(start, written))
        first_of.setdefault(label, start)
        middle = start + section_ticks // 2 // meter.bar_ticks * meter.bar_ticks
        if following is None and index + 1 < len(sections) and sections[index + 1][0] == label and written <= start \
                and start < middle and kept(index + 1):
            # The next section repeats this one: its first half is written first, so that the second half leads
            # back into it.
            events += _fill(tables, meter, events, start, middle, allowed, False, rng, cache=cache,
                            filtered=filtered, opening=opening)
            following = copied_next(index, middle)
            written = middle
        events += _fill(tables, meter, events, max(start, written), end, allowed, final, rng, cache=cache,
                        cadence=cadence, filtered=filtered, opening=opening, suffix=following)
        written = end
    return events


STYLE_FORM = "style"  # the form that asks for the style's own forms (the default)


def generate(request: MelodyRequest, search_dirs: tuple[Path, ...] = ()) -> list[Melody]:
    """Write `request.variations` melodies of exactly `request.bars` bars; raises ValueError with a reason
    when the request cannot be met. `search_dirs`: folders of the user's styles, looked in before the shipped ones.

    `request.form` is "style" (each variation draws a form as often as the style's tunes have it, with the
    style's cadences at the ends of its four phrases), a form such as "AABA", or "" for none
    (through-composed).
    """
    r = request
    if r.bars < 1 or r.bars > 256:
        raise ValueError("bars must be between 1 and 256")
    if r.variations < 1 or r.variations > 64:
        raise ValueError("variations must be between 1 and 64")
    if not 0.05 <= r.temperature <= 5.0:
        raise ValueError("temperature must be between 0.05 and 5")
    if r.tempo is not None and not MIN_TEMPO <= r.tempo <= MAX_TEMPO:  # NaN fails too
        raise ValueError(f"tempo must be between {MIN_TEMPO} and {MAX_TEMPO} quarter notes per minute")
    if not 0.0 <= r.note_length <= MAX_NOTE_LENGTH:  # NaN fails too
        raise ValueError(f"note_length must be between 0 and {MAX_NOTE_LENGTH:g}")
    if r.seed < 0:
        raise ValueError("the seed must be 0 or more")
    tonic, parsed_meter = tokens.parse_key(r.key), tokens.Meter.parse(r.meter)
    tokens.scale_of(r.mode)
    path = style_path(r.style, search_dirs)
    tables = _tables(os.fspath(path), path.stat().st_mtime, float(r.temperature), r.mode, float(r.note_length),
                     str(parsed_meter))
    facts = _load(os.fspath(path), path.stat().st_mtime).facts
    allowed = pitch_mask(tonic, r.mode, r.pitch_range)
    style_form = r.form == STYLE_FORM
    sections = None if style_form else parse_form(r.form, r.bars)
    motif_ev = motif_events(list(r.motif), tonic, r.mode) if r.motif else []
    if motif_ev and sum(e.ticks for e in motif_ev) >= r.bars * parsed_meter.bar_ticks:
        raise ValueError("the motif is as long as the whole melody: ask for more bars")
    if r.pitch_range is not None and any(not allowed[e.symbol] for e in motif_ev):
        raise ValueError("the motif has notes outside the requested pitch range")
    melodies: list[Melody] = []
    cache: dict = {}  # span samplers shared by the variations
    for variation in range(r.variations):
        rng = np.random.default_rng([r.seed, variation])
        drawn, cadences = r.form or "", None
        if style_form:
            drawn = facts.draw_form(r.bars, np.random.default_rng([r.seed, variation, 1])) or ""
            cadences = [facts.cadence(i, r.mode, parsed_meter) for i in range(len(parse_form(drawn, r.bars)))] \
                if drawn else None
            sections = parse_form(drawn, r.bars)
        assert sections is not None
        try:
            events = _compose(tables, parsed_meter, r.bars, sections, motif_ev, allowed, r.end_on_tonic, rng, cache,
                              cadences, facts.opening())
        except InfeasibleRequest as error:
            raise ValueError(str(error)) from None
        melody = Melody(events, tonic, r.mode, parsed_meter, r.bars, float(r.tempo or usual_tempo(r.style)),
                        style=str(r.style), seed=r.seed * 1000 + variation, humanize=r.humanize, form=drawn)
        if r.harmonize:
            from models.music.harmonizer import harmonize_melody

            # By the checkpoint's path: the harmonizer finds a style by it (a user's style named here is found in
            # search_dirs, which the harmonizer does not know) and reads whether its minor is modal.
            melody.chords = harmonize_melody(dataclasses.replace(melody, style=os.fspath(path)))
        melodies.append(melody)
    return melodies


def regenerate_bars(melody: Melody, first_bar: int, last_bar: int, seed: int = 0, temperature: float = 1.0,
                    pitch_range: tuple[int, int] | None = None, end_on_tonic: bool = True,
                    search_dirs: tuple[Path, ...] = (), note_length: float = 0.0) -> Melody:
    """Resample bars first_bar..last_bar (1-based, inclusive), keeping every other note: exact infilling. From bar 1
    the first note takes the style's opening degrees at their shares, as `generate` gives it; `note_length` as the
    request's (MelodyRequest.note_length)."""
    if not 1 <= first_bar <= last_bar <= melody.bars:
        raise ValueError(f"choose bars between 1 and {melody.bars}")
    bar = melody.meter.bar_ticks
    start, end = (first_bar - 1) * bar, last_bar * bar
    if any(e.onset < start < e.onset + e.ticks or e.onset < end < e.onset + e.ticks for e in melody.events):
        raise ValueError("a kept note crosses the edge of the bars to regenerate")
    path = style_path(melody.style, search_dirs)
    tables = _tables(os.fspath(path), path.stat().st_mtime, float(temperature), melody.mode, float(note_length),
                     str(melody.meter))
    facts = _load(os.fspath(path), path.stat().st_mtime).facts
    prefix = [e for e in melody.events if e.onset < start]
    suffix = [e for e in melody.events if e.onset >= end]
    allowed = pitch_mask(melody.tonic, melody.mode, pitch_range)
    rng = np.random.default_rng([seed, 1_000_003])
    final = end_on_tonic and end == melody.total_ticks
    try:
        middle = _fill(tables, melody.meter, prefix, start, end, allowed, final, rng, suffix=suffix,
                       opening=facts.opening())  # used from bar 1 only: a tune starts as the style's tunes do
    except InfeasibleRequest as error:
        raise ValueError(str(error)) from None
    return Melody(prefix + middle + suffix, melody.tonic, melody.mode, melody.meter, melody.bars, melody.tempo,
                  melody.style, melody.seed, melody.humanize, [], melody.form)
