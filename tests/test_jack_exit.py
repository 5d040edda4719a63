"""Quitting after the JACK server PortAudio joined was stopped: no abort in PortAudio's JACK host."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.audio_player import AudioPlayer
from app.jack_exit import jack_client_present
from app.system_check import portaudio_problem

REPO = Path(__file__).resolve().parent.parent
needs_portaudio = pytest.mark.skipif(portaudio_problem() is not None, reason="PortAudio is not installed")
# CI has no JACK server: the end-to-end test runs only where jackd is installed (Debian: jackd2).
needs_jackd = pytest.mark.skipif(shutil.which("jackd") is None, reason="jackd is not installed")


def run_python(code: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO),
                            **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


@contextmanager
def dummy_jackd(server: str) -> Iterator[subprocess.Popen]:
    """A JACK server of its own name (not the user's) on the dummy driver, stopped on leaving."""
    jackd = subprocess.Popen(["jackd", "-n", server, "--no-realtime", "-d", "dummy", "-r", "44100", "-p", "1024"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(2)  # the server's start
        yield jackd
    finally:
        jackd.terminate()
        jackd.wait(timeout=30)


EXIT_WITH_CLIENT = """
import atexit, sounddevice
from app.jack_exit import skip_portaudio_exit_if_gone
def terminate():  # stands in for Pa_Terminate, which would abort if PortAudio's JACK server had gone
    print("portaudio terminated")
    sounddevice._initialized = 0
sounddevice._terminate = terminate
atexit.register(skip_portaudio_exit_if_gone, "PortAudio", lambda name: {present})
"""


@needs_portaudio
@pytest.mark.parametrize("present", [True, False])
def test_portaudio_is_ended_at_exit_only_while_its_jack_client_is_there(present):
    output, _ = run_python(EXIT_WITH_CLIENT.format(present=present)).communicate(timeout=60)
    assert ("portaudio terminated" in output) == present, output


@pytest.mark.skipif(ctypes.util.find_library("jack") is None, reason="libjack is not installed")
def test_no_jack_server_means_no_client(monkeypatch):
    monkeypatch.setenv("JACK_DEFAULT_SERVER", f"atelier-test-none-{os.getpid()}")  # a server that is not running
    assert not jack_client_present("PortAudio")  # and the look does not start one


@needs_portaudio
@needs_jackd
def test_quitting_after_the_jack_server_stopped_does_not_abort():
    server = f"atelier-test-{os.getpid()}"
    with dummy_jackd(server):
        app = run_python(
            "from app.system_check import portaudio_problem\n"
            "from app.jack_exit import portaudio_jack_client_name\n"
            "assert portaudio_problem() is None\n"
            "print('joined', portaudio_jack_client_name(), flush=True)\n"
            "input()\n",
            env={"JACK_DEFAULT_SERVER": server}, stdin=subprocess.PIPE)
        assert app.stdout is not None
        joined = app.stdout.readline()
        assert joined.startswith("joined PortAudio"), joined  # PortAudio's JACK host is in the server
    output, _ = app.communicate("quit\n", timeout=60)
    assert app.returncode == 0, output  # was -6 (SIGABRT): pa_jack.c:820 Terminate: Assertion `err == 0' failed


class StreamOnGoneJack:
    touched = False

    def abort(self) -> None:  # Pa_AbortStream on a JACK server that has gone waits forever
        self.touched = True

    close = abort


def test_stop_leaves_a_jack_stream_whose_server_has_gone(monkeypatch, qtbot):
    monkeypatch.setattr("app.audio_player.portaudio_jack_gone", lambda: True)
    player = AudioPlayer()
    stream = StreamOnGoneJack()
    player._stream, player._stream_on_jack = stream, True  # as play() leaves a stream on JACK
    with qtbot.waitSignal(player.stopped, timeout=1000):
        player.stop()
    assert not player.is_playing
    assert not stream.touched


def play_on_jack(script: str) -> tuple[int, str]:
    """Runs a script that plays on a JACK server of its own and stops that server (its pid as {jackd})."""
    server = f"atelier-test-play-{os.getpid()}"
    with dummy_jackd(server) as jackd:
        app = run_python(script.format(jackd=jackd.pid), env={"JACK_DEFAULT_SERVER": server})
        output, _ = app.communicate(timeout=30)
    return app.returncode, output


PLAY_ON_JACK_THEN_STOP = """
import os, signal, sys, time
import numpy as np
from app.audio_player import AudioPlayer
player = AudioPlayer()
assert player.play(np.zeros((44100, 2), np.float32), 44100, loop=True, device="system")
time.sleep(1)
assert player.frames_written > 0
os.kill({jackd}, signal.SIGTERM)
time.sleep(2)
player.stop()
print("stopped", flush=True)
"""


@needs_portaudio
@needs_jackd
def test_stopping_a_sound_after_the_jack_server_stopped_does_not_freeze():
    returncode, output = play_on_jack(PLAY_ON_JACK_THEN_STOP)  # stop() hung forever before (Pa_AbortStream)
    assert returncode == 0 and "stopped" in output, output


PLAY_ON_JACK_THEN_AGAIN = """
import os, signal, time
import numpy as np
from app.audio_player import AudioPlayer
player = AudioPlayer()
said = []
player.failed.connect(said.append)
sound = np.zeros((44100, 2), np.float32)
assert player.play(sound, 44100, loop=True, device="system")
time.sleep(1)
os.kill({jackd}, signal.SIGTERM)
time.sleep(2)
print("played again" if player.play(sound, 44100, loop=True, device="system") else "said: " + said[-1], flush=True)
"""


@needs_portaudio
@needs_jackd
def test_a_sound_after_the_jack_server_stopped_is_not_played_into_silence():
    returncode, output = play_on_jack(PLAY_ON_JACK_THEN_AGAIN)
    assert returncode == 0 and "said: Sound cannot be played" in output, output  # was "played again", unheard
