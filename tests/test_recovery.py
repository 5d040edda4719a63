"""A crash loses nothing: work in progress is saved every few seconds and offered back at the next start."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QImage

from app.recovery import RecoveryFolder, SessionAutosave, Snapshot
from app.tabs.images import image_to_array
from app.tabs.paint.canvas import PaintCanvas
from app.tabs.paint.canvas_recovery import CanvasRecovery, canvas_snapshot, image_from_png, restore_canvas


def paint_strokes(canvas: PaintCanvas, count: int) -> None:
    for i in range(count):
        canvas.begin_stroke(QPointF(20 + 30 * i, 40))
        canvas.stroke_to(QPointF(40 + 30 * i, 120))
        canvas.end_stroke()


def realised(snapshot: Snapshot) -> Snapshot:
    """The snapshot as it comes back from disk: every blob encoded to bytes."""
    return Snapshot(dict(snapshot.state), {k: v() if callable(v) else v for k, v in snapshot.blobs.items()})


def test_canvas_and_its_undo_steps_come_back(qtbot):
    canvas = PaintCanvas(QSize(320, 200))
    qtbot.addWidget(canvas)
    paint_strokes(canvas, 3)
    states = [canvas.pixels().copy()]
    for _ in range(3):
        canvas.undo_stack.undo()
        states.append(canvas.pixels().copy())
    for _ in range(3):
        canvas.undo_stack.redo()

    snapshot = realised(canvas_snapshot(canvas))
    restored = PaintCanvas(QSize(100, 100))
    qtbot.addWidget(restored)
    restore_canvas(restored, snapshot)
    assert np.array_equal(restored.pixels(), states[0])
    for expected in states[1:]:
        restored.undo_stack.undo()
        assert np.array_equal(restored.pixels(), expected)
    assert not restored.undo_stack.canUndo()


def test_a_process_that_is_gone_left_work_to_recover(tmp_path):
    folder = RecoveryFolder(tmp_path)
    folder.write("chat", Snapshot({"draft": "half a thought"}))
    assert not folder.crashed_last_time()  # no marker: the last exit was clean
    (tmp_path / "running.json").write_text(json.dumps({"pid": 2**22 + 12345}))  # no such process
    assert folder.crashed_last_time()
    (tmp_path / "running.json").write_text(json.dumps({"pid": os.getpid()}))
    assert not folder.crashed_last_time() and not folder.other_instance_running()
    assert folder.read("chat").state == {"draft": "half a thought"}
    folder.clear()
    assert folder.saved_parts() == [] and not (tmp_path / "running.json").exists()


def test_a_script_that_never_closes_the_window_exits_cleanly(tmp_path):
    import subprocess
    import sys

    script = (
        "from PySide6.QtWidgets import QApplication\n"
        "application = QApplication([])\n"
        "from app.main_window import MainWindow\n"
        "window = MainWindow()\n"
        "window.show()\n"
        "application.processEvents()\n"
    )
    environment = dict(os.environ, ATELIER_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    finished = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120
    )
    assert "QThread: Destroyed" not in finished.stderr
    assert finished.returncode == 0, finished.stderr[-2000:]


CHILD_SESSION = """
import json, sys, time
import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication
application = QApplication([])
from app.main_window import MainWindow
window = MainWindow()
paint, compose, chat = window.activity_tabs

def wait(done, seconds=120):
    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        application.processEvents(); time.sleep(0.01)

for i in range(3):
    paint.canvas.begin_stroke(QPointF(30 + 40 * i, 30)); paint.canvas.stroke_to(QPointF(60 + 40 * i, 150))
    paint.canvas.end_stroke()
