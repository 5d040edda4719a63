"""What the machine lacks that some features need (PortAudio, FluidSynth), said in plain words.

The app starts without any of these: it says what is missing once and the rest keeps working.
"""

from __future__ import annotations

import ctypes.util
from dataclasses import dataclass
from functools import cache

from app.jack_exit import guard_portaudio_exit


@dataclass(frozen=True)
class AudioOutput:
    index: int
    name: str
    is_default: bool


@cache
def portaudio_problem() -> str | None:
    """None when sound can be played; otherwise a sentence on why not and how to fix it."""
    try:
        import sounddevice  # noqa: F401  (raises OSError when libportaudio2 is missing)
    except OSError:
        return "Sound playback needs PortAudio: install it with `sudo apt-get install libportaudio2`."
    except ImportError:
        return "Sound playback needs the sounddevice package: reinstall Atelier."
    guard_portaudio_exit()
    return None


@cache
def fluidsynth_problem() -> str | None:
    """None when FluidSynth is there; otherwise why the built-in synthesizer is used instead."""
    if ctypes.util.find_library("fluidsynth") is None:
        return (
            "FluidSynth is not installed, so melodies play with the built-in synthesizer; "
            "for real instruments run `sudo apt-get install libfluidsynth3`."
        )
    return None


def audio_outputs() -> list[AudioOutput]:
    """Output devices PortAudio can see; empty when there is no sound card or no PortAudio."""
    if portaudio_problem() is not None:
        return []
    import sounddevice

    try:
        devices = sounddevice.query_devices()
        default_output = sounddevice.default.device[1]
    except Exception:  # PortAudio raises its own error types when the audio system is absent
        return []
    return [
        AudioOutput(index=i, name=str(device["name"]), is_default=(i == default_output))
        for i, device in enumerate(devices)
        if device.get("max_output_channels", 0) > 0
    ]


def missing_features() -> list[str]:
    """Sentences for the status bar, one per missing system part."""
    return [problem for problem in (portaudio_problem(), fluidsynth_problem()) if problem]
