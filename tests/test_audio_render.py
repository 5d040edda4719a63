"""Rendering notes to audio: right pitch, right length, loud enough, with or without FluidSynth."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from models.audio.builtin_synth import render_builtin, timbre_for
from models.audio.fluid import find_soundfont, fluidsynth_available
from models.audio.notes import NoteEvent, notes_from_midi, scaled_in_time
from models.audio.render import PEAK_LEVEL, AudioRenderer, normalise, write_wav

A4 = NoteEvent(pitch=69, start=0.0, end=1.0, velocity=100, program=0)


def dominant_frequency(samples: np.ndarray, sample_rate: int) -> float:
    mono = samples.mean(axis=1)
    window = mono[: sample_rate // 2] * np.hanning(sample_rate // 2)
    spectrum = np.abs(np.fft.rfft(window, n=8 * len(window)))
    return float(np.argmax(spectrum) * sample_rate / (8 * len(window)))


@pytest.mark.parametrize("program", [0, 24, 40, 56, 73])
def test_builtin_synth_plays_the_right_pitch(program):
    audio = AudioRenderer(use_fluidsynth=False).render([NoteEvent(69, 0.0, 1.0, 100, program)])
    assert audio.synthesizer == "built-in synthesizer"
    assert abs(dominant_frequency(audio.samples, audio.sample_rate) - 440.0) < 3.0
    assert audio.samples.shape[1] == 2 and audio.samples.dtype == np.float32


def test_builtin_notes_have_envelopes_not_bare_sines():
    audio = render_builtin([A4], 44100)[:, 0]
    first_ms, middle = np.abs(audio[:44]).max(), np.abs(audio[22050:22100]).max()
    assert first_ms < middle or first_ms < 0.5 * np.abs(audio).max()  # an attack, not a click
    tail = np.abs(audio[int(1.3 * 44100):]).max()
    assert tail < 0.05 * np.abs(audio).max()  # the release fades out


def test_rendered_length_follows_the_notes():
    notes = [NoteEvent(60 + i, 0.5 * i, 0.5 * i + 0.45) for i in range(8)]
    audio = AudioRenderer(use_fluidsynth=False).render(notes)
    assert 4.0 <= audio.seconds <= 4.0 + 1.0
    slower = AudioRenderer(use_fluidsynth=False).render(scaled_in_time(notes, 1.5))
    assert 6.0 <= slower.seconds <= 6.0 + 1.0


def test_normalise_sets_the_peak_and_keeps_silence():
    loud = normalise(np.full((10, 2), 3.0, dtype=np.float32))
    assert np.isclose(np.abs(loud).max(), PEAK_LEVEL)
    assert not np.any(normalise(np.zeros((10, 2), dtype=np.float32)))


def test_drum_clicks_use_a_short_timbre():
    assert timbre_for(0, is_drum=True).struck
    audio = AudioRenderer(use_fluidsynth=False).render([NoteEvent(37, 0.0, 0.05, 110, 0, is_drum=True)])
    assert np.abs(audio.samples).max() > 0.5


@pytest.mark.skipif(not fluidsynth_available(), reason="FluidSynth is not installed")
def test_fluidsynth_plays_the_right_pitch_and_is_audible():
    renderer = AudioRenderer()
    assert renderer.synthesizer.startswith("FluidSynth")
    audio = renderer.render([A4])
    assert abs(dominant_frequency(audio.samples, audio.sample_rate) - 440.0) < 3.0
    rms = float(np.sqrt(np.mean(audio.samples[: audio.sample_rate // 2] ** 2)))
    assert rms > 0.05


def test_missing_fluidsynth_falls_back_and_says_so(monkeypatch):
    monkeypatch.setattr("models.audio.render.fluidsynth_available", lambda: False)
    renderer = AudioRenderer()
    assert renderer.synthesizer == "built-in synthesizer"
    assert "FluidSynth is not installed" in renderer.notice
    assert renderer.render([A4]).notice == renderer.notice


def test_missing_soundfont_falls_back_and_says_so(monkeypatch):
    monkeypatch.setattr("models.audio.render.fluidsynth_available", lambda: True)
    monkeypatch.setattr("models.audio.render.find_soundfont", lambda folders: None)
    renderer = AudioRenderer()
    assert renderer.synthesizer == "built-in synthesizer" and "SoundFont" in renderer.notice


def test_soundfont_override_wins(monkeypatch, tmp_path):
    font = tmp_path / "mine.sf2"
    font.write_bytes(b"RIFF")
    monkeypatch.setenv("ATELIER_SOUNDFONT", str(font))
    assert find_soundfont() == font


def test_wav_round_trip(tmp_path):
    audio = AudioRenderer(use_fluidsynth=False).render([A4])
    path = write_wav(tmp_path / "a4.wav", audio)
    data, rate = soundfile.read(path, dtype="float32")
    assert rate == audio.sample_rate and data.shape == audio.samples.shape
    assert abs(dominant_frequency(data, rate) - 440.0) < 3.0


def test_notes_from_pretty_midi():
    import pretty_midi

    midi = pretty_midi.PrettyMIDI()
    violin = pretty_midi.Instrument(program=40)
    violin.notes.append(pretty_midi.Note(velocity=80, pitch=74, start=0.5, end=1.0))
    violin.notes.append(pretty_midi.Note(velocity=70, pitch=72, start=0.0, end=0.5))
    midi.instruments.append(violin)
    notes = notes_from_midi(midi)
    assert [(n.pitch, n.start, n.program) for n in notes] == [(72, 0.0, 40), (74, 0.5, 40)]
