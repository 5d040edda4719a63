"""Playing rendered audio through sounddevice: play, stop, loop, and a position for the playhead.

The buffer is already rendered (in the tab's worker), so starting is only opening a stream:
sound begins within one audio block. PortAudio calls `_fill` on its own thread; that method
touches only plain numbers and the buffer, never Qt. When there is no PortAudio, no sound card,
or the device goes away mid-play, `failed` carries a sentence and the rest of the app goes on.
"""

from __future__ import annotations

import threading
import time

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.jack_exit import JACK_HOST_API, portaudio_jack_gone
from app.log import logger
from app.system_check import portaudio_problem

BLOCK_FRAMES = 1024  # 23 ms at 44.1 kHz: short enough for a prompt start
# How far playback may run ahead of the clock. A sound card takes frames at its own rate and never gets near it;
# an output that is not paced (the ALSA null device of the tests and the soak, a file) takes them as fast as they
# come: a loop ran ~500x faster than real time (140 M frames in 6 s), PortAudio's thread holding the GIL in `_fill`
# all along, and the UI thread waited for it (the soak's "Play and loop" stall, 415 ms measured). Past this lead the
# callback sleeps: such an output plays in real time after the first half minute.
AHEAD_LIMIT_SECONDS = 30.0
# A playing stream whose callback has not run for this long has died (its JACK server stopped, its device pulled): a
# new sound goes on a new stream, which plays or says why not, instead of on the dead one, in silence.
STALLED_SECONDS = 1.0


