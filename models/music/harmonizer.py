"""The harmonizer: an HMM whose hidden states are chords (Roman numerals) and whose emissions are melody notes.

Trained on the Bach chorales with the chords observed (music21's Roman-numeral analysis at build
time), so fitting is counting: chord-to-chord transitions and the soprano's pitch class (relative to
the tonic) on each beat under each chord, with add-half smoothing, one model for major keys and one for
minor. For a new melody, Viterbi over chord spans (one chord per half bar, per bar in 3/4, per dotted beat in
6/8 and 9/8, three beats then two in 5/4) gives the progression, with the last chord held to the tonic; each span
scores all its notes, weighted by length, less a penalty for each beat whose melody note the chord does not hold
and a larger one where it holds the note's other spelling (F major under a dorian F#). Where the melody allows it the tune ends on an authentic cadence:
V or V7 in the span before the closing note (only its first beats where the melody reaches the tonic
early, only its last where it reaches V's tones late), the tonic chord from it (the beat-level HMM's
strong I-to-I otherwise ends many tunes on ii-I or I-I), VII-i or (in a modal minor or dorian tune) v-i where a
minor tune's minor seventh rules V out, or where neither fits, IV-I; the chords before the cadence stay as the Viterbi chose them, but for a bar-long V
that does not hold the bar's first beats, which gets another chord there. Bars with the same notes get the same
chords, as a musician plays a repeated phrase. A span whose last beat's notes V or V7 holds and its chord does not, before
the tonic, takes V or V7 on that beat (I I I V7 | I), and on the beats before it whose notes fall into its tones
as suspensions (D E D | C# over A7 in D major: I V7 | I). The chords are then voiced as block chords
below the melody, as a pianist's left hand would play them: every chord tone under the lowest melody note sounding
with the chord, but for the note a suspension over the chord's first beat falls to, left out until it does.
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from models.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from models.music import tokens
from models.music.corpus import RESOURCE_DIR, Tune
from models.music.melody import Chord, Melody

KIND = "chord-hmm"
HARMONIZER_PATH = RESOURCE_DIR / "harmonizer.safetensors"
REST_SYMBOL = 12  # emissions: 12 pitch classes relative to the tonic, and "rest"
CHORDS = {
    "major": {"I": (0, 4, 7), "ii": (2, 5, 9), "iii": (4, 7, 11), "IV": (5, 9, 0), "V": (7, 11, 2),
              "V7": (7, 11, 2, 5), "vi": (9, 0, 4), "viio": (11, 2, 5), "V/V": (2, 6, 9)},
    "minor": {"i": (0, 3, 7), "iio": (2, 5, 8), "III": (3, 7, 10), "iv": (5, 8, 0), "V": (7, 11, 2),
              "V7": (7, 11, 2, 5), "VI": (8, 0, 3), "viio": (11, 2, 5), "V/V": (2, 6, 9)},
}
FAMILY = {"major": "major", "ionian": "major", "lydian": "major", "mixolydian": "major",
          "minor": "minor", "aeolian": "minor", "dorian": "minor", "phrygian": "minor", "locrian": "minor"}
NUMERAL = re.compile(r"^(VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)([oø+]?)(.*)$")
SEVENTH_FIGURES = {"7", "65", "43", "42", "2"}


def chord_class(figure: str, mode: str) -> str | None:
    """Map a music21 Roman figure ("V65", "viio6", "V7/V", "IV64") to one of our chord states, or None."""
    names = CHORDS[FAMILY.get(mode, "major")]
    base, _, target = figure.partition("/")
    match = NUMERAL.match(base)
    if match is None:
        return None
    numeral, quality, inversion = match.groups()
    if target:
        return "V/V" if numeral == "V" and target == "V" else None
    if numeral == "V" and inversion in SEVENTH_FIGURES:
        return "V7"
    name = numeral + ("o" if quality in ("o", "ø") else "")
    return name if name in names else None


@dataclass
class ChordHMM:
    names: list[str]
    log_start: np.ndarray  # (C,)
    log_trans: np.ndarray  # (C, C)
    log_emit: np.ndarray  # (C, 13): pitch class relative to the tonic, or rest

    def viterbi(self, span_scores: np.ndarray, final: int | None = None, first: int | None = None) -> list[int]:
        """Best chord per span given log P(span notes | chord), shape (T, C); `final` and `first` pin the last and
        the first chord."""
        delta = self.log_start + span_scores[0]
        if first is not None:
            delta = np.where(np.arange(len(delta)) == first, delta, -np.inf)
        back = np.zeros(span_scores.shape, dtype=np.int64)
        for t in range(1, len(span_scores)):
            candidates = delta[:, None] + self.log_trans
            back[t] = candidates.argmax(0)
            delta = candidates.max(0) + span_scores[t]
        if final is not None:
            pinned = np.full_like(delta, -np.inf)
            pinned[final] = delta[final]
            delta = pinned
        path = [int(delta.argmax())]
        for t in range(len(span_scores) - 1, 0, -1):
            path.append(int(back[t, path[-1]]))
        return path[::-1]


def beat_observations(tune: Tune) -> list[tuple[int, str | None]]:
    """(soprano symbol, chord state) at each beat of a chorale with its chord analysis."""
    meter, family = tune.meter, FAMILY.get(tune.mode, "major")
    end = max(onset + duration for onset, duration, _ in tune.notes)
    out = []
    for beat in range(0, end, meter.beat_ticks):
        note = next((n for n in tune.notes if n[0] <= beat < n[0] + n[1]), None)
        chord = next((c for c in tune.chords if c[0] <= beat < c[0] + c[1]), None)
        if note is None or chord is None:
            continue
        symbol = REST_SYMBOL if note[2] < 0 else (note[2] - tune.tonic) % 12
        out.append((symbol, chord_class(chord[2], family)))
    return out


def fit_chord_hmms(chorales: list[Tune], smoothing: float = 0.5) -> dict[str, ChordHMM]:
    """Count transitions and emissions per key family; unknown chords break the chain of transitions."""
    models = {}
    for family, chords in CHORDS.items():
        names = list(chords)
        index = {name: i for i, name in enumerate(names)}
        start = np.full(len(names), smoothing)
        trans = np.full((len(names), len(names)), smoothing)
        emit = np.full((len(names), 13), smoothing)
        for tune in chorales:
            if FAMILY.get(tune.mode, "major") != family or not tune.chords:
                continue
            previous = None
            for position, (symbol, chord) in enumerate(beat_observations(tune)):
                if chord is None:
                    previous = None
                    continue
                c = index[chord]
                emit[c, symbol] += 1
                if position == 0:
                    start[c] += 1
                if previous is not None:
                    trans[previous, c] += 1
                previous = c
        models[family] = ChordHMM(names, np.log(start / start.sum()), np.log(trans / trans.sum(1, keepdims=True)),
                                  np.log(emit / emit.sum(1, keepdims=True)))
    return models


def save_harmonizer(models: dict[str, ChordHMM], path: str | os.PathLike = HARMONIZER_PATH,
                    training: dict | None = None) -> None:
    tensors = {}
    for family, model in models.items():
        tensors[f"{family}.log_start"] = torch.from_numpy(model.log_start)
        tensors[f"{family}.log_trans"] = torch.from_numpy(model.log_trans)
        tensors[f"{family}.log_emit"] = torch.from_numpy(model.log_emit)
    save_checkpoint(path, tensors, kind=KIND, training=training or {},
                    extra={"chords": {family: model.names for family, model in models.items()}})


@lru_cache(maxsize=2)
def load_harmonizer(path: str = os.fspath(HARMONIZER_PATH)) -> dict[str, ChordHMM]:
    checkpoint = load_checkpoint(path, kind=KIND)
    t = checkpoint.tensors
    return {family: ChordHMM(list(names), t[f"{family}.log_start"].numpy(), t[f"{family}.log_trans"].numpy(),
                             t[f"{family}.log_emit"].numpy())
            for family, names in checkpoint.metadata["chords"].items()}


def chord_spans(meter: tokens.Meter) -> tuple[int, ...]:
    """The lengths (ticks) of one bar's chord spans: one chord per half bar in duple and quadruple time, per bar in
    triple time and in short bars; a bar of five or seven beats as three and two (four and three), the longer part
    first; 9/8 one chord per dotted beat, as 6/8. Bar-long chords in 5/4 and 9/8 held V7 over later beats whose
    notes it does not hold."""
    bar, beat = meter.bar_ticks, meter.beat_ticks
    beats = bar // beat if bar % beat == 0 else 0
    if beats in (5, 7):
        return ((beats + 1) // 2 * beat, beats // 2 * beat)
    if meter.compound and beats == 3:
        return (beat,) * 3
    return (bar // 2,) * 2 if beats in (2, 4) and bar >= 48 else (bar,)


def span_bounds(melody: Melody) -> list[tuple[int, int]]:
    """(onset, end) in ticks of every chord span of the tune, bar by bar."""
    bar, lengths = melody.meter.bar_ticks, chord_spans(melody.meter)
    return [(b * bar + end - length, b * bar + end) for b in range(melody.bars)
            for end, length in zip(itertools.accumulate(lengths), lengths, strict=True)]


HIGHEST_CHORD_TONE = 71  # B4: with the melody high, the chords stay in the middle of the keyboard
LOWEST_CHORD_TONE = 40  # E2: under this an inner voice is mud; the chord is played thinner instead
LOWEST_BASS = 28  # E1, the lowest note of a bass guitar


def voice(tonic: int, tones: tuple[int, ...], ceiling: int = HIGHEST_CHORD_TONE) -> tuple[int, ...]:
    """Close position with every tone at or below `ceiling`, the root doubled an octave below the chord."""
    upper = sorted(ceiling - (ceiling - tonic - tone) % 12 for tone in tones)
    root = ceiling - (ceiling - tonic - tones[0]) % 12 - 12
    while root < LOWEST_BASS:
        root += 12
    return (root, *(pitch for pitch in upper if pitch >= LOWEST_CHORD_TONE))


def chord_ceilings(notes: TuneNotes, stretches: list[tuple[int, int]]) -> list[int]:
    """Per chord stretch (onset, end in ticks): one semitone under the lowest melody note sounding in it (for a
    stretch of rests, the nearest notes before and after it), never above HIGHEST_CHORD_TONE."""
    pitched = notes.pitches >= 0
    sounding = [notes.pitches[pitched & (notes.onsets < end) & (notes.ends > onset)].tolist()
                for onset, end in stretches]
    ceilings = []
    for s in range(len(stretches)):
        near = sounding[s] or next((sounding[t] for t in range(s - 1, -1, -1) if sounding[t]), []) + next(
            (sounding[t] for t in range(s + 1, len(stretches)) if sounding[t]), [])
        ceilings.append(min([HIGHEST_CHORD_TONE + 1, *near]) - 1)
    return ceilings


DOMINANTS = ("V", "V7")
# The major chord on the minor seventh (C major in D minor, G major in A dorian): the modal cadence VII-i where the
# melody holds the minor seventh before its close (C | D in D minor) and V's leading tone would clash; and inside
# a dorian or folk minor tune, the fiddler's and piper's i-VII-i where the melody sits on the minor seventh. The
# chorales' analysis has no VII, so its state is borrowed (`mode_model`): III's emissions a fifth higher (the same
# major triad's notes, relative to its root) and V's transitions (it leads back to i as V does). Not a state for
# other minor tunes: Bach's minor has none, and the held-out chorales' agreement fell 582 -> 557 of 1,337 beats.
SUBTONIC = {"major": {}, "minor": {"VII": (10, 2, 5)}}


# A dorian tune differs from Bach's minor in its sixth alone (F# in A dorian), so it is harmonized with the minor
# model read as if its sixth were minor, and each chord that holds the minor sixth takes the dorian one: iv becomes
# IV (D major in A dorian, the mode's own colour) and iio becomes ii (B minor); VI, which would become the
# diminished chord on the sixth, is left out. Before, the dorian sixth found no chord of its own: i (Am6) or V/V.
# VII is the minor seventh's own chord (see SUBTONIC), and v (E minor in A dorian) the chord on the fifth that
# holds it, as i-v-i tunes want; its state is V's, the emissions of the minor and major seventh swapped.
DORIAN = {"i": "i", "iio": "ii", "III": "III", "iv": "IV", "V": "V", "V7": "V7", "viio": "viio", "V/V": "V/V",
          "VII": "VII", "v": "v"}
MINOR_DOMINANT = {"v": (7, 10, 2)}
MINOR_SIXTH, MAJOR_SIXTH = 8, 9


MODAL_MINOR = "modal minor"


def modal_minor_style(style: str) -> bool:
    """Whether the style (a shipped style's name or a checkpoint's path) learned that its minor tunes are modal
    (`StyleFacts.modal_minor`: the minor seventh on their beats, not the leading tone). False for a melody of no
    style, a style that cannot be found, or one saved before it was learned."""
    from models.music.generate import load_style  # loaded once per checkpoint; generate imports this module late

    try:
        return load_style(style).facts.modal_minor
    except (ValueError, CheckpointError, OSError):
        return False


def harmony(melody: Melody) -> str:
    """Which chords harmonize the melody: its mode's, and for a minor tune in a modal-minor style the modal minor's
    (Bach's minor chords with VII and v, the chords a fiddler's accompanist plays under a natural-minor tune). By
    the style, not the melody: one tune is too little to tell, for the chorales' sopranos hold the minor seventh
    more than the leading tone in 12 of 16 held-out minor chorales, as the folk tunes do; across a style's tunes
    the leading tone's share of the sevenths on beats tells them apart (0.22 in Bach's, 0.02-0.07 in the folk
    styles')."""
    if FAMILY.get(melody.mode, "major") == "minor" and melody.mode != "dorian" and modal_minor_style(melody.style):
        return MODAL_MINOR
    return melody.mode


