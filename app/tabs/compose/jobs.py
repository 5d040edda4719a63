"""The Compose tab's jobs, run on its worker thread: write melodies, render them to audio, read motifs.

Each factory returns a function of the worker's `JobContext` that yields engine events. The audio
renderer (FluidSynth with its SoundFont loaded) is kept in the worker's cache between jobs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.tabs.compose.controls import RANGE_LIMITS
from app.tabs.compose.labels import edits_label, melody_label
from app.tabs.compose.piano_roll import note_name
from app.worker import JobContext
from models.jobs import JobError, Progress, Result
from models.music.request import MelodyRequest

if TYPE_CHECKING:  # engine types, for the annotations only: the engines load on the worker
    from models.audio.render import RenderedAudio
    from models.music.melody import Melody

COUNT_IN_PITCH = 37  # side stick on the General MIDI percussion channel

Edit = tuple[int, int, int]  # (first bar, last bar, seed) of a Regenerate bars
Morph = tuple[int, int, int, int]  # (from variation, to variation, in-betweens, which one)


@dataclass(eq=False)  # identity: comparing by value would compare whole audio/pixel arrays
class Variation:
    index: int
    melody: Melody
    request: MelodyRequest
    audio: RenderedAudio | None = None  # at `audio_tempo`
    audio_tempo: float = 0.0
    count_in_seconds: float = 0.0  # length of the metronome bar at the start of `audio`
    edits: tuple[Edit, ...] = ()  # regenerated since Generate
    previous: Variation | None = None  # what Undo goes back to
    morph: Morph | None = None
    # Its contour and first notes (labels.py), worked out by the job that wrote it, off the UI thread.
    label: str = ""
    # In the kept melodies (Keep): closing the window does not ask about it. Its copies with sound are kept too.
    kept: bool = False

    def without_sound(self) -> Variation:
        """The same variation, its rendered audio let go (rendered again when it is played)."""
        return dataclasses.replace(self, audio=None, audio_tempo=0.0, count_in_seconds=0.0)

    def audio_ready(self, tempo: float, count_in: bool) -> bool:
        """Whether `audio` is this variation at `tempo` with (or without) the count-in bar."""
        return self.audio is not None and self.audio_tempo == tempo and bool(self.count_in_seconds) == count_in

    @property
    def title(self) -> str:
        """What tells this variation from its siblings (labels.py); the list puts its number before it."""
        parts = [self.label or melody_label(self.melody), edits_label(self.edits)]
        if self.morph is not None:
            a, b, count, which = self.morph
            parts.insert(0, f"morph {a + 1} → {b + 1}, {which} of {count}")
        return " · ".join(part for part in parts if part)

    @property
    def full_title(self) -> str:
        """A label that stands alone (kept melodies, the chat): what sets it apart, then the shared recipe."""
        parts = (self.label or melody_label(self.melody), edits_label(self.edits), self.recipe_summary)
        return " · ".join(part for part in parts if part)

    @property
    def recipe_summary(self) -> str:
        """What all variations of one Generate share."""
        r = self.request
        return f"{style_label(r.style)} · {r.key} {r.mode} · {r.meter} · {r.bars} bars · seed {r.seed}"


def edits_from_json(data: list | None) -> tuple[Edit, ...]:
    return tuple((int(first), int(last), int(seed)) for first, last, seed in data or [])


def morph_from_json(data: list | None) -> Morph | None:
    if not data:
        return None
    a, b, count, which = data
    return int(a), int(b), int(count), int(which)


def style_label(style: str) -> str:
    """A user's style is a checkpoint path; show its name."""
    return Path(style).stem if style.endswith(".safetensors") else style


def shared_renderer(context: JobContext):
    """The worker's audio renderer, created once (loading a SoundFont takes time)."""
    from models.audio.render import AudioRenderer
    from models.resources import resource

    renderer = context.cache.get("audio_renderer")
    if renderer is None:
        renderer = AudioRenderer(soundfont_folders=(resource("soundfonts"),))
        context.cache["audio_renderer"] = renderer
        if renderer.notice:
            context.notify(renderer.notice)
    return renderer


def count_in_notes(meter: Any, tempo: float) -> list:
    """One bar of metronome clicks, accented on the downbeat."""
    from models.audio.notes import NoteEvent
    from models.music import tokens

    beat_seconds = meter.beat_ticks / tokens.TICKS_PER_QUARTER * 60.0 / tempo
    beats = meter.bar_ticks // meter.beat_ticks
    return [
        NoteEvent(COUNT_IN_PITCH if i else COUNT_IN_PITCH + 39, i * beat_seconds, i * beat_seconds + 0.08,
                  120 if i == 0 else 90, 0, is_drum=True)
        for i in range(beats)
    ]


def render_variation(variation: Variation, tempo: float, count_in: bool, renderer) -> Variation:
    """Render `variation` at `tempo` (no regeneration), with a count-in bar when asked."""
    from models.audio.notes import NoteEvent, notes_from_midi

    melody = dataclasses.replace(variation.melody, tempo=float(tempo))
    notes = notes_from_midi(melody.to_pretty_midi(variation.request.program, variation.request.chord_program))
    lead_in = 0.0
    if count_in:
        clicks = count_in_notes(melody.meter, tempo)
        lead_in = melody.seconds(melody.meter.bar_ticks)
        notes = clicks + [NoteEvent(n.pitch, n.start + lead_in, n.end + lead_in, n.velocity, n.program, n.is_drum)
                          for n in notes]
    audio = renderer.render(notes)
    return dataclasses.replace(variation, audio=audio, audio_tempo=float(tempo), count_in_seconds=lead_in)