class AudioPlayer(QObject):
    started = Signal()
    stopped = Signal()  # played to the end, or stopped by the user
    failed = Signal(str)  # a sentence for the user

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._stream = None
        self._finished_stream = None
        self._samples = np.zeros((0, 2), dtype=np.float32)
        self._sample_rate = 44100
        self._position = 0
        self._loop_start = 0
        self._loop_end = 0
        # A loop's first frames with the sound's ring past its end mixed in, heard from the second time round: the
        # loop repeats in time (at the melody's length, not the sound's) and the last note still rings into the first.
        self._wrap_head = np.zeros((0, 2), dtype=np.float32)
        self._repeating = False
        self.loop = False
        self.frames_written = 0  # counted for the tests and the level meter
        self._started_at = 0.0  # time.monotonic() when play() began
        self._stream_format: tuple[int, int, str] | None = None  # the open stream's rate, channels and device
        self._ending = False  # `_fill` has stopped the stream (the sound's end): no other sound can go on it
        self._stream_on_jack = False  # the open stream plays through PortAudio's JACK host
        self._last_fill = 0.0  # time.monotonic() when the stream last asked for sound (or was given a new one)

    @property
    def is_playing(self) -> bool:
        return self._stream is not None

    def position_seconds(self) -> float:
        with self._lock:
            return self._position / self._sample_rate

    def duration_seconds(self) -> float:
        return len(self._samples) / self._sample_rate

    def play(self, samples: np.ndarray, sample_rate: int, *, loop: bool = False, device: str = "",
             start_seconds: float = 0.0, loop_start_seconds: float = 0.0, loop_end_seconds: float | None = None
             ) -> bool:
        """Start playing `samples` (frames x 2, float32) from `start_seconds`; False if it cannot.

        A loop goes back to `loop_start_seconds`, so a count-in bar is heard only once, when it reaches
        `loop_end_seconds` (the music's end; None: the sound's), and what sounds past that point rings on into the
        next time round. While a sound of the same format plays, the new one takes its place on the open stream,
        from the next block.
        """
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        loop_points = (loop_start_seconds, loop_end_seconds)
        if self._switch(samples, sample_rate, device, loop, start_seconds, loop_points):
            self.started.emit()
            return True
        self.stop()
        problem = portaudio_problem()
        if problem is not None:
            self.failed.emit(problem)
            return False
        import sounddevice

        with self._lock:
            self._put(samples, sample_rate, loop, start_seconds, loop_points)
            self._ending = False
        try:
            stream = sounddevice.OutputStream(
                samplerate=sample_rate,
                channels=self._samples.shape[1],
                dtype="float32",
                blocksize=BLOCK_FRAMES,
                device=device or None,
                callback=self._fill,
                finished_callback=self._on_stream_finished,
            )
            # Known before it starts: a short sound may finish before start() returns.
            self._stream, self._stream_format = stream, (sample_rate, samples.shape[1], device)
            host_api = sounddevice.query_devices(stream.device)["hostapi"]
            self._stream_on_jack = sounddevice.query_hostapis(host_api)["name"] == JACK_HOST_API
            self.started.emit()
            stream.start()
        except Exception as error:  # PortAudioError, ValueError for an unknown device name, ...
            logger.warning("audio playback could not start: %s", error)
            self._stream = None
            self.failed.emit(_playback_message(error, device))
            return False
        return True

    def _switch(self, samples: np.ndarray, sample_rate: int, device: str, loop: bool, start_seconds: float,
                loop_points: tuple[float, float | None]) -> bool:
        """Another sound on the stream already playing, if it can take it. Closing and opening a stream for each A/B
        switch, tempo change or regenerated bar left a gap in the sound and blocked the UI thread: 60-470 ms to open
        and 60-570 ms to close a JACK stream at load 13 (0-20 ms on the null device), every switch both."""
        if self._stream is None or self._stream_format != (sample_rate, samples.shape[1], device):
            return False
        with self._lock:
            if self._ending:  # played to its end: the stream is stopping
                return False
            if time.monotonic() - self._last_fill > STALLED_SECONDS:
                logger.warning("the audio stream stopped asking for sound: a new one is opened")
                return False
            self._put(samples, sample_rate, loop, start_seconds, loop_points)
        return True

    def _put(self, samples: np.ndarray, sample_rate: int, loop: bool, start_seconds: float,
             loop_points: tuple[float, float | None]) -> None:
        # Under the lock.
        start, end = loop_points
        self._samples = samples
        self._sample_rate = sample_rate
        self._position = min(int(start_seconds * sample_rate), len(self._samples))
        self._loop_start = min(int(start * sample_rate), max(len(self._samples) - 1, 0))
        self._loop_end = len(samples) if end is None else min(max(round(end * sample_rate), self._loop_start + 1),
                                                              len(samples))
        ring = samples[self._loop_end :][: self._loop_end - self._loop_start]
        self._wrap_head = samples[self._loop_start : self._loop_start + len(ring)] + ring
        self._repeating = False
        self.loop = loop
        self.frames_written = 0
        self._started_at = self._last_fill = time.monotonic()

    def stop(self) -> None:
        self._close_finished_stream()
        stream, self._stream = self._stream, None
        if stream is None:
            return
        if self._stream_on_jack and portaudio_jack_gone():
            # Pa_AbortStream would wait forever for the process thread of a JACK server that has gone: the UI froze.
            logger.warning("the JACK server went while playing: its stream is left, not closed")
            self.stopped.emit()
            return
        try:
            stream.abort()
            stream.close()
        except Exception as error:  # the device may already be gone
            logger.warning("closing the audio stream: %s", error)
        self.stopped.emit()

    def _fill(self, out: np.ndarray, frames: int, _time, status) -> None:
        # Runs on PortAudio's thread.
        import sounddevice

        with self._lock:
            self._last_fill = time.monotonic()
            written = 0
            while written < frames:
                remaining = (self._loop_end if self.loop else len(self._samples)) - self._position
                if remaining <= 0:
                    if self.loop and len(self._samples):
                        self._position, self._repeating = self._loop_start, True
                        continue
                    out[written:] = 0
                    self.frames_written += written
                    self._ending = True
                    raise sounddevice.CallbackStop()
                take = min(frames - written, remaining)
                into_head = self._position - self._loop_start
                if self._repeating and 0 <= into_head < len(self._wrap_head):
                    take = min(take, len(self._wrap_head) - into_head)
                    out[written : written + take] = self._wrap_head[into_head : into_head + take]
                else:
                    out[written : written + take] = self._samples[self._position : self._position + take]
                self._position += take
                written += take
            self.frames_written += written
            ahead = self.frames_written / self._sample_rate - (time.monotonic() - self._started_at)
        if ahead > AHEAD_LIMIT_SECONDS:  # an output that is not paced: wait (releasing the GIL), outside the lock
            time.sleep(min(ahead - AHEAD_LIMIT_SECONDS, BLOCK_FRAMES / self._sample_rate))  # stop() waits for it

    def _on_stream_finished(self) -> None:
        # Runs on PortAudio's thread; a queued signal brings the news to the UI thread. A stream
        # cannot be closed from its own callback: the next play() or stop() closes it.
        if self._stream is not None:
            self._finished_stream, self._stream = self._stream, None
            self.stopped.emit()

    def _close_finished_stream(self) -> None:
        stream, self._finished_stream = self._finished_stream, None
        if stream is not None:
            stream.close()


def _playback_message(error: Exception, device: str) -> str:
    text = str(error)
    if device and ("No such device" in text or "No device" in text or isinstance(error, ValueError)):
        return f"The audio output “{device}” is not available. Choose another in Preferences; export still works."
    return (
        "Sound cannot be played on this computer right now (no audio output was found). "
        "You can still export MIDI and WAV."
    )