wait(lambda: compose.controls.style_combo.count() > 0)
compose.generate()
wait(lambda: compose.variation_list.count() > 0 and not compose.worker.pending_jobs())
chat.input.setPlainText("a half-written question about")
window.autosave.save_now(); window.autosave.flush()
np.save(sys.argv[1] + "/canvas.npy", paint.canvas.pixels())
notes = [[n.pitch for n in compose.variation_list.variation(r).melody.notes()] for r in range(compose.variation_list.count())]
json.dump(notes, open(sys.argv[1] + "/notes.json", "w"))
print("saved", flush=True)
time.sleep(600)
"""


def test_work_comes_back_after_the_app_is_killed(qtbot, data_dir, tmp_path):
    import signal
    import subprocess
    import sys

    environment = dict(os.environ, ATELIER_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD_SESSION, str(tmp_path)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        printed = []  # libraries may print before the session does (pyfluidsynth: where it found its library)
        for line in child.stdout:
            printed.append(line.strip())
            if printed[-1] == "saved":
                break
        assert printed[-1:] == ["saved"], child.stderr.read()[-3000:] if child.poll() is not None else printed
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)

    from app.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: getattr(window, "recovery_offer", None) is not None, timeout=5_000)
        offer = window.recovery_offer
        restore = next(b for b in offer.buttons() if b.text() == "Restore")
        restore.click()
        paint, compose, chat = window.activity_tabs
        assert np.array_equal(paint.canvas.pixels(), np.load(tmp_path / "canvas.npy"))
        assert paint.canvas.undo_stack.count() == 3  # the strokes can be undone one by one
        expected = json.loads((tmp_path / "notes.json").read_text())
        restored = [
            [n.pitch for n in compose.variation_list.variation(r).melody.notes()]
            for r in range(compose.variation_list.count())
        ]
        assert restored == expected and len(expected) >= 2
        assert chat.input.toPlainText() == "a half-written question about"
    finally:
        window.shutdown()
    # A clean exit leaves nothing to offer next time.
    assert not RecoveryFolder(data_dir / "recovery").crashed_last_time()


def test_an_autosave_shares_the_canvas_picture_and_keeps_it_as_it_was(qtbot, monkeypatch):
    """The saved picture is the canvas's own, not a copy made on the UI thread at each autosave; a stroke or a fill
    made before the writer encodes it does not reach it."""
    canvas = PaintCanvas(QSize(320, 200))
    qtbot.addWidget(canvas)
    paint_strokes(canvas, 2)
    saved = canvas.pixels().copy()

    copies, copy = [], QImage.copy
    with monkeypatch.context() as patched:
        patched.setattr(QImage, "copy", lambda image, *rect: copies.append(rect) or copy(image, *rect))
        snapshot = canvas_snapshot(canvas)
    assert copies == []
    canvas.begin_stroke(QPointF(200, 30))  # QPainter on the canvas
    canvas.stroke_to(QPointF(260, 90))
    canvas.end_stroke()
    stroked = canvas.pixels().copy()
    canvas.fill_at(300, 190)  # in place, through bits()
    painted = canvas.pixels().copy()
    assert not np.array_equal(stroked, saved) and not np.array_equal(painted, stroked)
    with ThreadPoolExecutor(1) as writer:  # as the recovery writer encodes it
        encoded = writer.submit(snapshot.blobs["canvas.png"]).result()
    assert np.array_equal(image_to_array(image_from_png(encoded)), saved)
    assert np.array_equal(canvas.pixels(), painted)


def test_the_writer_lets_the_canvas_picture_go_once_written(qtbot, tmp_path):
    """Held until the next save, the shared picture would be copied away at the user's next stroke instead."""
    canvas = PaintCanvas(QSize(320, 200))
    qtbot.addWidget(canvas)
    autosave = SessionAutosave(tmp_path, {"paint": CanvasRecovery(canvas)})
    autosave.start()
    paint_strokes(canvas, 1)
    autosave.save_now()
    autosave.flush()
    pixels = canvas.image.cacheKey() >> 32  # Qt's number for the pixel data; a copy gets a new one
    canvas.begin_stroke(QPointF(200, 30))
    canvas.stroke_to(QPointF(260, 90))
    canvas.end_stroke()
    assert canvas.image.cacheKey() >> 32 == pixels
    autosave.stop()


def test_the_paint_settings_come_back_with_the_canvas(qtbot, main_window):
    # A restored Surprise pick's sketch was rendered at the seed the controls start with (7), not its own.
    paint = main_window.activity_tabs[0]
    controls = paint.controls
    qtbot.waitUntil(lambda: controls.style_list.count() > 1, timeout=30_000)
    part = CanvasRecovery(paint.canvas, controls)
    controls.style_list.setCurrentRow(1)
    chosen = controls.current_style().name
    controls.seed_spin.setValue(8)
    controls.detail_slider.setValue(70)
    paint_strokes(paint.canvas, 1)
    snapshot = realised(part.recovery_snapshot())
    snapshot = Snapshot(json.loads(json.dumps(snapshot.state)), snapshot.blobs)  # as written to disk and read back

    controls.style_list.setCurrentRow(0)
    controls.seed_spin.setValue(7)
    controls.detail_slider.setValue(50)
    part.restore_recovery_snapshot(snapshot)
    assert (controls.current_style().name, controls.seed_spin.value(), controls.detail_slider.value()) == (chosen, 8, 70)
