"""The Compose tab: controls on the left, variations and the piano roll in the middle, kept melodies on the right.

Its parts: `ComposeControls` (what to write), `MotifPanel` (a motif to continue), `VariationList` (the
variations, dragged out as MIDI), `EditBar` (regenerate bars, undo, morph), `VariationSound` (rendering
and playing), `KeptMelodies` (the history).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.file_kinds import PICTURE_SUFFIXES
from app.paths import melody_styles_dir
from app.settings import Settings
from app.store import Store
from app.tabs.activity_tab import ActivityTab, action_button
from app.tabs.compose import jobs
from app.tabs.compose.controls import ComposeControls
from app.tabs.compose.edit_bar import EditBar, ReplaceVariationsCommand
from app.tabs.compose.export import export_job, file_stem
from app.tabs.compose.jobs import Edit, Morph, Variation
from app.tabs.compose.kept_melodies import KeptMelodies
from app.tabs.compose.motif_panel import Motif, MotifPanel
from app.tabs.compose.piano_roll import PianoRollView
from app.tabs.compose.sound import VariationSound
from app.tabs.compose.transport import Transport
from app.tabs.compose.variation_list import VariationList, roll_content
from app.tabs.message_bar import MessageBar
from app.tabs.narrow import narrow_button
from app.tabs.save_dialog import Place, ask_save_path
from app.worker import JobHandle
from models.music.request import MelodyRequest

logger = logging.getLogger(__name__)


class _SpacePlays(QObject):
    """Space in a number box (tempo, bars, seed…) is Play / stop, and L is Loop, not characters the box refuses: a
    musician sets the tempo and presses Space to hear it, and nothing happened until they clicked elsewhere (seen
    under Xvfb)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_L)
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            event.ignore()  # not taken by the box: the window's Space shortcut gets it
            return True
        return False


