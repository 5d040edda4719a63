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

from models.jobs import Event, JobError, Preview, Result, Token, check_cancelled
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
) -> Iterator[Event]:
    """A job: melody, then lyrics, then the cover; Token events say each step; Result(CreativeAnswer)."""
    from models.assistant import writing
    from models.assistant.creative import CreativeAnswer, make_melody
    from models.verse.lyrics import lyric_sheet, lyrics_midi

    theme = params.get("theme") or "the open road"
    melody = make_melody(params | {"seed": seed})
    yield Preview(melody)
    yield Token(f"The tune: {params['bars']} bars in {params['key']} {params['mode']}, {params['tempo']:g} bpm.\n")
    check_cancelled(cancel)
    lines, _, _ = writing.lyrics_for(melody, theme, "AABB", seed)
    title = " ".join(w.capitalize() for w in theme.split() if w.lower() not in ("a", "an", "the")) or "Song"
    title = re.sub(r"[^\w' -]", "", title)[:48].strip() or "Song"
    yield Token("\n".join(line.text for line in lines) + "\n")
    check_cancelled(cancel)
    style = cover_style(theme, params["mode"])
    try:
        cover, style_title = cover_painting(theme, params["mode"], style, seed, device, cancel)
        yield Preview(cover)
    except (JobError, ValueError, OSError) as error:
        cover, style_title = None, None
        yield Token(f"No cover painting: {error}\n")
    files: list[Path] = []
    folder = None
    if out is not None:
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
    yield Token(text + "\n")
    sketch = SongSketch(title, folder, melody, lines, cover)
    answer_text = "\n".join(line.text for line in lines) + "\n" + text
    yield Result(CreativeAnswer("song", answer_text, files, sketch, params | {"seed": seed, "cover_style": style}))


MODE_LIGHT = {"minor": "at dusk", "dorian": "in mist", "phrygian": "at night", "aeolian": "at dusk"}


def cover_painting(theme: str, mode: str, style_name: str, seed: int, device=None, cancel=None, side: int = 512):
    """The cover: the scene composer sketches the theme (lit by the mode: a minor song at dusk), and the
    style paints it, through the one from-scratch path. Returns (image, the style's title)."""
    from models.jobs import run_job
    from models.paint.render import RenderParams
    from models.paint.scratch import paint_from_scratch_job
    from models.paint.style import find_style, load_style

    style = load_style(find_style(style_name), device=device or "cpu")
    subject = f"{theme} {MODE_LIGHT.get(mode, '')}".strip()
    params = RenderParams(strength=1.0, palette=0.8, seed=seed, size=(side, side))
    job = paint_from_scratch_job(style, subject, params, device=device, cancel=cancel)
    return run_job(job), style.title


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
