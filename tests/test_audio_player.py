"""Playback through sounddevice to the ALSA null device: no sound card needed, frames counted."""

from __future__ import annotations

import time

import numpy as np
import pytest

from app.audio_player import AudioPlayer
from app.system_check import audio_outputs, portaudio_problem

needs_portaudio = pytest.mark.skipif(portaudio_problem() is not None, reason="PortAudio is not installed")


def tone(seconds: float, rate: int = 44100) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    mono = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return np.stack([mono, mono], axis=1)


@needs_portaudio
def test_plays_every_frame_to_the_null_device(qtbot):
    player = AudioPlayer()
    samples = tone(0.5)
    with qtbot.waitSignal(player.stopped, timeout=10_000):
        assert player.play(samples, 44100)
    assert player.frames_written == len(samples)
    assert not player.is_playing
    assert player.position_seconds() == pytest.approx(0.5, abs=0.01)


@needs_portaudio
def test_loop_keeps_playing_until_stopped(qtbot):
    player = AudioPlayer()
    samples = tone(0.1)
    assert player.play(samples, 44100, loop=True)
    qtbot.waitUntil(lambda: player.frames_written > 3 * len(samples), timeout=10_000)
    assert player.is_playing
    with qtbot.waitSignal(player.stopped, timeout=2000):
        player.stop()
    assert not player.is_playing


@needs_portaudio
def test_starts_from_a_given_position(qtbot):
    player = AudioPlayer()
    samples = tone(1.0)
    with qtbot.waitSignal(player.stopped, timeout=10_000):
        player.play(samples, 44100, start_seconds=0.75)
    assert player.frames_written == len(samples) - int(0.75 * 44100)


@needs_portaudio
def test_unknown_output_device_is_a_sentence(qtbot):
    player = AudioPlayer()
    with qtbot.waitSignal(player.failed, timeout=2000) as failed:
        assert not player.play(tone(0.1), 44100, device="Studio Monitors That Are Not There")
    assert "not available" in failed.args[0] and "export still works" in failed.args[0]
    assert not player.is_playing


def test_missing_portaudio_is_a_sentence(qtbot, monkeypatch):
    monkeypatch.setattr("app.audio_player.portaudio_problem", lambda: "Sound playback needs PortAudio.")
    player = AudioPlayer()
    with qtbot.waitSignal(player.failed, timeout=2000) as failed:
        assert not player.play(tone(0.1), 44100)
    assert "PortAudio" in failed.args[0]


@needs_portaudio
def test_null_device_is_listed_as_an_output():
    assert len(audio_outputs()) >= 1


@needs_portaudio
def test_loop_returns_to_the_loop_start_not_the_count_in(qtbot):
    player = AudioPlayer()
    count_in = np.ones((4410, 2), dtype=np.float32) * 0.5
    samples = np.concatenate([count_in, tone(0.1)])
    assert player.play(samples, 44100, loop=True, loop_start_seconds=0.1)
    qtbot.waitUntil(lambda: player.frames_written > 3 * len(samples), timeout=10_000)
    player.stop()
    assert player.position_seconds() >= 0.1 - 1e-3  # never back inside the count-in


@needs_portaudio
def test_an_output_that_is_not_paced_plays_a_loop_in_real_time_past_the_limit(qtbot, monkeypatch):
    # The null device takes frames as fast as they come: a looped melody ran ~500x faster than real time, PortAudio's
    # thread holding the GIL, and the UI stalled (the soak's "Play and loop" stall; session 15, firsthour3).
    from app import audio_player

    monkeypatch.setattr(audio_player, "AHEAD_LIMIT_SECONDS", 1.0)
    player = AudioPlayer()
    samples = tone(0.25)
    assert player.play(samples, 44100, loop=True)
    qtbot.waitUntil(lambda: player.frames_written > 1.0 * 44100, timeout=10_000)
    frames, started = player.frames_written, time.monotonic()
    qtbot.wait(300)
    played, elapsed = (player.frames_written - frames) / 44100, time.monotonic() - started
    assert player.is_playing
    player.stop()
    assert played < elapsed + 0.5  # the clock's pace, give or take a few blocks (it ran ~500x faster)


