"""Playback of the selected variation: play, stop, loop, a moving playhead, and A/B switching.

The audio is rendered before Play is pressed, so pressing Play only opens a stream. Switching
variations or tempo while playing keeps the musical position: the new sound starts at the same beat.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.audio_player import AudioPlayer
from app.tabs.compose.jobs import Variation
from models.music import tokens

PLAYHEAD_INTERVAL_MS = 33  # about 30 frames per second


class Transport(QObject):
    playhead_moved = Signal(object)  # beats from the first downbeat, or None when stopped
    playing_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, output_device: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = AudioPlayer(self)
        self.output_device = output_device
        self.loop = False
        self.variation: Variation | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(PLAYHEAD_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self.player.stopped.connect(self._on_stopped)
        self.player.failed.connect(self.failed)

    @property
    def is_playing(self) -> bool:
        return self.player.is_playing

    def _seconds_per_beat(self, variation: Variation) -> float:
        return 60.0 / variation.audio_tempo

    def beats_now(self) -> float | None:
        if not self.is_playing or self.variation is None:
            return None
        seconds = self.player.position_seconds() - self.variation.count_in_seconds
        return seconds / self._seconds_per_beat(self.variation)

    def play(self, variation: Variation, from_beats: float = 0.0) -> bool:
        """Play `variation` (already rendered) from a position in beats; the count-in plays only from the start."""
        audio = variation.audio
        if audio is None:  # its sound is not rendered yet: nothing to play
            return False
        self.variation = variation
        start = 0.0 if from_beats <= 0 else variation.count_in_seconds + from_beats * self._seconds_per_beat(variation)
        # The loop repeats at the melody's length (its bars at this tempo), not the sound's, which rings on for
        # the last note's release: a 16-bar loop at 110 BPM came round 0.8 s late, more than a beat.
        melody_seconds = variation.melody.total_ticks / tokens.TICKS_PER_QUARTER * self._seconds_per_beat(variation)
        ok = self.player.play(audio.samples, audio.sample_rate, loop=self.loop, device=self.output_device,
                              start_seconds=start, loop_start_seconds=variation.count_in_seconds,
                              loop_end_seconds=variation.count_in_seconds + melody_seconds)
        if ok:
            self._timer.start()
            self.playing_changed.emit(True)
        return ok

    def switch_to(self, variation: Variation) -> None:
        """A/B: carry on at the same beat in another variation (or the same one at a new tempo)."""
        beats = self.beats_now()
        if beats is None:
            self.variation = variation
            return
        melody_beats = variation.melody.total_ticks / tokens.TICKS_PER_QUARTER
        self.play(variation, from_beats=max(beats, 0.0) % max(melody_beats, 1e-6))

    def stop(self) -> None:
        self.player.stop()

    def set_loop(self, loop: bool) -> None:
        self.loop = loop
        self.player.loop = loop

    def _tick(self) -> None:
        self.playhead_moved.emit(self.beats_now())

    def _on_stopped(self) -> None:
        if not self.player.is_playing:
            self._timer.stop()
            self.playhead_moved.emit(None)
            self.playing_changed.emit(False)
