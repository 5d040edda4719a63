"""What a style's tunes say beyond note-to-note likelihood: its widest leap, its forms and its cadences.

Learned from the style's training tunes when the style is trained and stored with its checkpoint, so
generation can keep to them:
- the widest leap: the melody HMM gives every pitch pair a little probability (its prior), and without
  a limit it now and then writes a leap no tune of the style ever makes;
- forms: each tune cut into four phrases and labelled by how its phrases repeat ("A B C D", "A A' B C":
  a letter seen before is an exact repeat, a primed one repeats the first half), counted per tune
  length, so a generated tune repeats its phrases as often as the style's tunes do;
- cadences: at the end of each of the four phrases, the scale degrees the last note lands on (those
  that end nine phrases in ten) and how long it lasts at least (in beats);
- openings: the scale degrees the note on a tune's first downbeat has (those of nine tunes in ten: the
  tonic triad in every shipped style, and Bach's seventh degree). The model's start distribution learned
  the tunes' first notes, mostly an upbeat's (the fifth starts 44% of the Irish major tunes, but is on the
  first downbeat of 26%), and a generated tune has no upbeat: its first note is on the downbeat;
- modal minor: whether its minor tunes keep the minor seventh on the beats (a fiddler's or a piper's natural
  minor, C in D minor) rather than the raised leading tone (C#, Bach's), so the harmonizer gives them the
  chords on the minor seventh (VII and v).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from models.music import tokens
from models.music.corpus import Tune

# A leap counts as the style's own when at least this many different tunes make it: one odd tune (or one
# transcription slip, such as a note an octave off) does not widen what the style allows.
TUNES_PER_LEAP = 2
PHRASES = 4  # forms and cadences are learned on tunes cut into four phrases of whole bars
MIN_TUNES_PER_LENGTH = 20  # a tune length has its own forms when this many tunes have it
CADENCE_SHARE = 0.9  # the degrees that end this share of the phrases at a place
SHORTEST_CADENCE = 0.2  # the phrase-final note lasts at least what this share of them do (20th percentile)
# The leading tone's share of the sevenths sounding on a beat in the style's minor tunes: 0.22 in the Bach chorales,
# 0.07 Irish, 0.05 Scottish, 0.02 fiddle (all the corpus's minor tunes). Under this share the style is modal minor.
# A folder of 20 random minor tunes of a style is read modal: Bach 5% of the time, Irish 92%, Scottish 98%, fiddle
# 100%; of 10 tunes 13%, 85%, 91%, 99% (1,000 draws each). 0.15 read 10 Bach tunes modal 22% of the time.
MODAL_LEADING_TONE_SHARE = 0.12
MIN_BEAT_SEVENTHS = 10  # fewer sevenths on beats than this say nothing: the minor tunes get Bach's chords
ANY_METRE = "any"  # the leap weights of a metre too few training tunes have (leap_weights.py)


def leaps(tune: Tune) -> list[int]:
    """Semitones between consecutive notes (a rest breaks the line: no leap across it)."""
    pitches = [n[2] for n in tune.notes]
    return [abs(b - a) for a, b in zip(pitches, pitches[1:], strict=False) if a >= 0 and b >= 0]


def symbol_leaps(mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Per (previous pitch symbol, pitch symbol): whether both are notes (not rests), and the leap between them in
    semitones (meaningless where one is a rest). The interval between two symbols does not depend on the tonic, only
    on the mode's scale."""
    is_note = np.array([s != tokens.REST for s in range(tokens.N_PITCH_SYMBOLS)])
    pitch = np.array([tokens.symbol_to_pitch(s, 0, mode) if s != tokens.REST else 0
                      for s in range(tokens.N_PITCH_SYMBOLS)])
    return np.outer(is_note, is_note), np.abs(pitch[:, None] - pitch[None, :])


def widest_leap(tunes: list[Tune]) -> int:
    """The widest leap (semitones) that at least TUNES_PER_LEAP of the tunes make (fewer tunes: any of them)."""
    made = Counter(leap for tune in tunes for leap in set(leaps(tune)))
    needed = min(TUNES_PER_LEAP, len(tunes))
    return max((leap for leap, count in made.items() if count >= needed), default=12)