@dataclass(frozen=True)
class TuneNotes:
    """The melody as the harmonizer reads it, once per tune: each note's onset and end (ticks, in order), MIDI pitch
    (-1 for a rest) and symbol (pitch class relative to the tonic, REST_SYMBOL for a rest); the beat (ticks); and
    which chords harmonize it (`harmony`)."""

    onsets: np.ndarray
    ends: np.ndarray
    pitches: np.ndarray
    symbols: np.ndarray
    beat: int
    harmony: str

    @classmethod
    def of(cls, melody: Melody) -> TuneNotes:
        events = sorted(melody.events, key=lambda note: note.onset)
        pitches = [tokens.symbol_to_pitch(note.symbol, melody.tonic, melody.mode) for note in events]
        return cls(np.array([note.onset for note in events], dtype=np.int64),
                   np.array([note.onset + note.ticks for note in events], dtype=np.int64),
                   np.array([-1 if pitch is None else pitch for pitch in pitches], dtype=np.int64),
                   np.array([REST_SYMBOL if pitch is None else (pitch - melody.tonic) % 12 for pitch in pitches],
                            dtype=np.int64),
                   melody.meter.beat_ticks, harmony(melody))

    def on_beats(self, onset: int, end: int) -> np.ndarray:
        """The symbol sounding on each beat of onset..end (REST_SYMBOL where nothing sounds)."""
        beats = np.arange(onset, end, self.beat)
        index = np.searchsorted(self.onsets, beats, side="right") - 1
        sounding = (index >= 0) & (self.ends[np.maximum(index, 0)] > beats)
        return np.where(sounding, self.symbols[np.maximum(index, 0)], REST_SYMBOL)


