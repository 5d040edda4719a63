"""The Compose tab: controls on the left, variations and the piano roll in the middle, kept melodies on the right."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.paths import drag_dir, melodies_dir, melody_styles_dir
from app.settings import Settings
from app.store import Store
from app.tabs.activity_tab import ActivityTab, action_button
from app.tabs.compose import jobs
from app.tabs.compose.controls import ComposeControls
from app.tabs.compose.export import export_job, file_stem, write_midi
from app.tabs.compose.jobs import Variation
from app.tabs.compose.keyboard import OnScreenKeyboard
from app.tabs.compose.piano_roll import PianoRollView, RollChord, RollContent, RollNote, note_name
from app.tabs.compose.transport import Transport
from app.worker import JobHandle
from models.music.request import MelodyRequest

MOTIF_LENGTHS = {"Sixteenth": 0.25, "Eighth": 0.5, "Dotted eighth": 0.75, "Quarter": 1.0, "Dotted quarter": 1.5,
                 "Half": 2.0}


def roll_content(variation: Variation) -> RollContent:
    from models.music import tokens

    melody = variation.melody
    per_quarter = tokens.TICKS_PER_QUARTER
    motif_ticks = sum(round(length * per_quarter) for _, length in variation.request.motif)
    notes = [RollNote(n.onset / per_quarter, n.duration / per_quarter, n.pitch, n.velocity, n.onset < motif_ticks)
             for n in melody.notes()]
    chords = [RollChord(c.onset / per_quarter, c.duration / per_quarter, c.numeral) for c in melody.chords]
    return RollContent(notes, chords, melody.meter.bar_ticks / per_quarter, melody.bars,
                       melody.meter.beat_ticks / per_quarter)


class VariationList(QListWidget):
    """The variations of the last Generate; drag one out to a file manager or a DAW as a .mid file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Variations")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSpacing(2)  # room between the labels' contour blocks, which are as tall as a line
        self.tempo = 110.0

    def variation(self, row: int | None = None) -> Variation | None:
        item = self.item(self.currentRow() if row is None else row)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def add_variation(self, variation: Variation) -> None:
        item = QListWidgetItem()
        self.addItem(item)
        self.set_variation(self.count() - 1, variation)

    def set_variation(self, row: int, variation: Variation) -> None:
        item = self.item(row)
        item.setData(Qt.ItemDataRole.UserRole, variation)
        item.setText(f"{row + 1}. {variation.title}")  # its place in this list (a melody opened from Chat joins it)
        item.setToolTip(variation.full_title)

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        folder = drag_dir()
        urls = []
        for item in items:
            variation = item.data(Qt.ItemDataRole.UserRole)
            path = write_midi(folder / f"{file_stem(variation)}.mid", variation, self.tempo)
            urls.append(QUrl.fromLocalFile(str(path)))
        mime = QMimeData()
        mime.setUrls(urls)
        return mime


