"""A file dropped on the tab that does not open it goes to the one that does (seen under Xvfb: a MIDI file dropped
on the canvas was 'not an image file Atelier can read', a photo dropped on Compose 'not a readable MIDI file')."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.support.midi_files import write_tune


def _drop(widget, path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    widget.dropEvent(QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))


def test_a_midi_file_dropped_on_the_canvas_is_composes_motif(qtbot, main_window, paint, compose, tmp_path):
    motif_file = write_tune(tmp_path / "motif.mid", seed=42, bars=1, tonic=62)
    main_window.tabs.setCurrentWidget(paint)
    with qtbot.waitSignal(compose.worker.job_finished, timeout=20_000):
        _drop(paint.canvas, motif_file)
    assert compose.motif and compose.motif[0][0] is not None
    assert main_window.current_tab() is compose
    assert paint.message_bar.isHidden() and paint.canvas.undo_stack.count() == 0


def test_a_photo_dropped_on_compose_goes_on_the_canvas(qtbot, main_window, paint, compose, tmp_path):
    photo = tmp_path / "harbour.png"
    Image.new("RGB", (96, 64), (20, 90, 160)).save(photo)
    main_window.tabs.setCurrentWidget(compose)
    with qtbot.waitSignal(paint.file_used, timeout=20_000):
        _drop(compose, photo)
    assert tuple(paint.canvas.pixels()[10, 10]) == (20, 90, 160)
    assert main_window.current_tab() is paint
    assert compose.message_bar.isHidden() and compose.motif == []
