"""A song sketch in one request ("write a song about the sea in D minor"): a melody in the key and mood,
lyrics fitted to it note by note, and a cover painting in a fitting style, saved as one folder:
song.mid (melody with lyric events), song.wav, cover.png and lyrics.txt."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import torch

from models.jobs import Event, JobError, Preview, Progress, Result, Token, check_cancelled
from models.verse.pronounce import words_in

# theme words -> the painter whose pictures they suggest (first match wins)
COVER_STYLES = [
    ({"sea", "ocean", "wave", "waves", "tide", "shore", "fish", "boat", "sail", "mountain", "fuji"}, "hokusai"),
    ({"storm", "ship", "harbour", "harbor", "fog", "mist", "fire", "smoke", "train", "sunset"}, "turner"),
    (
        {"night", "star", "stars", "field", "fields", "flower", "flowers", "summer", "sun", "wheat", "village"},
        "van-gogh",
    ),
    ({"lonely", "fear", "love", "loss", "grief", "dark", "scream", "heart", "alone"}, "munch"),
]
MODE_STYLE = {"minor": "munch", "dorian": "turner"}


@dataclass
class SongSketch:
    title: str
    folder: Path | None
    melody: object
    lyrics: list
    cover: object  # PIL image


def cover_style(theme: str, mode: str) -> str:
    words = set(words_in(theme))
    for keys, style in COVER_STYLES:
        if words & keys:
            return style
    return MODE_STYLE.get(mode, "van-gogh")


def write_song(
    params: dict,
    seed: int = 0,
    out: Path | None = None,
    device: torch.device | str | None = None,
    cancel: threading.Event | None = None,
    paint_cover: bool = True,
) -> Iterator[Event]:
    """A job: melody, then lyrics, then the cover; Token events say each step; Result(CreativeAnswer) whose
    params carry the recipes that make the tune ("melody") and the cover ("cover") again. Without
    `paint_cover` the cover is left to the caller (the Chat tab asks the Paint tab for it)."""
    from models.assistant import writing
    from models.assistant.creative import CreativeAnswer, make_melody
    from models.music.request import MelodyRequest
    from models.verse.lyrics import lyric_sheet, lyrics_midi, phrase_forms

    theme = params.get("theme") or "the open road"
    # Each step says what it is doing: the lyrics take a minute or more on a laptop CPU (169 s at load 14), where
    # the Chat tab showed only "writing".
    yield Progress(0.0, "the tune")
    melody = make_melody(params | {"seed": seed})
    yield Preview(melody)
    yield Token(f"The tune: {params['bars']} bars in {params['key']} {params['mode']}, {params['tempo']:g} bpm.\n")
    check_cancelled(cancel)
    yield Progress(0.1, f"the lyrics, {len(phrase_forms(melody))} lines fitted to the tune")
    lines, _, rhyme_note = writing.lyrics_for(melody, theme, "AABB", seed, cancel=cancel)
    title = " ".join(w.capitalize() for w in theme.split() if w.lower() not in ("a", "an", "the")) or "Song"
    title = re.sub(r"[^\w' -]", "", title)[:48].strip() or "Song"
    yield Token("\n".join(line.text for line in lines) + "\n")
    check_cancelled(cancel)
    recipe = cover_recipe(theme, params["mode"], seed)
    cover, style_title = None, None
    if paint_cover:
        yield Progress(0.8, "the cover")
        try:
            cover, style_title = cover_painting(recipe, device, cancel)
            yield Preview(cover)
        except (JobError, ValueError, OSError) as error:
            yield Token(f"No cover painting: {error}\n")
    files: list[Path] = []
    folder = None
    if out is not None:
        yield Progress(0.95, "saving the song")
        folder = _unique_folder(Path(out) / f"song-{re.sub(r'[^a-z0-9]+', '-', theme.lower()).strip('-')[:32]}-{seed}")
        folder.mkdir(parents=True)
        midi_path = folder / "song.mid"
        lyrics_midi(melody, lines).write(str(midi_path))
        files.append(midi_path)
        files.append(_write_wav(melody, folder / "song.wav"))
        sheet = lyric_sheet(f"{title} — {params['key']} {params['mode']}, {params['tempo']:g} bpm", lines)
        (folder / "lyrics.txt").write_text(sheet, encoding="utf-8")
        files.append(folder / "lyrics.txt")
        if cover is not None:
            cover.save(folder / "cover.png")
            files.append(folder / "cover.png")
    text = f"“{title}”: the tune, {len(lines)} lines of lyrics fitted to it"
    text += f", and a cover in the style of {style_title}." if cover is not None else "."
    if folder is not None:
        text += f" Saved in {folder} (song.mid with the lyrics, song.wav, lyrics.txt{', cover.png' if cover else ''})."
    text += f" {rhyme_note}" if rhyme_note else ""
    yield Token(text + "\n")
    sketch = SongSketch(title, folder, melody, lines, cover)
    # A blank line between the lyrics and what was made: the note read as the song's last line (seen in the chat).
    answer_text = "\n".join(line.text for line in lines) + "\n\n" + text
    made = {
        "seed": seed,
        "cover_style": recipe.style,
        "melody": MelodyRequest.from_json({**params, "seed": seed, "variations": 1}).to_json(),
        "cover": recipe.to_json(),
    }
    yield Result(CreativeAnswer("song", answer_text, files, sketch, params | made))


MODE_LIGHT = {"minor": "at dusk", "dorian": "in mist", "phrygian": "at night", "aeolian": "at dusk"}


def cover_recipe(theme: str, mode: str, seed: int, side: int = 512):
    """The cover's recipe: the scene composer sketches the theme (lit by the mode: a minor song at dusk) and
    the style chosen from the theme paints it, from scratch (the Paint tab can make it again)."""
    from models.paint.recipe import PaintRecipe

    subject = f"{theme} {MODE_LIGHT.get(mode, '')}".strip()
    style = cover_style(theme, mode)
    return PaintRecipe(style, seed=seed, palette=0.8, size=(side, side), from_scratch=True, subject=subject)


def cover_painting(recipe, device=None, cancel=None):
    """The cover painted through the chat's painting path (the Paint tab's own job). (image, style title)"""
    from models.assistant.creative import make_painting

    image, style_title, _, _ = make_painting(recipe, device=device, cancel=cancel)
    return image, style_title


def _unique_folder(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}-{n}")
        n += 1
    return candidate


def _write_wav(melody, path: Path) -> Path:
    from models.audio.notes import notes_from_midi
    from models.audio.render import AudioRenderer, write_wav

    return write_wav(path, AudioRenderer().render(notes_from_midi(melody.to_pretty_midi())))