class ComposeTab(ActivityTab):
    title = "Compose"

    def __init__(self, store: Store, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(settings, parent)
        self.store = store
        self.motif: list[tuple[int | None, float]] = []
        self._generate_job: JobHandle | None = None
        self._play_when_rendered = False
        self._renders_queued: set[tuple[int, float, bool]] = set()
        self._regenerations = 0  # seeds for Regenerate bars: a new one every time
        self._redo: dict[int, Variation] = {}  # id of a melody Undo went back to -> the variation it undid
        self.transport = Transport(settings.get("audio_output"), self)

        self.splitter.addWidget(self._build_controls())
        self.splitter.addWidget(self._build_work_area())
        self.splitter.addWidget(self._build_history())
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 640, 220])

        self.worker.job_failed.connect(self._on_job_failed)
        self.worker.job_cancelled.connect(self._on_job_cancelled)
        self.transport.playhead_moved.connect(self.piano_roll.set_playhead)
        self.transport.playing_changed.connect(self._on_playing_changed)
        self.transport.failed.connect(self.show_error)
        self.controls.tempo_changed.connect(self._rerender_selected)
        self.controls.count_in_changed.connect(lambda _: self._rerender_selected())
        self.refresh_history()

    # Layout ------------------------------------------------------------------------------------

    def _build_controls(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        self.controls = ComposeControls(melody_styles_dir())
        layout.addWidget(self.controls)
        self.generate_button = QPushButton("Generate")
        self.generate_button.setAccessibleName("Generate")
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip("Write new melodies (Ctrl+Enter)")
        self.generate_button.clicked.connect(self.generate)
        layout.addWidget(self.generate_button)

        motif_box = QGroupBox("Continue a motif")
        motif_layout = QVBoxLayout(motif_box)
        self.motif_label = QLabel("No motif: melodies start fresh.")
        self.motif_label.setWordWrap(True)
        self.motif_label.setAccessibleName("Motif")
        motif_layout.addWidget(self.motif_label)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.note_played.connect(lambda pitch: self.add_motif_note(pitch))
        motif_layout.addWidget(self.keyboard)
        row = QHBoxLayout()
        self.motif_length_combo = QComboBox()
        self.motif_length_combo.setAccessibleName("Motif note length")
        self.motif_length_combo.addItems(list(MOTIF_LENGTHS))
        self.motif_length_combo.setCurrentText("Quarter")
        row.addWidget(self.motif_length_combo)
        for text, slot in (("Rest", lambda: self.add_motif_note(None)), ("⌫", self.remove_last_motif_note),
                           ("Clear", self.clear_motif)):
            button = QPushButton(text)
            button.setAccessibleName(f"Motif {text if text != '⌫' else 'remove last note'}")
            button.clicked.connect(slot)
            row.addWidget(button)
        motif_layout.addLayout(row)
        open_button = QPushButton("Open MIDI motif…")
        open_button.clicked.connect(self.choose_motif_file)
        motif_layout.addWidget(open_button)
        layout.addWidget(motif_box)

        train_button = QPushButton("Train your own style…")
        train_button.setAccessibleName("Train your own style")
        train_button.clicked.connect(self.show_train_dialog)
        layout.addWidget(train_button)
        layout.addStretch(1)

        return self.scrolling(panel)

    def _build_work_area(self) -> QWidget:
        area = QWidget()
        layout = QVBoxLayout(area)
        self.error_label = QLabel()
        self.error_label.setAccessibleName("Compose message")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #e07a5f;")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        self.variation_list = VariationList()
        self.variation_list.currentRowChanged.connect(self._on_variation_selected)
        # What the variations share, said once above them; each list entry says what sets it apart.
        self.recipe_label = QLabel()
        self.recipe_label.setAccessibleName("Variations recipe")
        transport = QHBoxLayout()
        self.play_button = action_button("▶ Play", "Play", "Play or stop (Space)", self.toggle_play)
        self.loop_check = QCheckBox("Loop")
        self.loop_check.setAccessibleName("Loop")
        self.loop_check.setToolTip("Loop (L)")
        self.loop_check.toggled.connect(self.transport.set_loop)
        self.keep_button = action_button("☆ Keep", "Keep", "Keep this melody in the history (Ctrl+S)",
                                         self.keep_selected)
        self.export_button = action_button("Export…", "Export",
                                           "Export as MIDI or WAV (Ctrl+E); or drag a variation into your DAW",
                                           self.export_selected)
        for widget in (self.play_button, self.loop_check, self.keep_button, self.export_button):
            transport.addWidget(widget)
        transport.addStretch(1)

        editing = QHBoxLayout()
        self.first_bar_spin, self.last_bar_spin = QSpinBox(), QSpinBox()
        for spin, which in ((self.first_bar_spin, "First"), (self.last_bar_spin, "Last")):
            spin.setAccessibleName(f"{which} bar to regenerate")
            spin.setRange(1, 1)
        # The range stays a range: moving one end past the other drags it along.
        first, last = self.first_bar_spin, self.last_bar_spin
        first.valueChanged.connect(lambda value: last.setValue(max(value, last.value())))
        last.valueChanged.connect(lambda value: first.setValue(min(value, first.value())))
        self.regenerate_button = action_button("↻ Regenerate bars", "Regenerate bars",
                                               "Write these bars again and keep every other note (Ctrl+R)",
                                               self.regenerate_bars)
        self.undo_button = action_button("↶ Undo", "Undo regenerate",
                                         "Go back to the melody before the last regenerate (Ctrl+Z; "
                                         "Ctrl+Shift+Z redoes it)", self.undo_edit)
        editing.addWidget(QLabel("Bars"))
        editing.addWidget(self.first_bar_spin)
        editing.addWidget(QLabel("to"))
        editing.addWidget(self.last_bar_spin)
        editing.addWidget(self.regenerate_button)
        editing.addWidget(self.undo_button)
        editing.addStretch(1)

        morphing = QHBoxLayout()
        self.morph_target = QComboBox()
        self.morph_target.setAccessibleName("Morph into variation")
        self.morph_count = QSpinBox()
        self.morph_count.setAccessibleName("In-between melodies")
        self.morph_count.setRange(1, 8)
        self.morph_count.setValue(3)
        self.morph_button = action_button("⇝ Morph", "Morph", "Add melodies on the way from the selected variation "
                                          "to another one (4/4 or 2/2, an even number of bars)", self.morph_selected)
        morphing.addWidget(QLabel("Morph into variation"))
        morphing.addWidget(self.morph_target)
        morphing.addWidget(QLabel("in"))
        morphing.addWidget(self.morph_count)
        morphing.addWidget(QLabel("steps"))
        morphing.addWidget(self.morph_button)
        morphing.addStretch(1)

        self.piano_roll = PianoRollView()
        self.piano_roll.bars_selected.connect(self._set_bar_range)
        for spin in (self.first_bar_spin, self.last_bar_spin):
            spin.valueChanged.connect(
                lambda _: self.piano_roll.set_selection(self.first_bar_spin.value(), self.last_bar_spin.value()))
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.recipe_label)
        top_layout.addWidget(self.variation_list)
        top_layout.addLayout(transport)
        top_layout.addLayout(editing)
        top_layout.addLayout(morphing)
        split.addWidget(top)
        split.addWidget(self.piano_roll)
        split.setSizes([180, 420])
        layout.addWidget(split)
        self._set_transport_enabled(False)
        return area

    def _build_history(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(QLabel("<b>Kept melodies</b>"))
        self.history_list = QListWidget()
        self.history_list.setAccessibleName("Kept melodies")
        self.history_list.setWordWrap(True)  # a label's recipe part follows on the next line
        self.history_list.setToolTip("Double-click to reopen a kept melody exactly")
        self.history_list.itemActivated.connect(self.reopen)
        layout.addWidget(self.history_list)
        return panel

    # Generating --------------------------------------------------------------------------------

    def primary_action(self) -> bool:
        self.generate()
        return True

    def generate(self, request: MelodyRequest | None = None, select: int = 0,
                 edits: tuple[tuple[int, int, int], ...] = (),
                 morph: tuple[int, int, int, int] | None = None) -> JobHandle:
        """Write new variations (replacing a generate still running: the newest request wins).

        Reopening a kept melody passes what was done to it afterwards: `morph` makes the in-between
        melodies again (and selects the kept one), `edits` regenerates its bars again.
        """
        if self._generate_job is not None:
            self._generate_job.cancel()
        request = request or self.controls.request(tuple(self.motif))
        self.hide_error()
        self._generate_job = self.run_job("Composing", jobs.generate_melodies(request, (melody_styles_dir(),)),
                                          lambda variations: self._on_generated(variations, select, edits, morph))
        self.generate_button.setText("Generating…")
        return self._generate_job

    def _on_generated(self, variations: list[Variation], select: int,
                      edits: tuple[tuple[int, int, int], ...] = (),
                      morph: tuple[int, int, int, int] | None = None) -> None:
        self._generate_job = None
        self.generate_button.setText("Generate")
        if morph is not None and max(morph[0], morph[1]) < len(variations):
            a, b, count, which = morph
            self.run_job("Morphing", jobs.morph(variations[a], variations[b], count, len(variations)),
                         lambda between: self._on_generated(variations + between, len(variations) + which - 1, edits))
            return
        if edits and 0 <= select < len(variations):
            # Replay the recorded edits before showing anything, so the kept melody appears as it was.
            self.run_job("Regenerating bars", jobs.regenerate(variations[select], edits, (melody_styles_dir(),)),
                         lambda edited: self.show_variations(
                             [edited if v is variations[select] else v for v in variations], select))
            return
        self.show_variations(variations, select)

    # Editing -----------------------------------------------------------------------------------

    def regenerate_bars(self) -> JobHandle | None:
        """Write the chosen bars of the selected variation again (exact infilling), keeping the rest."""
        variation = self.selected_variation()
        if variation is None:
            return None
        self._regenerations += 1
        seed = variation.request.seed * 1000 + self._regenerations
        edit = ((self.first_bar_spin.value(), self.last_bar_spin.value(), seed),)
        self._redo.pop(id(variation.melody), None)  # a new edit ends what Redo could bring back
        self.hide_error()
        return self.run_job("Regenerating bars", jobs.regenerate(variation, edit, (melody_styles_dir(),)),
                            lambda edited: self._swap_variation(variation, edited))

    def morph_selected(self) -> JobHandle | None:
        """Add in-between melodies from the selected variation to the one chosen in "Morph into"."""
        a, row = self.selected_variation(), self.morph_target.currentData()
        b = self.variation_list.variation(row) if row is not None else None
        if a is None or b is None:
            return None
        self.hide_error()
        return self.run_job("Morphing", jobs.morph(a, b, self.morph_count.value(), self.variation_list.count()),
                            self._add_variations)

    def _add_variations(self, variations: list[Variation]) -> None:
        first = self.variation_list.count()
        for variation in variations:
            self.variation_list.add_variation(variation)
        self.variation_list.setCurrentRow(first)
        for variation in variations:
            self._render(variation)

    def _set_bar_range(self, first: int, last: int) -> None:
        # Set the far end first, so that dragging one spin box never pushes the other.
        if first > self.last_bar_spin.value():
            self.last_bar_spin.setValue(last)
            self.first_bar_spin.setValue(first)
        else:
            self.first_bar_spin.setValue(first)
            self.last_bar_spin.setValue(last)

    def undo_edit(self) -> bool:
        variation = self.selected_variation()
        if variation is None or variation.previous is None:
            return False
        self._redo[id(variation.previous.melody)] = variation
        self._swap_variation(variation, variation.previous)
        return True

    def redo_edit(self) -> bool:
        variation = self.selected_variation()
        undone = self._redo.pop(id(variation.melody), None) if variation is not None else None
        if undone is None:
            return False
        self._swap_variation(variation, undone)
        return True

    def _swap_variation(self, old: Variation, new: Variation) -> None:
        """Put `new` where `old` is in the list (if it is still there), select it and render its sound."""
        for row in range(self.variation_list.count()):
            item = self.variation_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole).melody is old.melody:  # its sound may have arrived since
                if self.transport.is_playing:
                    self.transport.stop()
                self.variation_list.set_variation(row, new)
                if self.variation_list.currentRow() == row:
                    self._on_variation_selected(row)
                else:
                    self.variation_list.setCurrentRow(row)
                self._render(new)
                return

    def _on_job_failed(self, handle: JobHandle, message: str) -> None:
        if handle is self._generate_job:
            self._generate_job = None
        self._play_when_rendered = False
        self.show_error(message)

    def _on_job_cancelled(self, handle: JobHandle) -> None:
        if handle is self._generate_job:
            self._generate_job = None
            self.generate_button.setText("Generate")

    def show_variations(self, variations: list[Variation], select: int = 0) -> None:
        self.variation_list.clear()
        for variation in variations:
            self.variation_list.add_variation(variation)
        self.variation_list.tempo = self.controls.tempo_spin.value()
        self._set_transport_enabled(bool(variations))
        self.variation_list.setCurrentRow(min(select, len(variations) - 1))
        selected = self.selected_variation()
        for variation in [selected] + [v for v in variations if v is not selected]:  # the selected one first
            self._render(variation)

    def open_melody(self, variation: Variation) -> None:
        """A melody made elsewhere (Chat): its recipe goes into the controls (its tempo too, so exports keep
        it), and it joins the variations below the ones already there, which are not lost."""
        self.controls.show_request(variation.request)
        # Its sound may have been rendered again since it joined: the melody is what identifies it.
        melodies = [self.variation_list.variation(row).melody for row in range(self.variation_list.count())]
        present = any(melody is variation.melody for melody in melodies)
        if not present:
            self.variation_list.add_variation(variation)
        self.variation_list.tempo = self.controls.tempo_spin.value()
        self._set_transport_enabled(True)
        row = next((row for row, melody in enumerate(melodies) if melody is variation.melody), len(melodies))
        self.variation_list.setCurrentRow(row)
        self._render(self.variation_list.variation(row))
        if melodies and not present:
            self.show_info(f"Opened as variation {row + 1}; the {len(melodies)} above are still here.")

    def _audio_ready(self, variation: Variation) -> bool:
        return variation.audio_ready(self.controls.tempo_spin.value(), self.controls.count_in_check.isChecked())

    def _render(self, variation: Variation) -> None:
        """Queue a render of `variation` at the current tempo, unless its sound is ready or already coming."""
        tempo, count_in = self.controls.tempo_spin.value(), self.controls.count_in_check.isChecked()
        wanted = (id(variation.melody), tempo, count_in)
        if variation.audio_ready(tempo, count_in) or wanted in self._renders_queued:
            return
        self._renders_queued.add(wanted)

        def rendered(result: Variation) -> None:
            self._renders_queued.discard(wanted)
            self._replace_variation(result)

        self.run_job("Rendering", jobs.rerender(variation, tempo, count_in), rendered,
                     lambda _: self._renders_queued.discard(wanted))

    def _on_variation_selected(self, row: int) -> None:
        variation = self.variation_list.variation(row)
        self.undo_button.setEnabled(variation is not None and variation.previous is not None)
        self.recipe_label.setText(variation.recipe_summary if variation is not None else "")
        if variation is None:
            self.piano_roll.set_content(None)
            return
        self.morph_target.clear()
        for other in range(self.variation_list.count()):
            if other != row:
                self.morph_target.addItem(str(other + 1), other)
        bars = variation.melody.bars
        for spin in (self.first_bar_spin, self.last_bar_spin):
            spin.setMaximum(bars)
        if self.first_bar_spin.value() == self.last_bar_spin.value() == 1 and bars > 1:
            self.first_bar_spin.setValue(max(1, bars // 2))  # a first guess: the second half's opening bar
            self.last_bar_spin.setValue(max(1, bars // 2))
        self.piano_roll.set_content(roll_content(variation))
        self.piano_roll.set_selection(self.first_bar_spin.value(), self.last_bar_spin.value())
        if self.transport.is_playing:  # A/B: the same beat in the other variation, as soon as its sound is there
            if self._audio_ready(variation):
                self.transport.switch_to(variation)
            else:
                self._render(variation)

    def _replace_variation(self, variation: Variation) -> None:
        """A variation's sound has been rendered: keep it, and play it if the user is waiting for it."""
        for row in range(self.variation_list.count()):
            item = self.variation_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole).melody is variation.melody:  # not one from an older Generate
                item.setData(Qt.ItemDataRole.UserRole, variation)
        selected = self.selected_variation()
        if selected is None or selected.melody is not variation.melody or not self._audio_ready(variation):
            return
        self.variation_list.tempo = variation.audio_tempo
        if self.transport.is_playing:
            self.transport.switch_to(variation)
        elif self._play_when_rendered:
            self._play_when_rendered = False
            self.transport.play(variation)

    def _rerender_selected(self, *_: object) -> None:
        variation = self.selected_variation()
        if variation is not None:
            self._render(variation)

    def selected_variation(self) -> Variation | None:
        return self.variation_list.variation()

    # Playback ----------------------------------------------------------------------------------

    def toggle_play(self) -> None:
        if self.transport.is_playing:
            self.transport.stop()
            return
        variation = self.selected_variation()
        if variation is None:
            return
        if self._audio_ready(variation):
            self.transport.play(variation)
        else:
            self._play_when_rendered = True
            self._rerender_selected()

    def _on_playing_changed(self, playing: bool) -> None:
        self.play_button.setText("■ Stop" if playing else "▶ Play")

    def _set_transport_enabled(self, enabled: bool) -> None:
        for widget in (self.play_button, self.keep_button, self.export_button, self.regenerate_button,
                       self.first_bar_spin, self.last_bar_spin, self.morph_button, self.morph_target,
                       self.morph_count):
            widget.setEnabled(enabled)
        if not enabled:
            self.undo_button.setEnabled(False)

    # Motif -------------------------------------------------------------------------------------

    def add_motif_note(self, pitch: int | None) -> None:
        self.motif.append((pitch, MOTIF_LENGTHS[self.motif_length_combo.currentText()]))
        self._show_motif()

    def remove_last_motif_note(self) -> None:
        if self.motif:
            self.motif.pop()
        self._show_motif()

    def clear_motif(self) -> None:
        self.motif = []
        self._show_motif()

    def set_motif(self, motif: list[tuple[int | None, float]]) -> None:
        self.motif = list(motif)
        self._show_motif()

    def _show_motif(self) -> None:
        if not self.motif:
            self.motif_label.setText("No motif: melodies start fresh.")
            return
        names = [("rest" if pitch is None else note_name(pitch)) + f" ({length:g})" for pitch, length in self.motif]
        self.motif_label.setText(f"Motif, {len(self.motif)} notes: " + " ".join(names))

    def choose_motif_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a MIDI motif", "", "MIDI files (*.mid *.midi *.kar)")
        if path:
            self.open_motif_file(Path(path))

    def open_motif_file(self, path: Path) -> JobHandle:
        def read(motif) -> None:
            self.set_motif(list(motif))
            self.file_used.emit(path)

        return self.run_job(f"Reading {path.name}", jobs.read_motif(path), read)

    # Keep, reopen, export ----------------------------------------------------------------------

    def keep_selected(self) -> int | None:
        variation = self.selected_variation()
        if variation is None:
            return None
        stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{file_stem(variation)}"
        path = write_midi(melodies_dir() / f"{stem}.mid", variation, self.controls.tempo_spin.value())
        params = {**variation.request.to_json(), "variation": variation.index,
                  "tempo": self.controls.tempo_spin.value(), "edits": [list(edit) for edit in variation.edits],
                  "morph": list(variation.morph) if variation.morph else None}
        item_id = self.store.add_item("melody", title=variation.full_title, model=variation.request.style,
                                      params=params, seed=variation.request.seed, paths=[str(path)], starred=True)
        self.refresh_history()
        self.show_info(f"Kept “{variation.full_title}”.")
        return item_id

    def refresh_history(self) -> None:
        self.history_list.clear()
        for item in self.store.items("melody", starred_only=True):
            # The time it was kept comes first: two keeps of one recipe differ in it at least.
            entry = QListWidgetItem(f"{time.strftime('%H:%M', time.localtime(item.created_at))} · {item.title}")
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            entry.setToolTip(", ".join(f"{k}: {v}" for k, v in item.params.items() if k != "motif"))
            self.history_list.addItem(entry)

    def reopen(self, entry: QListWidgetItem) -> JobHandle | None:
        item = self.store.item(entry.data(Qt.ItemDataRole.UserRole))
        if item is None:
            return None
        request = MelodyRequest.from_json(item.params)
        request = dataclasses.replace(request, tempo=float(item.params.get("tempo", request.tempo)))
        self.controls.show_request(request)
        self.set_motif(list(request.motif))
        edits = tuple(tuple(int(x) for x in edit) for edit in item.params.get("edits", []))
        morph = tuple(int(x) for x in item.params["morph"]) if item.params.get("morph") else None
        return self.generate(request, select=int(item.params.get("variation", 0)), edits=edits, morph=morph)

    def export_selected(self) -> JobHandle | None:
        variation = self.selected_variation()
        if variation is None:
            return None
        path, _ = QFileDialog.getSaveFileName(self, "Export melody", f"{file_stem(variation)}.mid",
                                              "MIDI file (*.mid);;WAV audio (*.wav)")
        return self.export_to(Path(path)) if path else None

    def export_to(self, path: Path) -> JobHandle | None:
        variation = self.selected_variation()
        if variation is None:
            return None
        if path.suffix.lower() not in (".mid", ".midi", ".wav"):
            path = path.with_suffix(".mid")
        return self.run_job(f"Exporting {path.name}", export_job(variation, path, self.controls.tempo_spin.value()),
                            self._exported)

    def _exported(self, written: Path) -> None:
        self.show_info(f"Exported {written.name}.")
        self.file_used.emit(written)

    # File and Edit menus (app/menus.py) ---------------------------------------------------------

    def export(self) -> bool:
        return self.export_selected() is not None

    def undo(self) -> bool:
        return self.undo_edit()

    def redo(self) -> bool:
        return self.redo_edit()

    # Training ----------------------------------------------------------------------------------

    def show_train_dialog(self):
        from app.tabs.compose.train_dialog import TrainMelodyStyleDialog

        dialog = TrainMelodyStyleDialog(melody_styles_dir(), self)
        dialog.trained.connect(lambda path: self.controls.refresh_styles(select=str(path)))
        dialog.open()
        return dialog

    # Messages ----------------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.error_label.setStyleSheet("color: #e07a5f;")
        self.error_label.setText(message)
        self.error_label.show()
        self.generate_button.setText("Generate")

    def show_info(self, message: str) -> None:
        self.error_label.setStyleSheet("")
        self.error_label.setText(message)
        self.error_label.show()

    def hide_error(self) -> None:
        self.error_label.hide()

    def shutdown(self) -> None:
        self.transport.stop()
        super().shutdown()
