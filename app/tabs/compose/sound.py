"""The variations' sound: each rendered once at the current tempo and count-in on the tab's worker (the
selected one first), and played by the transport. Play waits for the sound it needs; switching variations
while playing keeps the beat (A/B)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from app.tabs.compose import jobs
from app.tabs.compose.controls import ComposeControls
from app.tabs.compose.jobs import Variation
from app.tabs.compose.transport import Transport
from app.tabs.compose.variation_list import VariationList
from app.worker import JobHandle

RunJob = Callable[..., Any]  # ActivityTab.run_job

# Variations whose rendered sound is kept (a whole Generate's worth, for A/B without waiting). Every morph and
# edit adds variations, and each sound is 10-20 MB: the soak run grew ~19 MB a morph until this bound.
SOUNDS_KEPT = 16


class VariationSound(QObject):
    def __init__(self, run_job: RunJob, variation_list: VariationList, controls: ComposeControls,
                 transport: Transport, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run_job, self.variation_list, self.controls, self.transport = run_job, variation_list, controls, transport
        self.play_when_rendered = False
        # The renders queued, by (melody id, tempo, count-in). A cancelled one (Esc) is not coming: after Esc, Play
        # waited for it and did nothing, for good (seen under Xvfb). Its job calls back neither way.
        self._queued: dict[tuple[int, float, bool], JobHandle] = {}
        self._with_sound: list[object] = []  # melodies whose sound is kept, the most recently rendered last

    def wanted(self) -> tuple[float, bool]:
        return self.controls.tempo_spin.value(), self.controls.count_in_check.isChecked()

    def ready(self, variation: Variation) -> bool:
        return variation.audio_ready(*self.wanted())

    def render(self, variation: Variation) -> None:
        """Queue a render of `variation` at the current tempo, unless its sound is ready or already coming."""
        tempo, count_in = self.wanted()
        key = (id(variation.melody), tempo, count_in)
        coming = self._queued.get(key)
        if variation.audio_ready(tempo, count_in) or (coming is not None and not coming.cancel_event.is_set()):
            return

        def rendered(result: Variation) -> None:
            self._queued.pop(key, None)
            self._arrived(result)

        self._queued[key] = self.run_job("Rendering", jobs.rerender(variation, tempo, count_in), rendered,
                                         lambda _: self._queued.pop(key, None))

    def render_all(self, variations: list[Variation], first: Variation | None) -> None:
        for variation in ([first] if first is not None else []) + [v for v in variations if v is not first]:
            self.render(variation)

    def render_selected(self, *_: object) -> None:
        variation = self.variation_list.variation()
        if variation is not None:
            self.render(variation)

    def toggle_play(self) -> None:
        if self.transport.is_playing:
            self.transport.stop()
            return
        variation = self.variation_list.variation()
        if variation is None:
            return
        if self.ready(variation):
            self.transport.play(variation)
        else:
            self.play_when_rendered = True
            self.render_selected()

    def follow_selection(self, variation: Variation) -> None:
        """A/B: while playing, the same beat in the newly selected variation, as soon as its sound is there."""
        if self.transport.is_playing:
            if self.ready(variation):
                self.transport.switch_to(variation)
            else:
                self.render(variation)

    def _arrived(self, variation: Variation) -> None:
        """A variation's sound has been rendered: keep it, and play it if the user is waiting for it."""
        row = self.variation_list.row_of(variation.melody)  # None: a variation of an older Generate
        if row is not None:
            # Kept while its sound was rendered: the copy the job made before then is kept too (closing asked again).
            shown = self.variation_list.variation(row)
            variation.kept = variation.kept or (shown is not None and shown.kept)
            self.variation_list.put(row, variation)
            self._keep_sound_of(variation.melody)
        selected = self.variation_list.variation()
        if selected is None or selected.melody is not variation.melody or not self.ready(variation):
            return
        self.variation_list.tempo = variation.audio_tempo
        if self.transport.is_playing:
            self.transport.switch_to(variation)
        elif self.play_when_rendered:
            self.play_when_rendered = False
            self.transport.play(variation)

    def _keep_sound_of(self, melody: object) -> None:
        """Note that `melody` has its sound; let go of the sound of the least recently rendered beyond SOUNDS_KEPT."""
        self._with_sound = [m for m in self._with_sound if m is not melody] + [melody]
        while len(self._with_sound) > SOUNDS_KEPT:
            oldest = self._with_sound.pop(0)
            row = self.variation_list.row_of(oldest)
            if row is not None:
                evicted = self.variation_list.variation(row)
                if evicted is not None:
                    self.variation_list.put(row, evicted.without_sound())