@needs_portaudio
def test_another_sound_while_playing_goes_on_the_open_stream(qtbot):
    # A/B switching, a new tempo or regenerated bars each closed the stream and opened another: a gap in the sound,
    # and 60-570 ms of the UI thread on a JACK output at load 13 (session 15, firsthour3).
    player = AudioPlayer()
    stopped: list[bool] = []
    player.stopped.connect(lambda: stopped.append(True))
    assert player.play(tone(0.5), 44100, loop=True)
    stream = player._stream
    qtbot.waitUntil(lambda: player.frames_written > 0, timeout=5000)
    other = tone(0.3) * 0.5
    assert player.play(other, 44100, loop=True, start_seconds=0.1)
    assert player._stream is stream and not stopped and player.is_playing
    qtbot.waitUntil(lambda: player.frames_written > len(other), timeout=5000)  # the new sound, looping
    assert player.duration_seconds() == pytest.approx(0.3, abs=0.01)
    player.stop()
    assert stopped == [True]


class DeadStream:
    """A stream that stopped asking for sound (its JACK server stopped): what is put on it is never heard."""

    closed = False

    def abort(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


@needs_portaudio
def test_a_sound_is_not_put_on_a_stream_that_stopped_asking_for_sound(qtbot):
    """After the JACK server went, the next sound of the same format went on the dead stream: play() said it played
    and nothing was heard. A stream silent for longer than STALLED_SECONDS is given up and a new one opened."""
    player = AudioPlayer()
    assert player.play(tone(0.5), 44100, loop=True)
    qtbot.waitUntil(lambda: player.frames_written > 0, timeout=5000)
    player.stop()
    dead = DeadStream()
    player._stream, player._stream_format = dead, (44100, 2, "")  # as if it were still open, playing
    player._last_fill = time.monotonic() - 2.0  # its last call for sound 2 s ago
    assert player.play(tone(0.3), 44100, loop=True)
    assert dead.closed and player._stream is not dead  # a new stream, which plays
    qtbot.waitUntil(lambda: player.frames_written > 0, timeout=5000)
    player.stop()


def test_a_loop_comes_round_at_the_musics_length_with_its_ring_mixed_in():
    """A melody's sound rings on past its last bar (the release, 0.8 s of FluidSynth): looping the whole sound, a
    16-bar loop at 110 BPM came round 0.8 s late, more than a beat. The loop goes back at the music's end, and the
    ring sounds over the next time round's first notes."""
    rate = 1000
    music = np.full((1000, 2), 0.1, dtype=np.float32)  # one second of music
    ring = np.full((200, 2), 0.01, dtype=np.float32)  # and what rings on after it
    player = AudioPlayer()
    player._put(np.concatenate([music, ring]), rate, True, 0.0, (0.0, 1.0))
    out = np.zeros((2600, 2), dtype=np.float32)
    for block in range(0, 2600, 100):
        player._fill(out[block : block + 100], 100, None, None)
    heard = out[:, 0]
    np.testing.assert_allclose(heard[:1000], 0.1)  # the first time round, as rendered
    np.testing.assert_allclose(heard[1000:1200], 0.11, rtol=1e-5)  # the music again, with the ring
    np.testing.assert_allclose(heard[1200:2000], 0.1)
    np.testing.assert_allclose(heard[2000:2200], 0.11, rtol=1e-5)  # and every time after
    player.loop = False  # loop off: the sound plays to its end, ring and all
    out = np.zeros((1000, 2), dtype=np.float32)
    player._position = 900
    player._fill(out[:300], 300, None, None)
    np.testing.assert_allclose(out[100:300, 0], 0.01)