def family_of(mode: str) -> str:
    """The chord family ("major" or "minor") a mode, or `harmony`'s modal minor, is harmonized from."""
    return "minor" if mode == MODAL_MINOR else FAMILY.get(mode, "major")


def chord_set(mode: str) -> dict[str, tuple[int, ...]]:
    """The Viterbi's chords for a mode, by name: the tones of each, relative to the tonic."""
    family = family_of(mode)
    chords = CHORDS[family]
    if mode == MODAL_MINOR:
        return {**chords, **SUBTONIC[family], **MINOR_DOMINANT}
    if mode != "dorian":
        return chords
    chords = {**chords, **SUBTONIC[family], **MINOR_DOMINANT}
    raised = {MINOR_SIXTH: MAJOR_SIXTH}
    return {DORIAN[name]: tuple(raised.get(tone, tone) for tone in chords[name]) for name in DORIAN}


def chord_tones(mode: str) -> dict[str, tuple[int, ...]]:
    """The Viterbi's chords and the cadence's."""
    return {**chord_set(mode), **SUBTONIC[family_of(mode)]}


def normalized(log_p: np.ndarray) -> np.ndarray:
    return log_p - np.log(np.exp(log_p).sum(-1, keepdims=True))


def mode_model(models: dict[str, ChordHMM], mode: str) -> ChordHMM:
    """The model for a mode's family (or `harmony`'s modal minor). Modal minor and dorian: the minor one with VII
    and v added (see SUBTONIC and DORIAN); dorian's chords are DORIAN's, the emissions of the minor and major sixth
    swapped (the dorian sixth scored as Bach's minor sixth), VI's row and column left out."""
    model = models[family_of(mode)]
    if mode not in ("dorian", MODAL_MINOR):
        return model
    third, dominant = model.names.index("III"), model.names.index("V")
    sevenths = list(range(13))
    sevenths[10], sevenths[11] = 11, 10
    borrowed = {"VII": np.append(np.roll(model.log_emit[third, :12], 7), model.log_emit[third, 12]),
                "v": model.log_emit[dominant, sevenths]}
    emit = np.vstack([model.log_emit, *borrowed.values()])
    trans = np.vstack([model.log_trans, *[model.log_trans[dominant]] * len(borrowed)])
    trans = np.hstack([trans, *[trans[:, dominant:dominant + 1]] * len(borrowed)])
    start = np.append(model.log_start, [model.log_start[dominant]] * len(borrowed))
    names = [*model.names, *borrowed]
    if mode == MODAL_MINOR:
        return ChordHMM(names, normalized(start), normalized(trans), emit)
    keep = [names.index(name) for name in DORIAN]
    columns = list(range(13))
    columns[MINOR_SIXTH], columns[MAJOR_SIXTH] = MAJOR_SIXTH, MINOR_SIXTH
    return ChordHMM(list(DORIAN.values()), normalized(start[keep]), normalized(trans[np.ix_(keep, keep)]),
                    emit[keep][:, columns])