def tune_bars(tune: Tune) -> list[tuple]:
    """Each bar's notes as (onset in the bar, duration, pitch above the tonic or -1), pickup left out."""
    bar = tune.meter.bar_ticks
    end = max(onset + duration for onset, duration, _ in tune.notes)
    bars: list[list] = [[] for _ in range(max(0, -(-end // bar)))]
    for onset, duration, pitch in tune.notes:
        if onset >= 0:
            bars[onset // bar].append((onset % bar, duration, pitch - tune.tonic if pitch >= 0 else -1))
    return [tuple(b) for b in bars]


def phrase_labels(bars: list[tuple], phrases: int = PHRASES) -> str:
    """ "A B A' C": a phrase equal to an earlier one takes its letter, one whose first half is equal takes
    the letter primed, any other a new letter."""
    size = len(bars) // phrases
    parts = [tuple(bars[i * size : (i + 1) * size]) for i in range(phrases)]
    labels: list[str] = []
    for j, part in enumerate(parts):
        label = next((labels[i].rstrip("'") for i in range(j) if parts[i] == part), None)
        if label is None and size >= 2:
            half = size // 2
            label = next((labels[i].rstrip("'") + "'" for i in range(j) if parts[i][:half] == part[:half]), None)
        labels.append(label or "ABCDEFGH"[len({x.rstrip("'") for x in labels})])
    return " ".join(labels)


def _phrased(tunes: list[Tune]) -> list[tuple[Tune, list[tuple]]]:
    out = []
    for tune in tunes:
        bars = tune_bars(tune)
        if len(bars) >= 2 * PHRASES and len(bars) % PHRASES == 0:
            out.append((tune, bars))
    return out


def learn_forms(tunes: list[Tune]) -> dict[str, list[list]]:
    """{tune length in bars, or "any": [[form, share of tunes], ...] most common first}."""
    phrased = _phrased(tunes)
    by_length: dict[str, Counter] = {"any": Counter()}
    for _, bars in phrased:
        label = phrase_labels(bars)
        by_length["any"][label] += 1
        by_length.setdefault(str(len(bars)), Counter())[label] += 1
    return {
        length: [[form, round(n / sum(counts.values()), 4)] for form, n in counts.most_common()]
        for length, counts in by_length.items()
        if sum(counts.values()) >= MIN_TUNES_PER_LENGTH or (length == "any" and counts)
    }


def degree_of(symbol: int) -> tuple[int, int]:
    """(scale degree 0-6, alteration -1/0/+1) of a pitch symbol."""
    step_index, alteration = divmod(symbol, len(tokens.ALTERATIONS))
    return (step_index + tokens.MIN_STEP) % 7, tokens.ALTERATIONS[alteration]


def learn_cadences(tunes: list[Tune]) -> list[dict[str, Any]]:
    """Per phrase end (1..PHRASES): the degrees its last note lands on, and its shortest usual length in beats."""
    endings: list[Counter] = [Counter() for _ in range(PHRASES)]
    lengths: list[list[float]] = [[] for _ in range(PHRASES)]
    for tune, bars in _phrased(tunes):
        mode = tune.mode if tune.mode in tokens.SCALES else "major"
        size = len(bars) // PHRASES * tune.meter.bar_ticks
        for j in range(PHRASES):
            before = [n for n in tune.notes if n[2] >= 0 and n[0] < (j + 1) * size]
            if not before:
                continue
            onset, duration, pitch = before[-1]
            endings[j][degree_of(tokens.pitch_to_symbol(pitch, tune.tonic, mode)[0])] += 1
            lengths[j].append(min(duration, (j + 1) * size - onset) / tune.meter.beat_ticks)
    cadences = []
    for counts, beats in zip(endings, lengths, strict=True):
        total, kept, degrees = sum(counts.values()), 0, []
        for degree, n in counts.most_common():
            if total and kept >= CADENCE_SHARE * total:
                break
            degrees.append(list(degree))
            kept += n
        cadences.append(
            {"degrees": degrees, "min_beats": round(float(np.quantile(beats, SHORTEST_CADENCE)), 3) if beats else 0.0}
        )
    return cadences


def learn_openings(tunes: list[Tune]) -> list[list]:
    """[degree, alteration, share of the tunes] of the note struck on the first downbeat, the most common degrees
    until CADENCE_SHARE of the tunes are covered (a tune whose upbeat is held over the bar line has none)."""
    counts: Counter = Counter()
    for tune in tunes:
        first = next((n for n in tune.notes if n[0] == 0 and n[2] >= 0), None)
        if first is not None:
            mode = tune.mode if tune.mode in tokens.SCALES else "major"
            counts[degree_of(tokens.pitch_to_symbol(first[2], tune.tonic, mode)[0])] += 1
    total, kept, degrees = sum(counts.values()), 0, []
    for degree, n in counts.most_common():
        if kept >= CADENCE_SHARE * total:
            break
        degrees.append([*degree, round(n / total, 4)])
        kept += n
    return degrees


def beat_sevenths(tune: Tune) -> tuple[int, int]:
    """(minor sevenths, leading tones) sounding on a beat of the tune: struck on it or held through it."""
    beat, counts = tune.meter.beat_ticks, [0, 0]
    for onset, duration, pitch in tune.notes:
        degree = (pitch - tune.tonic) % 12
        if pitch >= 0 and degree in (10, 11) and -(-onset // beat) * beat < onset + duration:
            counts[degree - 10] += 1
    return counts[0], counts[1]


def learn_modal_minor(tunes: list[Tune]) -> bool:
    """Whether the style's minor tunes hold the minor seventh, not the leading tone, on their beats (see
    MODAL_LEADING_TONE_SHARE). Beats, because the notes on the beats choose the chords."""
    counts = [beat_sevenths(tune) for tune in tunes if tune.mode in ("minor", "aeolian")]
    minor, leading = sum(c[0] for c in counts), sum(c[1] for c in counts)
    return minor + leading >= MIN_BEAT_SEVENTHS and leading < MODAL_LEADING_TONE_SHARE * (minor + leading)


@dataclass(frozen=True)
class StyleFacts:
    widest_leap: int | None = None  # semitones; None: no limit (a checkpoint from before the facts)
    forms: dict[str, list[list]] = field(default_factory=dict)
    cadences: list[dict[str, Any]] = field(default_factory=list)
    modal_minor: bool = False  # False too for a checkpoint from before it was learned: Bach's minor chords, as then
    openings: list[list] = field(default_factory=list)  # [degree, alteration, share]; empty before it was learned
    # metre (or "any") -> [least semitones, weight]: a leap at least that wide (the widest class it reaches) is
    # sampled at this weight times the model's probability (leap_weights.learn_leap_weights); empty: the model's own
    leap_weights: dict[str, list[list]] = field(default_factory=dict)

    @classmethod
    def learn(cls, tunes: list[Tune]) -> StyleFacts:
        return cls(widest_leap=widest_leap(tunes), forms=learn_forms(tunes), cadences=learn_cadences(tunes),
                   modal_minor=learn_modal_minor(tunes), openings=learn_openings(tunes))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> StyleFacts:
        data = data or {}
        leap = data.get("widest_leap")
        return cls(
            widest_leap=int(leap) if leap is not None else None,
            forms=dict(data.get("forms", {})),
            cadences=list(data.get("cadences", [])),
            modal_minor=data.get("modal_minor") is True,
            openings=list(data.get("openings", [])),
            leap_weights=dict(data.get("leap_weights", {})),
        )

    def pair_mask(self, mode: str) -> np.ndarray:
        """allowed[previous pitch symbol (or NO_PREVIOUS), pitch symbol]: no leap wider than the style's."""
        allowed = np.ones((tokens.N_PITCH_SYMBOLS + 1, tokens.N_PITCH_SYMBOLS), dtype=bool)
        if self.widest_leap is None:
            return allowed
        both_notes, leap = symbol_leaps(mode)
        allowed[: tokens.N_PITCH_SYMBOLS][both_notes & (leap > self.widest_leap)] = False
        return allowed

    def pair_weights(self, mode: str, meter: str) -> np.ndarray:
        """weight[previous pitch symbol (or NO_PREVIOUS), pitch symbol]: the metre's `leap_weights` (or any metre's)
        by the leap's size, 1 for the rest (a rest, no previous note, a leap narrower than every class)."""
        weights = np.ones((tokens.N_PITCH_SYMBOLS + 1, tokens.N_PITCH_SYMBOLS))
        both_notes, leap = symbol_leaps(mode)
        for least, weight in sorted(self.leap_weights.get(meter) or self.leap_weights.get(ANY_METRE, [])):
            weights[: tokens.N_PITCH_SYMBOLS][both_notes & (leap >= least)] = weight
        return weights

    def draw_form(self, bars: int, rng: np.random.Generator) -> str | None:
        """A form for a tune of `bars` bars, drawn as often as the style's tunes of that length have it
        (of any length when too few have it); None when the bars do not make four phrases of whole bars."""
        forms = self.forms.get(str(bars)) or self.forms.get("any")
        if not forms or bars < PHRASES or bars % PHRASES:
            return None
        shares = np.array([share for _, share in forms], dtype=float)
        return str(forms[int(rng.choice(len(forms), p=shares / shares.sum()))][0])

    def opening(self) -> np.ndarray | None:
        """Per pitch symbol, the share of the style's tunes whose first downbeat note has its degree (0 for the
        degrees outside the openings and the rest); None when the style has not learned them."""
        if not self.openings:
            return None
        shares = {(degree, alteration): share for degree, alteration, share in self.openings}
        return np.array([0.0 if s == tokens.REST else shares.get(degree_of(s), 0.0)
                         for s in range(tokens.N_PITCH_SYMBOLS)])

    def cadence(self, phrase: int, mode: str, meter: tokens.Meter) -> tuple[np.ndarray, int] | None:
        """(allowed last pitch symbols, shortest last note in ticks) at the end of phrase 0..PHRASES-1."""
        if phrase >= len(self.cadences):
            return None
        degrees = {tuple(d) for d in self.cadences[phrase]["degrees"]}
        allowed = np.array([s != tokens.REST and degree_of(s) in degrees for s in range(tokens.N_PITCH_SYMBOLS)])
        return allowed, int(self.cadences[phrase]["min_beats"] * meter.beat_ticks)