def motif_outside_the_range(request: MelodyRequest) -> str:
    """What to do about a motif with notes outside the Range ("" when it fits). Generate refused it with "The motif
    has notes outside the requested pitch range.", which named neither the notes nor the way out: a motif read from
    a MIDI file in another octave (a bass line, a piccolo part) met it on the first Generate (seen under Xvfb)."""
    pitches = [pitch for pitch, _ in request.motif if pitch is not None]
    if not pitches or request.pitch_range is None:
        return ""
    (low, high), lowest, highest = request.pitch_range, min(pitches), max(pitches)
    if low <= lowest and highest <= high:
        return ""
    notes = f"The motif's notes go from {note_name(lowest)} to {note_name(highest)}"
    if lowest < RANGE_LIMITS[0] or highest > RANGE_LIMITS[1]:
        return (f"{notes}, beyond the notes a melody here can have ({note_name(RANGE_LIMITS[0])} to "
                f"{note_name(RANGE_LIMITS[1])}): open another MIDI file, or play the motif on the keyboard.")
    return (f"{notes}, outside the Range ({note_name(low)} to {note_name(high)}): set the Range to "
            f"{note_name(min(low, lowest))} to {note_name(max(high, highest))} to take them in, or clear the motif.")


def generate_melodies(request: MelodyRequest, style_dirs: tuple[Path, ...]):
    """Write the variations (a few hundred ms); their sound is rendered by separate jobs, the selected
    one first, so the list and the piano roll appear without waiting for audio."""

    def job(context: JobContext):
        from models.music.generate import generate

        yield Progress(None, "writing melodies")
        outside = motif_outside_the_range(request)
        if outside:
            raise JobError(outside)
        try:
            melodies = generate(request, style_dirs)
        except ValueError as error:
            raise JobError(_sentence(str(error))) from None
        yield Result([Variation(index, melody, request, label=melody_label(melody)) for index, melody in enumerate(melodies)])

    return job


def regenerate(variation: Variation, edits: tuple[tuple[int, int, int], ...], style_dirs: tuple[Path, ...]):
    """Write bars first..last of `variation` again for each (first, last, seed) in `edits`, keeping every
    other note (the engine's exact infilling); chords follow the new notes."""

    def job(context: JobContext):
        from models.music.generate import regenerate_bars
        from models.music.harmonizer import harmonize_melody

        request, current = variation.request, variation
        for first, last, seed in edits:
            yield Progress(None, f"writing bars {first}–{last} again")
            try:
                melody = regenerate_bars(current.melody, first, last, seed=seed, temperature=request.temperature,
                                         pitch_range=request.pitch_range,
                                         end_on_tonic=request.end_on_tonic, search_dirs=style_dirs,
                                         note_length=request.note_length)
            except ValueError as error:
                raise JobError(_sentence(str(error))) from None
            if request.harmonize:
                melody.chords = harmonize_melody(melody)
            current = Variation(variation.index, melody, request, edits=current.edits + ((first, last, seed),),
                                previous=current.without_sound(), label=melody_label(melody))
        yield Result(current)

    return job


def morph(a: Variation, b: Variation, count: int, first_index: int):
    """`count` melodies on the way from variation a to variation b (the melody VAE, two bars at a time)."""

    def job(context: JobContext):
        from models.music.harmonizer import harmonize_melody
        from models.music.vae import load_vae
        from models.music.vae import morph as morph_melodies

        yield Progress(None, f"morphing variation {a.index + 1} into {b.index + 1}")
        vae = context.cache.get("melody_vae")
        if vae is None:
            vae = context.cache["melody_vae"] = load_vae()
        try:
            melodies = morph_melodies(vae, a.melody, b.melody, count, close_on_tonic=a.request.end_on_tonic,
                                      pitch_range=a.request.pitch_range)
        except ValueError as error:
            raise JobError(_sentence(str(error))) from None
        if a.request.harmonize:
            for melody in melodies:
                melody.chords = harmonize_melody(melody)
        yield Result([Variation(first_index + i, melody, a.request, morph=(a.index, b.index, count, i + 1),
                                label=melody_label(melody)) for i, melody in enumerate(melodies)])

    return job


def rerender(variation: Variation, tempo: float, count_in: bool):
    """A new tempo or count-in setting applies without regenerating."""

    def job(context: JobContext):
        yield Progress(None, "rendering")
        yield Result(render_variation(variation, tempo, count_in, shared_renderer(context)))

    return job


def read_motif(path: Path):
    """The first monophonic line of a MIDI file, as (pitch or None for a rest, quarter notes) pairs."""

    def job(context: JobContext):
        from models.music.midi_folder import motif_from_midi

        yield Progress(None, f"reading {path.name}")
        try:
            motif = motif_from_midi(path)
        except (ValueError, OSError) as error:
            raise JobError(f"{_sentence(str(error), path.name)} Choose another MIDI file, or play the motif on the "
                           "keyboard.") \
                from None
        yield Result(tuple(motif))

    return job


def _sentence(text: str, file_name: str = "") -> str:
    """A capital and a full stop; a file's name at the start keeps its spelling ("cut.mid", not "Cut.mid")."""
    text = text.strip()
    if not (file_name and text.startswith(file_name)):
        text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