def cadence_chords(melody: Melody, spans: list[tuple[int, int]]) -> list[tuple[int, int, tuple[str, ...]]]:
    """The chords allowed for an authentic cadence, as (onset, end in ticks, chords): V or V7 in the span before
    the last note's beat (the span holding it where the note starts inside a span, as in the bar-long spans of
    3/4), the tonic chord from that beat, one per span. Where the melody reaches the
    tonic chord's tones inside that span (F C | C in C major: on the tonic a beat before the close), the dominant
    takes the span's first beats and the tonic the rest; where only its last beats hold the dominant's tones
    (E D | C, mi re do), another chord takes the first beats and the dominant the rest, and the beats of those
    first ones that are suspensions into it (`suspension`) the dominant as well. Where none of these fits and the
    melody holds the tonic chord's tones from the span before, the same a span earlier; first there where no
    dominant holds that span (F# A F# | D in D major: V7 | I I, not I V7 | I). Only chords that
    hold every melody note sounding on a beat of their stretch (notes between beats pass; in 6/8, 9/8 and 12/8
    the two eighths after each beat only where the chord holds no other spelling of their step); else nothing."""
    family = FAMILY.get(melody.mode, "major")
    notes = [(note.onset, note.onset + note.ticks, (pitch - melody.tonic) % 12) for note in melody.events
             if (pitch := tokens.symbol_to_pitch(note.symbol, melody.tonic, melody.mode)) is not None]
    if not notes:
        return []
    beat = melody.meter.beat_ticks
    # A beat of 6/8 or 9/8 holds three eighths, and a musician hears all three against the chord: A C C under A7 in
    # D minor puts the melody's C naturals against its C#. The note on the beat must be the chord's, as in simple
    # time; one on the eighths after it may be another (a passing or neighbour note), but not the other spelling
    # of one of the chord's steps. Asking the eighths for a step to or from the note as well lost 9/8 cadences
    # (E D F | D under V: a double neighbour) to the Viterbi's chords, which clashed worse (`measure.py odd`).
    pulse = beat // 3 if melody.meter.compound else beat

    def heard(pc: int, tick: int, tones: tuple[int, ...]) -> bool:
        return pc in tones or (tick % beat != 0 and not any({pc, tone} in SAME_STEP for tone in tones))

    def fits(first: int, last: int, tones: tuple[int, ...]) -> bool:
        ticks = range(first, min(last, melody.total_ticks), pulse)
        return all(heard(pc, tick, tones) for start, end, pc in notes for tick in ticks if start <= tick < end)

    mode = harmony(melody)

    def holding(first: int, last: int, names: list[str]) -> tuple[str, ...]:
        return tuple(name for name in names if fits(first, last, chord_tones(mode)[name]))

    chords = chord_set(mode)
    # A modal minor or dorian tune may close v-i as well as VII-i where its minor seventh rules V out: C E under
    # A minor before D in D minor (the Viterbi's chords stood there and could put v under a Bb).
    modal_dominants = [name for name in ("v", *SUBTONIC[family]) if name in chord_tones(mode)]

    def dominants_holding(first: int, last: int, modal: bool) -> tuple[str, ...]:
        return holding(first, last, list(DOMINANTS)) or (holding(first, last, modal_dominants) if modal else ())

    tonic = next(iter(chords))
    others = [name for name in chords if name not in DOMINANTS]
    # The tonic from the closing note's beat: a span's start in 4/4 (the note on beat 1 or 3), inside a longer
    # span (5/4's first three beats, the note on beat 3: i under V's tones before it). Where no dominant fits
    # before it and the melody holds only the tonic chord's tones from the span before (D C | E C | C-), from
    # that span, the dominant a span earlier.
    starts = [onset for onset, _ in spans]
    end = spans[-1][1]

    def span_start(tick: int) -> int:
        return starts[max(bisect.bisect_right(starts, tick) - 1, 0)]

    def from_close(close: int) -> list[tuple[int, int, tuple[str, ...]]]:
        bounds = [close, *(onset for onset in starts if onset > close), end]
        return [(onset, until, (tonic,)) for onset, until in itertools.pairwise(bounds)]

    closing = notes[-1][0] - notes[-1][0] % beat
    # Where the melody holds only the tonic chord's tones from the span before the closing note's beat and no
    # dominant holds that span (F# A F# | D in D major, not A A | D), the tonic from that span first, the dominant
    # before it: V7 under the A on beat 2 was a cadence inside the tonic's own arpeggio.
    earlier = span_start(closing - 1)
    tune = TuneNotes.of(melody)
    for close in (earlier, closing) if 0 < earlier < closing and fits(earlier, end, chords[tonic]) \
            and not dominants_holding(earlier, closing, True) else (closing, earlier):
        start = span_start(close - 1)
        if close <= 0 or not fits(close, end, chords[tonic]):
            break
        closing_chords = from_close(close)
        # VII only straight before the close: V VII i i had a V-i already, lost
        modal = span_start(close) == span_start(closing)
        # The whole span first (the dominant on as many beats as the melody allows), then a beat shorter at a time.
        for split in range(close, start, -beat):
            if (dominants := dominants_holding(start, split, modal)) and fits(split, close, chords[tonic]):
                return [(start, split, dominants)] + ([(split, close, (tonic,))] if split < close else []) + \
                    closing_chords
        for split in range(start + beat, close, beat):
            if (leading := holding(start, split, others)) and (dominants := dominants_holding(split, close, modal)):
                # Beats before it whose notes fall into the dominant's as suspensions (D E D | C# E F# G | F#) take
                # it too.
                prepared = tuple({tone for name in leading for tone in chord_tones(mode)[name]})
                while split > start and all(suspension(tune, split - beat, chord_tones(mode)[name], prepared)
                                            for name in dominants):
                    split -= beat
                return ([(start, split, leading)] if split > start else []) + [(split, close, dominants)] + \
                    closing_chords
    # No dominant fits: IV (iv) before the close where it holds the span's notes and the tonic chord does not, a
    # plagal cadence (la la | do got vi | I from the Viterbi, which does not close).
    start, subdominant = span_start(closing - 1), "IV" if "IV" in chords else "iv"
    if closing > 0 and fits(closing, end, chords[tonic]) and fits(start, closing, chords[subdominant]) \
            and not fits(start, closing, chords[tonic]):
        return [(start, closing, (subdominant,)), *from_close(closing)]
    return []