class ComposeTab(ActivityTab):
    title = "Compose"

    def __init__(self, store: Store, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(settings, parent)
        self.store = store
        self._generate_job: JobHandle | None = None
        self._regenerations = 0  # seeds for Regenerate bars: a new one every time
        self._motif_failure = ""  # what the last motif file that could not be read said, while it may be on show
        self.transport = Transport(settings.get("audio_output"), self)

        self.splitter.addWidget(self._build_controls())
        self.splitter.addWidget(self._build_work_area())
        self.splitter.addWidget(self._build_history())
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 640, 220])
        self._show_remembered_recipe()
        self._restore_loop_and_bars()
        self.sound = VariationSound(self.run_job, self.variation_list, self.controls, self.transport, self)

        self.worker.job_failed.connect(self._on_job_failed)
        self.worker.job_cancelled.connect(self._on_job_cancelled)
        self.transport.playhead_moved.connect(self._show_playhead)
        self.transport.playing_changed.connect(
            lambda playing: self.play_button.setText("■ Stop" if playing else "▶ Play"))
        self.transport.failed.connect(self.show_error)
        self.controls.tempo_changed.connect(self.sound.render_selected)
        self.controls.count_in_changed.connect(self.sound.render_selected)
        self.setAcceptDrops(True)  # a MIDI file dropped anywhere on the tab is a motif to continue
        self._space_plays = _SpacePlays(self)
        for box in self.findChildren(QAbstractSpinBox):
            box.installEventFilter(self._space_plays)

    def _show_remembered_recipe(self) -> None:
        """The controls as the window last closed them: a musician who set D minor, 16 bars, 140 BPM and Harmonize
        found the defaults (D major, 8 bars, 110) on opening Atelier again (seen under Xvfb)."""
        remembered = self.settings.get("compose_recipe")
        if not remembered:
            return
        try:
            self.controls.show_request(MelodyRequest.from_json(json.loads(remembered)))
        except (ValueError, TypeError, KeyError) as error:  # written by another version, or damaged: defaults stay
            logger.warning("the Compose controls could not be restored: %s", error)

    def _restore_loop_and_bars(self) -> None:
        """Loop as the window last closed it, and the bars chosen then as the first guess for the next melodies: a
        musician looping and regenerating bars 5-8 found Loop off and bar 5 alone after closing. Not asked about
        on closing: neither is work to lose, only a way of working to carry on."""
        self.loop_check.setChecked(self.settings.get("compose_loop"))
        first, _, last = self.settings.get("compose_bars").partition("-")
        if first.isdigit() and last.isdigit() and 1 <= int(first) <= int(last):
            self.edit_bar.first_guess = (int(first), int(last))

    def remember(self) -> None:
        self.settings.set("compose_recipe", json.dumps(self.controls.request().to_json()))
        self.settings.set("compose_loop", self.loop_check.isChecked())
        bars = self.edit_bar.bars_to_remember()
        self.settings.set("compose_bars", f"{bars[0]}-{bars[1]}" if bars else "")

    # Layout ------------------------------------------------------------------------------------

    def _build_controls(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        self.controls = ComposeControls(melody_styles_dir())
        layout.addWidget(self.controls)
        self.generate_button = action_button("Generate", "Generate", "Write new melodies (Ctrl+Enter)", self.generate)
        self.generate_button.setDefault(True)
        self.motif_panel = MotifPanel()
        self.motif_panel.file_chosen.connect(self.open_motif_file)
        self.keyboard, self.motif_label = self.motif_panel.keyboard, self.motif_panel.label
        layout.addWidget(self.motif_panel)
        layout.addWidget(action_button("Train your own style…", "Train your own style",
                                       "Train a melody style from a folder of MIDI files", self.show_train_dialog))
        layout.addStretch(1)
        return self.scrolling(panel, self.generate_button)

    def _build_work_area(self) -> QWidget:
        area = QWidget()
        layout = QVBoxLayout(area)
        margins = layout.contentsMargins()
        layout.setContentsMargins(0, margins.top(), 0, margins.bottom())  # the splitter's handles part the panes
        self.message_bar = MessageBar("Compose message")
        layout.addWidget(self.message_bar)

        self.variation_list = VariationList()
        self.variation_list.currentRowChanged.connect(self._on_variation_selected)
        self.variation_list.itemChanged.connect(self._show_kept)  # its sound arrived, or it was kept
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
            transport.addWidget(narrow_button(widget) if widget is not self.loop_check else widget)
        transport.addStretch(1)

        self.edit_bar = EditBar(self.regenerate_bars, self.morph_selected, self._swap_variation)
        self.undo_stack = self.edit_bar.undo_stack
        bar = self.edit_bar
        self.first_bar_spin, self.last_bar_spin = bar.first_bar_spin, bar.last_bar_spin
        self.regenerate_button, self.undo_button = bar.regenerate_button, bar.undo_button
        self.morph_target, self.morph_count, self.morph_button = bar.morph_target, bar.morph_count, bar.morph_button

        self.piano_roll = PianoRollView()
        self.piano_roll.bars_selected.connect(bar.set_bar_range)
        for spin in (self.first_bar_spin, self.last_bar_spin):
            spin.valueChanged.connect(lambda _: self.piano_roll.set_selection(*bar.bar_range()))
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.recipe_label)
        top_layout.addWidget(self.variation_list)
        top_layout.addLayout(transport)
        top_layout.addWidget(bar)
        split.addWidget(top)
        split.addWidget(self.piano_roll)
        split.setSizes([180, 420])
        layout.addWidget(split)
        self._set_transport_enabled(False)
        return area

    def _build_history(self) -> QWidget:
        self.kept = KeptMelodies(self.store)
        self.history_list = self.kept.list
        self.history_list.itemActivated.connect(self.reopen)
        return self.kept

    # Generating --------------------------------------------------------------------------------

    def primary_action(self) -> bool:
        self.generate()
        return True

    def generate(self, request: MelodyRequest | None = None, select: int = 0, edits: tuple[Edit, ...] = (),
                 morph: Morph | None = None, kept: bool = False) -> JobHandle:
        """Write new variations (replacing a generate still running: the newest request wins).

        Reopening a kept melody passes what was done to it afterwards: `morph` makes the in-between
        melodies again (and selects the kept one), `edits` regenerates its bars again; `kept` marks the
        selected one kept (it is the melody in the history).
        """
        if self._generate_job is not None:
            self._generate_job.cancel()
        self.message_bar.hide()
        if request is None:
            self._key_of_the_motif()
            request = self.controls.request(tuple(self.motif))
        self._generate_job = self.run_job("Composing", jobs.generate_melodies(request, (melody_styles_dir(),)),
                                          lambda variations: self._on_generated(variations, select, edits, morph, kept))
        self.generate_button.setText("Generating…")
        return self._generate_job

    def _key_of_the_motif(self) -> None:
        """A motif whose notes leave the chosen key sets the key to its own, and says so: played on the white keys
        under the default D major, the melody went on in D major, C sharps against the motif's C naturals."""
        from models.music import tokens
        from models.music.midi_folder import KEY_NAMES, key_for_motif

        controls = self.controls
        chosen = controls.key_combo.currentText(), controls.mode_combo.currentText()
        found = key_for_motif(list(self.motif), tokens.parse_key(chosen[0]), chosen[1])
        if found is None:
            return
        key, mode = KEY_NAMES[found[1]][found[0]], found[1]
        controls.key_combo.setCurrentText(key)
        controls.mode_combo.setCurrentText(mode)
        self.message_bar.show_info(f"The motif is in {key} {mode}, not {chosen[0]} {chosen[1]}: the key is set to "
                                   f"{key} {mode}.")

    def _on_generated(self, variations: list[Variation], select: int, edits: tuple[Edit, ...] = (),
                      morph: Morph | None = None, kept: bool = False) -> None:
        self._generate_job = None
        self.generate_button.setText("Generate")
        if morph is not None and max(morph[0], morph[1]) < len(variations):
            a, b, count, which = morph
            self.run_job("Morphing", jobs.morph(variations[a], variations[b], count, len(variations)),
                         lambda between: self._on_generated(variations + between, len(variations) + which - 1, edits,
                                                            kept=kept))
            return
        if edits and 0 <= select < len(variations):
            # Replay the recorded edits before showing anything, so the kept melody appears as it was.
            self.run_job("Regenerating bars", jobs.regenerate(variations[select], edits, (melody_styles_dir(),)),
                         lambda edited: self._show_edited(variations, select, edited, kept))
            return
        if kept and 0 <= select < len(variations):
            variations[select].kept = True
        self.show_variations(variations, select)

    def _show_edited(self, variations: list[Variation], select: int, edited: Variation, kept: bool) -> None:
        edited.kept = kept
        self.show_variations([edited if v is variations[select] else v for v in variations], select)
        self.edit_bar.replayed(edited)

    def show_variations(self, variations: list[Variation], select: int = 0) -> None:
        """Put new variations on show in place of the ones there, as a step Undo goes back through: a Generate
        (say, after ticking Harmonize) wiped the variations on show with their regenerated bars, for good."""
        before = self.variation_list.variations()
        if not before:
            self._put_variations(variations, select)
            return
        self.undo_stack.push(ReplaceVariationsCommand(self._put_variations, before, self.variation_list.currentRow(),
                                                      variations, select))

    def _put_variations(self, variations: list[Variation], select: int) -> None:
        self.variation_list.show_variations(variations)
        self.variation_list.tempo = self.controls.tempo_spin.value()
        self._set_transport_enabled(bool(variations))
        self.variation_list.setCurrentRow(min(select, len(variations) - 1))
        self.sound.render_all(variations, self.selected_variation())

    def selected_variation(self) -> Variation | None:
        return self.variation_list.variation()

    # Editing -----------------------------------------------------------------------------------

    def regenerate_bars(self) -> JobHandle | None:
        """Write the chosen bars of the selected variation again (exact infilling), keeping the rest."""
        variation = self.selected_variation()
        if variation is None:
            return None
        self._regenerations += 1
        edit = (*self.edit_bar.bar_range(), variation.request.seed * 1000 + self._regenerations)
        self.message_bar.hide()
        return self.run_job("Regenerating bars", jobs.regenerate(variation, (edit,), (melody_styles_dir(),)),
                            lambda edited: self.edit_bar.edited(variation, edited))

    def undo_edit(self) -> bool:
        return self.edit_bar.undo()

    def redo_edit(self) -> bool:
        return self.edit_bar.redo()

    def morph_selected(self) -> JobHandle | None:
        """Add in-between melodies from the selected variation to the one chosen in "Morph into"."""
        a, row = self.selected_variation(), self.morph_target.currentData()
        b = self.variation_list.variation(row) if row is not None else None
        if a is None or b is None:
            return None
        self.message_bar.hide()
        return self.run_job("Morphing", jobs.morph(a, b, self.morph_count.value(), self.variation_list.count()),
                            self._add_variations)

    def _add_variations(self, variations: list[Variation]) -> None:
        first = self.variation_list.count()
        self.variation_list.add_variations(variations)
        self.variation_list.setCurrentRow(first)
        self.sound.render_all(variations, None)

    def _swap_variation(self, old: Variation, new: Variation) -> None:
        """Put `new` where `old` is in the list (if it is still there), select it and render its sound. Playing goes
        on (a loop is how a musician hears an edit): the new sound takes over at the same beat once rendered, as when
        another variation is selected; until then the old one plays."""
        row = self.variation_list.row_of(old.melody)  # its sound may have arrived since: found by melody
        if row is None:
            return
        self.variation_list.put(row, new)
        if self.variation_list.currentRow() == row:
            self._on_variation_selected(row)
        else:
            self.variation_list.setCurrentRow(row)
        self.sound.render(new)

    def _on_variation_selected(self, row: int) -> None:
        variation = self.variation_list.variation(row)
        self.recipe_label.setText(variation.recipe_summary if variation is not None else "")
        self._show_kept()
        if variation is None:
            self.piano_roll.set_content(None)
            return
        self.edit_bar.show_variation(row, variation, self.variation_list.count())
        self.piano_roll.set_content(roll_content(variation))
        self.piano_roll.set_selection(*self.edit_bar.bar_range())
        self.sound.follow_selection(variation)

    def _on_job_failed(self, handle: JobHandle, message: str) -> None:
        if handle is self._generate_job:
            self._generate_job = None
        self.sound.play_when_rendered = False
        self.show_error(message)

    def _on_job_cancelled(self, handle: JobHandle) -> None:
        if handle is self._generate_job:
            self._generate_job = None
            self.generate_button.setText("Generate")

    # For Chat (app.tabs.studio.Composer) -------------------------------------------------------

    def compose_for_request(self, request: MelodyRequest, on_written, on_failed, on_sound=None) -> JobHandle:
        def written(variations: list[Variation]) -> None:
            if on_written is not None:
                on_written(variations[0])
            if on_sound is not None:
                self.run_job("Rendering for the chat", jobs.rerender(variations[0], variations[0].melody.tempo, False),
                             on_sound, on_failed)

        return self.run_job("Composing for the chat", jobs.generate_melodies(request, (melody_styles_dir(),)),
                            written, on_failed)

    def play_melody(self, melody: Variation) -> bool:
        if melody.audio is None:
            return False
        self.transport.play(melody)
        return True

    def open_melody(self, melody: Variation) -> None:
        """Its recipe goes into the controls (its tempo too, so exports keep it), and it joins the variations
        below the ones already there, which are not lost."""
        self.controls.show_request(melody.request)
        others = self.variation_list.count()
        row = self.variation_list.row_of(melody.melody)  # its sound may have been rendered again since
        if row is None:
            self.variation_list.add_variations([melody])
            row = others
        self.variation_list.tempo = self.controls.tempo_spin.value()
        self._set_transport_enabled(True)
        self.variation_list.setCurrentRow(row)
        self.sound.render(self.variation_list.variation(row) or melody)
        if others and row == others:
            self.message_bar.show_info(f"Opened as variation {row + 1}; the {others} above are still here.")
        self.show_me.emit()

    # Playback ----------------------------------------------------------------------------------

    def _show_playhead(self, beats: float | None) -> None:
        """The playhead runs over the roll only while the melody on it is the one heard: the chat's ▶ Play plays its
        melody through this tab's transport, and a playhead moved over the notes of another (seen under Xvfb: a sad
        D minor tune heard, a D major variation's notes scrolled past)."""
        shown, heard = self.selected_variation(), self.transport.variation
        on_show = shown is not None and heard is not None and shown.melody is heard.melody
        self.piano_roll.set_playhead(beats if on_show else None)

    def toggle_play(self) -> None:
        self.sound.toggle_play()

    def _set_transport_enabled(self, enabled: bool) -> None:
        for widget in (self.play_button, self.keep_button, self.export_button):
            widget.setEnabled(enabled)
        self.edit_bar.set_enabled(enabled)

    @property
    def motif(self) -> Motif:
        return self.motif_panel.motif

    def choose_motif_file(self) -> None:
        self.motif_panel.choose_file()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """A file dragged in from a file manager or a DAW: read as a motif, as Open MIDI motif… does (a file that is
        not MIDI gets its sentence). Dropping had done nothing at all, where the Paint canvas takes a photo."""
        path = _dropped_file(event)
        if path is None:
            return
        event.acceptProposedAction()
        if path.suffix.lower() in PICTURE_SUFFIXES:  # a photo dropped here went to be read as MIDI, and failed
            self.open_elsewhere.emit(path)
        else:
            self.open_motif_file(path)

    def open_motif_file(self, path: Path) -> JobHandle:
        def read(motif) -> None:
            self.motif_panel.set_motif(list(motif))
            # An earlier file's failure is no longer the news: it stayed up over the motif this file gave (Xvfb).
            self.message_bar.take_back(self._motif_failure)
            self.file_used.emit(path)

        def failed(message: str) -> None:
            self._motif_failure = message

        return self.run_job(f"Reading {path.name}", jobs.read_motif(path), read, failed)

    # Keep, reopen, export ----------------------------------------------------------------------

    def keep_selected(self) -> int | None:
        variation = self.selected_variation()
        if variation is None:
            return None
        if variation.kept:  # a second Keep wrote the same melody into the history again
            self.message_bar.show_info(f"“{variation.full_title}” is kept already.")
            return None
        item_id = self.kept.keep(variation, self.controls.tempo_spin.value())
        variation.kept = True
        self._show_kept()
        self.message_bar.show_info(f"Kept “{variation.full_title}”.")
        return item_id

    def _show_kept(self, *_: object) -> None:
        """Keep says whether the melody on show is kept, as Paint's does: after a Keep it still read "☆ Keep"."""
        variation = self.selected_variation()
        kept = variation is not None and variation.kept
        self.keep_button.setText("★ Kept" if kept else "☆ Keep")
        self.keep_button.setToolTip("In the kept melodies (on the right)" if kept
                                    else "Keep this melody in the history (Ctrl+S)")

    def _unkept_variations(self) -> list[Variation]:
        """The melodies on show that closing would lose: all of them while none is kept (the musician has not chosen
        yet), else those made since by Regenerate bars or Morph and not kept."""
        variations = self.variation_list.variations()
        if not any(variation.kept for variation in variations):
            return variations
        return [variation for variation in variations if not variation.kept and (variation.edits or variation.morph)]

    def unsaved_work(self) -> str:
        count = len(self._unkept_variations())
        return f"{count} {'melody' if count == 1 else 'melodies'} not kept" if count else ""

    def keep_unsaved_work(self) -> None:
        for variation in self._unkept_variations():
            self.kept.keep(variation, self.controls.tempo_spin.value())
            variation.kept = True
        return None

    def refresh_history(self) -> None:
        self.kept.refresh()

    def reopen(self, entry: QListWidgetItem) -> JobHandle | None:
        kept = self.kept.kept(entry)
        if kept is None:
            return None
        self.controls.show_request(kept.request)
        self.motif_panel.set_motif(list(kept.request.motif))
        return self.generate(kept.request, select=kept.variation, edits=kept.edits, morph=kept.morph, kept=True)

    def export_selected(self) -> JobHandle | None:
        variation = self.selected_variation()
        if variation is None:
            return None
        path = ask_save_path(self, "Export melody", f"{file_stem(variation)}.mid",
                             [("MIDI file", (".mid", ".midi")), ("WAV audio", (".wav",))], Place.MusicLocation)
        return self.export_to(path) if path else None

    def export_to(self, path: Path) -> JobHandle | None:
        """Export the selected variation as MIDI or WAV by the file's suffix; a name without one is MIDI."""
        variation = self.selected_variation()
        if variation is None:
            return None
        if path.suffix.lower() not in (".mid", ".midi", ".wav"):
            path = path.with_name(path.name + ".mid")  # "take 2.1" keeps its ".1"
        return self.run_job(f"Exporting {path.name}", export_job(variation, path, self.controls.tempo_spin.value()),
                            self._exported)

    def _exported(self, written: Path) -> None:
        self.message_bar.show_info(f"Exported {written.name}.")
        self.file_used.emit(written)

    # File and Edit menus (app/menus.py) ---------------------------------------------------------

    def export(self) -> bool:
        return self.export_selected() is not None

    def undo(self) -> bool:
        return self.undo_edit()

    def redo(self) -> bool:
        return self.redo_edit()

    def show_train_dialog(self):
        from app.tabs.compose.train_dialog import TrainMelodyStyleDialog

        dialog = TrainMelodyStyleDialog(melody_styles_dir(), self.worker, self)
        dialog.trained.connect(lambda path: self.controls.refresh_styles(select=str(path)))
        dialog.open()
        return dialog

    def show_error(self, message: str) -> None:
        self.message_bar.show_error(message)
        self.generate_button.setText("Generate")

    def shutdown(self) -> None:
        self.transport.stop()
        super().shutdown()


def _dropped_file(event: QDropEvent | QDragEnterEvent) -> Path | None:
    """The first local file of a drag from outside Atelier; a variation dragged out of the list and let go over the
    tab again is not a motif."""
    if event.source() is not None:
        return None
    files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
    return Path(files[0]) if files else None