# The emissions were learned from one soprano note a beat, so a note sounding on no beat (a passing or neighbour
# eighth) counts at this fraction of its length: at full weight the eighths between the beats of a reel outvoted
# the ones on them (ii under E F E D C D E F in C). 0.5, not lower: 0.25 took 18% of the beat notes out of clashes
# against 10%, but put 88 more leaps to or from an off-beat note outside the chord (measure.py wide).
OFF_BEAT = 0.5


def stretch_scores(notes: TuneNotes, model: ChordHMM, onset: int, end: int) -> np.ndarray:
    """log P(the notes sounding in onset..end | chord) for every chord, each note weighted by its beats there, a
    note on no beat by OFF_BEAT of them."""
    start, stop = np.maximum(notes.onsets, onset), np.minimum(notes.ends, end)
    first_beat = onset + -(-(start - onset) // notes.beat) * notes.beat  # the stretch's first beat in the note
    weights = np.where(stop > start, (stop - start) / notes.beat * np.where(first_beat < stop, 1.0, OFF_BEAT), 0.0)
    return model.log_emit[:, notes.symbols] @ weights


# The two spellings of one scale step, relative to the tonic: flat and natural second, minor and major third,
# fourth and raised fourth, minor and major sixth, minor and leading-tone seventh.
SAME_STEP = ({1, 2}, {3, 4}, {5, 6}, {8, 9}, {10, 11})
CROSS_RELATION_PENALTY = 8.0  # log-probability per beat: about the cost of three notes the chord does not hold


@lru_cache(maxsize=8)
def other_spellings(mode: str, names: tuple[str, ...]) -> np.ndarray:
    """(chords, 13): 1 where the pitch class (relative to the tonic; the last column a rest) is not the chord's but
    the other spelling of one of its steps."""
    chords = chord_set(mode)
    return np.array([[pc not in chords[name] and any({pc, tone} in SAME_STEP for tone in chords[name])
                      for pc in range(13)] for name in names], dtype=float)


# Each beat whose melody note the chord does not hold costs the chord this much log-probability besides the note's
# emission. The emissions learned how often Bach's soprano sits outside each chord on a beat, and that differs by
# chord: ti or re over vi is ten to twenty times likelier than over I (an appoggiatura in the chorales). Under a
# folk tune's busy G A F# G in G major that made vi hold for bars (28 of 96 major tunes in 4/4, vi for two bars or
# more, a third of the beats under it outside it). 2.5 since each span also pays for staying beat by beat
# (`staying`), which made chords hold on: at 1.0 with it, beats whose note the chord does not hold rose 1010 -> 1094
# (folk 4/4) and the chords changed 8% less; at 2.5 the beats fall to 942 and the changes stay (1781 -> 1769).
BEAT_OUTSIDE_PENALTY = 2.5


@lru_cache(maxsize=8)
def outside_tones(mode: str, names: tuple[str, ...]) -> np.ndarray:
    """(chords, 13): 1 where the chord does not hold the pitch class (relative to the tonic; the last column a
    rest, held by every chord)."""
    chords = chord_set(mode)
    return np.array([[pc not in chords[name] for pc in range(12)] + [False] for name in names], dtype=float)


def beats_outside(notes: TuneNotes, model: ChordHMM, onset: int, end: int) -> np.ndarray:
    """Per chord: the beats in onset..end whose melody note (struck or held) the chord does not hold."""
    return outside_tones(notes.harmony, tuple(model.names))[:, notes.on_beats(onset, end)].sum(1)


def cross_relations(notes: TuneNotes, model: ChordHMM, onset: int, end: int) -> np.ndarray:
    """Per chord: the beats in onset..end whose melody note (struck or held) is the other spelling of a step the
    chord holds: F# in the melody over an F major chord (VI in A dorian), C over V's C# in D minor. Heard as a
    wrong note in the accompaniment, unlike a note a semitone from a chord tone of another step (F over V's E
    in D minor, the appoggiatura before a cadence), which the melody resolves."""
    return other_spellings(notes.harmony, tuple(model.names))[:, notes.on_beats(onset, end)].sum(1)


def final_chord(melody: Melody, model: ChordHMM) -> int | None:
    """The last chord: the tonic chord where it holds the note on the tune's last beat or its last note; else V
    where V holds the note on the last beat (a tune that stops on re or ti, with "End on the tonic" off, stops
    on a half cadence: I under it was heard as a wrong chord); else the Viterbi's choice."""
    chords = chord_set(harmony(melody))
    pitches = [(note.onset, (p - melody.tonic) % 12) for note in melody.events
               if (p := tokens.symbol_to_pitch(note.symbol, melody.tonic, melody.mode)) is not None]
    if not pitches:
        return 0
    last_beat = melody.total_ticks - melody.meter.beat_ticks
    on_last_beat = next((pc for onset, pc in reversed(pitches) if onset <= last_beat), pitches[-1][1])
    if {on_last_beat, pitches[-1][1]} & set(chords[model.names[0]]):
        return 0
    return model.names.index("V") if on_last_beat in chords["V"] else None


def first_chord(melody: Melody, model: ChordHMM, span: int) -> int | None:
    """The first chord: the tonic chord where the note on the first beat is the tonic and no chord holds more of the
    first span's notes on beats; else the Viterbi's choice. The chorales' start probabilities and vi's liking for
    the tonic note put vi (or IV) first under a major tune starting on do, C E over A minor: heard as a tune that
    starts in the relative minor (18 of 48 major tunes starting on do)."""
    chords = chord_set(harmony(melody))
    on_beats = [(pitch - melody.tonic) % 12 for beat in range(0, min(span, melody.total_ticks), melody.meter.beat_ticks)
                for note in melody.events if note.onset <= beat < note.onset + note.ticks
                and (pitch := tokens.symbol_to_pitch(note.symbol, melody.tonic, melody.mode)) is not None]
    if not on_beats or melody.events[0].onset > 0 or on_beats[0] != 0:
        return None
    held = [sum(pc in chords[name] for pc in on_beats) for name in model.names]
    return 0 if held[0] == max(held) else None


def split_dominant(notes: TuneNotes, model: ChordHMM, onset: int, end: int,
                   name: str) -> list[tuple[int, int, str]]:
    """A V or V7 the Viterbi chose for a span of three beats or more (a bar of 3/4, the first three beats of 5/4)
    whose notes on the beats it does not all hold: V from the first beat from which it holds them to the span's end,
    and before it the chord that holds the earlier beats' notes and the melody likes best (IV V, ii V, i V under the
    bar); as it was where no such split exists. Not V first and another chord after it: V iio, V vi, V V/V inside a bar read as the
    harmony going backwards, mostly for a ninth over V on the later beat (V7 with b6, idiomatic)."""
    beat = notes.beat
    if end - onset < 3 * beat:
        return [(onset, end, name)]
    chords = chord_set(notes.harmony)
    on_beats = notes.on_beats(onset, end).tolist()

    def holds(tones: tuple[int, ...], first: int, last: int) -> bool:
        return all(pc == REST_SYMBOL or pc in tones for pc in on_beats[first:last])

    # V from the earliest beat from which it holds every beat's note (V on as many beats as it can), if any.
    split = next((s for s in range(1, len(on_beats)) if holds(chords[name], s, len(on_beats))), None)
    if holds(chords[name], 0, len(on_beats)) or split is None:
        return [(onset, end, name)]
    fitting = [c for c, other in enumerate(model.names) if other not in DOMINANTS and holds(chords[other], 0, split)]
    if not fitting:
        return [(onset, end, name)]
    scores = stretch_scores(notes, model, onset, onset + split * beat)
    before = model.names[max(fitting, key=lambda c: scores[c])]
    return [(onset, onset + split * beat, before), (onset + split * beat, end, name)]


def dominant_first_beat(notes: TuneNotes, model: ChordHMM, onset: int, end: int,
                        name: str) -> list[tuple[int, int, str]]:
    """In a major tune, a stretch of two beats or more under the tonic chord whose first beat's notes it holds none
    of, V or V7 all, and whose second beat's note is the tonic chord's: V or V7 on that first beat (the one the
    melody likes best), the tonic chord after it (C#5 E | F# D in D major: A | D, where D under the C# and E
    sounded a major seventh and a ninth on the downbeat). Not where a note from a beat before to a beat after is the other spelling of one of
    its tones, unless that note steps a semitone straight into the dominant's own spelling (A C | C#: the melody's
    chromatic approach, heard in one voice, not a cross relation). Not in minor, dorian or mixolydian: V's raised
    seventh against the mode's own (the cadence gives those tunes v or VII where V does not fit); as it was
    otherwise."""
    beat, chords = notes.beat, chord_set(notes.harmony)
    if notes.harmony != "major" or name != model.names[0] or end - onset < 2 * beat:
        return [(onset, end, name)]
    on_beat, then = notes.on_beats(onset, onset + 2 * beat).tolist()
    in_beat = (notes.onsets < onset + beat) & (notes.ends > onset) & (notes.pitches >= 0)
    heard = set(notes.symbols[in_beat].tolist())
    if on_beat == REST_SYMBOL or then not in chords[name] or heard & set(chords[name]):
        return [(onset, end, name)]
    near = (notes.onsets < onset + 2 * beat) & (notes.ends > onset - beat) & (notes.pitches >= 0)
    struck = int(np.flatnonzero(in_beat)[0])
    if struck and notes.ends[struck - 1] == notes.onsets[struck] \
            and abs(int(notes.pitches[struck]) - int(notes.pitches[struck - 1])) == 1:
        near[struck - 1] = False  # the chromatic approach: C natural straight into V's C#
    near_symbols = set(notes.symbols[near].tolist())
    fitting = [c for c, other in enumerate(model.names) if other in DOMINANTS and heard <= set(chords[other])
               and not any({pc, tone} in SAME_STEP for pc in near_symbols for tone in chords[other])]
    if not fitting:
        return [(onset, end, name)]
    scores = stretch_scores(notes, model, onset, onset + beat)
    return [(onset, onset + beat, model.names[max(fitting, key=lambda c: scores[c])]), (onset + beat, end, name)]


def passing_notes(notes: TuneNotes) -> np.ndarray:
    """Per note: reached and left by a step (one or two semitones) in the same direction, between two notes."""
    pitches, passing = notes.pitches, np.zeros(len(notes.pitches), dtype=bool)
    into, out = np.diff(pitches)[:-1], np.diff(pitches)[1:]
    pitched = (pitches[:-2] >= 0) & (pitches[1:-1] >= 0) & (pitches[2:] >= 0)
    passing[1:-1] = pitched & (np.abs(into) <= 2) & (np.abs(out) <= 2) & (into * out > 0)
    return passing


def lead_in_dominant(notes: TuneNotes, model: ChordHMM, onset: int, end: int, name: str,
                     following: tuple[int, int, str], preceding: str | None) -> list[tuple[int, int, str]]:
    """A stretch of two beats or more under a chord other than V and V7, before two beats or more of the tonic
    chord (`following`: the next stretch), whose last beat's
    note that chord does not hold, and V or V7 holds with every note starting in that beat but passing notes: V or
    V7 on that beat, the one the melody likes best (C# E F# G before the D chord in D major: I I I V7 | I, as an
    accompanist plays it, where the span's chord was I with the C#, E and G outside it); as it was otherwise. Not
    before a shorter tonic: before the cadence that made I V I V7 I of the last two bars. Not where a note from a beat
    before to a beat after is the other spelling of one of its tones: C natural by V's C# in a modal D minor tune (11
    of 62 lead-ins over `measure.py wide`'s 120 tunes). Earlier beats whose notes fall into the dominant's as
    suspensions (`suspension`, prepared by the chord before them: `name`, or `preceding`, the chord of the stretch
    before, None for none) take the dominant too: D E D | C# E F# G | A in D major gets I | V7 | I, not I I V7 | I."""
    beat, chords = notes.beat, chord_set(notes.harmony)
    last = end - beat
    if end - onset < 2 * beat or name in DOMINANTS or following[2] != model.names[0] \
            or following[1] - following[0] < 2 * beat:
        return [(onset, end, name)]
    on_beat = int(notes.on_beats(last, end)[0])
    starting = np.flatnonzero((notes.onsets >= last) & (notes.onsets < end) & (notes.pitches >= 0)
                              & ~passing_notes(notes))
    heard = {on_beat, *notes.symbols[starting].tolist()}
    near = set(notes.symbols[(notes.onsets < end + beat) & (notes.ends > last - beat)].tolist())
    fitting = [c for c, other in enumerate(model.names) if other in DOMINANTS and heard <= set(chords[other])
               and not any({pc, tone} in SAME_STEP for pc in near for tone in chords[other])]
    if on_beat == REST_SYMBOL or on_beat in chords[name] or not fitting:
        return [(onset, end, name)]
    scores = stretch_scores(notes, model, last, end)
    dominant = model.names[max(fitting, key=lambda c: scores[c])]
    split = last
    while split > onset and (prepared := name if split - beat > onset else preceding) is not None \
            and suspension(notes, split - beat, chords[dominant], chord_tones(notes.harmony)[prepared]):
        split -= beat
    before = set(notes.symbols[(notes.onsets < last) & (notes.ends > split - beat)].tolist())
    if any({pc, tone} in SAME_STEP for pc in before for tone in chords[dominant]):
        split = last
    return ([(onset, split, name)] if split > onset else []) + [(split, end, dominant)]


# A suspension's note above the chord's root: a minor or major ninth (9-8), a fourth (4-3). Not a major sixth: F# F#
# | E over A7 in D major is an added sixth, and F# the tonic chord's. Not a minor sixth over V in minor (Eb D over G
# in C minor): 7 of 11 beats on which the held-out chorales' chords changed with it had it, and Bach put i, III, iv
# or VI there, not V (agreement 673 -> 668 of 1,337 beats with it, 672 without).
SUSPENDED = (1, 2, 5)


def suspension(notes: TuneNotes, onset: int, tones: tuple[int, ...], prepared: tuple[int, ...]) -> bool:
    """Whether the beat from `onset` is a suspension (or appoggiatura) over the chord of `tones` (its root first):
    its note is not the chord's but `prepared`'s (the chord before), SUSPENDED above the root, the beat ends on that
    note, which falls a step (one or two semitones) to the next beat's note, the chord's; every other note starting
    in the beat is the chord's (D E D | C# over A7 in D major: the D resolving to C#)."""
    following = onset + notes.beat
    index = np.searchsorted(notes.onsets, [onset, following], side="right") - 1
    if index[0] < 0 or index[1] < 1:
        return False
    struck, resolution = notes.symbols[index]
    last = index[1] - 1  # the note sounding just before the next beat
    inside = notes.symbols[(notes.onsets > onset) & (notes.onsets < following) & (notes.pitches >= 0)]
    return bool(notes.ends[index[0]] > onset and notes.onsets[index[1]] == following
                and struck != REST_SYMBOL and struck not in tones and struck in prepared and resolution in tones
                and (struck - tones[0]) % 12 in SUSPENDED
                and notes.symbols[last] == struck and notes.ends[last] == following
                and notes.pitches[last] - notes.pitches[index[1]] in (1, 2)
                and all(symbol == struck or symbol in tones for symbol in inside.tolist()))


def repeated_bars(notes: TuneNotes, spans: list[tuple[int, int]], per_bar: int, before: int) -> list[list[int]]:
    """Groups of two or more bars (0-based) ending by tick `before` whose melody is the same pitch classes at the
    same places (a note held into the bar counts from the bar line), in the order of their first bar."""
    groups: dict[tuple, list[int]] = {}
    for bar in range(len(spans) // per_bar):
        onset, end = spans[bar * per_bar][0], spans[(bar + 1) * per_bar - 1][1]
        if end > before:
            break
        inside = (notes.onsets < end) & (notes.ends > onset)
        content = tuple(zip((np.maximum(notes.onsets[inside], onset) - onset).tolist(),
                            (np.minimum(notes.ends[inside], end) - onset).tolist(), notes.symbols[inside].tolist(),
                            strict=True))
        groups.setdefault(content, []).append(bar)
    return [bars for bars in groups.values() if len(bars) > 1]


def staying(model: ChordHMM, beats: float) -> np.ndarray:
    """Per chord: the log-probability of staying on it for the span's later beats. The transitions were counted
    beat to beat in the chorales, and a span holds one chord for all its beats: the step from span to span is its
    first beat's, and each later beat one more step from the chord to itself (in the chorales a V7 stays for the
    next beat at -3.3, an I at -0.9). Without it a half bar of 4/4 or a bar of 3/4 was scored as one beat's
    step: Bach's held-out chorales agree 617 -> 666 of 1337 beats with it (and BEAT_OUTSIDE_PENALTY 2.5)."""
    return (beats - 1) * np.diag(model.log_trans)


def path_score(model: ChordHMM, span_scores: np.ndarray, path: list[int]) -> float:
    return float(model.log_start[path[0]] + model.log_trans[path[:-1], path[1:]].sum()
                 + span_scores[np.arange(len(path)), path].sum())


def same_chords_for_repeats(model: ChordHMM, span_scores: np.ndarray, groups: list[list[int]], per_bar: int,
                            final: int | None, first: int | None) -> list[int]:
    """The Viterbi's chords with every bar of a group (`repeated_bars`) harmonized alike, as a musician plays a
    repeated phrase: per group, in order, the chords one of its bars got that make the best whole progression with
    every bar of the group (and of the groups before it) held to them; for a group holding the first bar, its chords
    (chosen to open the tune: the best of all moved 7 of 216 tunes off their first chord, to v, V or iii). Without
    it the same notes took different chords from the chords around them (I ii in the first bar of the Compose demo,
    ii ii where it comes back)."""
    path = model.viterbi(span_scores, final=final, first=first)
    held = span_scores.copy()
    for bars in groups:
        best: tuple[float, np.ndarray, list[int]] | None = None
        sources = bars[:1] if bars[0] == 0 else bars  # the opening's chords were chosen to open the tune
        for chords in dict.fromkeys(tuple(path[bar * per_bar:(bar + 1) * per_bar]) for bar in sources):
            trial = held.copy()
            for bar in bars:
                for span, chord in enumerate(chords, start=bar * per_bar):
                    trial[span, np.arange(len(model.names)) != chord] = -np.inf
            candidate = model.viterbi(trial, final=final, first=first)
            score = path_score(model, trial, candidate)
            if np.isfinite(score) and (best is None or score > best[0]):
                best = (score, trial, candidate)
        if best is not None:
            _, held, path = best
    return path


def harmonize_melody(melody: Melody, path: str | os.PathLike = HARMONIZER_PATH) -> list[Chord]:
    notes = TuneNotes.of(melody)
    model = mode_model(load_harmonizer(os.fspath(path)), notes.harmony)
    spans = span_bounds(melody)
    starts = [onset for onset, _ in spans]
    scores = np.array([stretch_scores(notes, model, onset, end) + staying(model, (end - onset) / notes.beat)
                       - CROSS_RELATION_PENALTY * cross_relations(notes, model, onset, end)
                       - BEAT_OUTSIDE_PENALTY * beats_outside(notes, model, onset, end) for onset, end in spans])
    # The cadence replaces the chords of its spans and leaves the rest as chosen: pinning it inside the Viterbi
    # moved earlier chords too, against their notes (strong-beat clashes 128 -> 135 over 40 tunes).
    cadence = cadence_chords(melody, spans)
    per_bar = len(chord_spans(melody.meter))
    repeats = repeated_bars(notes, spans, per_bar, cadence[0][0] if cadence else melody.total_ticks)
    path_ = same_chords_for_repeats(model, scores, repeats, per_bar, final=final_chord(melody, model),
                                    first=first_chord(melody, model, spans[0][1]))
    first = bisect.bisect_right(starts, cadence[0][0]) - 1 if cadence else len(spans)
    if len(cadence) > 1 and model.names[path_[first]] in DOMINANTS and not set(cadence[0][2]) & set(DOMINANTS) \
            and set(cadence[1][2]) <= set(DOMINANTS):
        # A V or V7 the Viterbi chose for the whole span stays when the cadence would move it to the span's last
        # beats: the first beat's note is then an appoggiatura (F over V's E before the D in D minor). Only then:
        # before a plagal or VII close, whose next stretch is the tonic's, it held V over the closing note and the
        # tune ended on V (D F A F E D | Bb E E D in 6/8).
        cadence = [(cadence[0][0], cadence[1][1], (model.names[path_[first]],)), *cadence[2:]]
    stretches = [stretch for (onset, end), s in zip(spans[:first], path_, strict=False) for stretch in (
        split_dominant(notes, model, onset, end, model.names[s])
        if model.names[s] in DOMINANTS else dominant_first_beat(notes, model, onset, end, model.names[s]))]
    for onset, end, allowed in cadence:
        s = bisect.bisect_right(starts, onset) - 1
        chosen = model.names[path_[s]]
        if chosen not in allowed or end - onset < spans[s][1] - spans[s][0]:
            stretch = stretch_scores(notes, model, onset, end)
            chosen = max(allowed, key=lambda name: stretch[model.names.index(name)] if name in model.names else 0.0)
        stretches.append((onset, end, chosen))
    chosen_before = len(stretches) - len(cadence)  # the cadence's own chords stay as they are
    harmonized: list[tuple[int, int, str]] = []
    for k, (onset, end, name) in enumerate(stretches):
        harmonized += lead_in_dominant(notes, model, onset, end, name, stretches[k + 1],
                                       harmonized[-1][2] if harmonized else None) \
            if k < chosen_before and k + 1 < len(stretches) else [(onset, end, name)]
    stretches = harmonized
    ceilings = chord_ceilings(notes, [(onset, end) for onset, end, _ in stretches])
    tones = chord_tones(notes.harmony)
    chords = []
    for k, ((onset, end, name), ceiling) in enumerate(zip(stretches, ceilings, strict=True)):
        pitches = voice(melody.tonic, tones[name], ceiling)
        if k and end - onset >= 2 * notes.beat \
                and suspension(notes, onset, tones[name], tones[stretches[k - 1][2]]):
            # The chord leaves out the note the suspension falls to until it does, keeping the root in the bass, as
            # an accompanist plays it: A7's C# under the melody's D, a semitone apart, was a clash (a 4-3 over V7).
            resolution = notes.on_beats(onset + notes.beat, onset + 2 * notes.beat)[0]
            chords.append(Chord(onset, notes.beat, name, (pitches[0], *(
                pitch for pitch in pitches[1:] if (pitch - melody.tonic) % 12 != resolution))))
            onset += notes.beat
        chords.append(Chord(onset, end - onset, name, pitches))
    return chords


def chord_accuracy(models: dict[str, ChordHMM], chorales: list[Tune]) -> dict:
    """How often the chord HMM picks music21's chord on held-out chorales, one chord per beat.

    Scored on the beats whose analysed chord is one of our states. Two baselines on the same beats:
    the most likely chord for each beat's note alone (the emissions without the transitions), and
    always the tonic chord.
    """
    hits = {"chord HMM (Viterbi)": 0, "note by note (no transitions)": 0, "always the tonic": 0}
    beats = 0
    for tune in chorales:
        observed = beat_observations(tune)
        if not observed:
            continue
        model = models[FAMILY.get(tune.mode, "major")]
        scores = model.log_emit[:, [symbol for symbol, _ in observed]].T
        guesses = {"chord HMM (Viterbi)": model.viterbi(scores),
                   "note by note (no transitions)": list(scores.argmax(1)),
                   "always the tonic": [0] * len(observed)}
        for (_, chord), *picked in zip(observed, *guesses.values(), strict=True):
            if chord is None:
                continue
            beats += 1
            for name, choice in zip(guesses, picked, strict=True):
                hits[name] += model.names[choice] == chord
    return {"beats": beats, "accuracy": {name: round(hit / max(beats, 1), 4) for name, hit in hits.items()}}
