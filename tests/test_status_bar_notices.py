"""What the status bar says of a failed job."""

from app.status_bar import failure_notice
from models.jobs import Result


def test_a_failure_that_names_its_file_is_not_told_the_name_twice():
    message = "corrupt.png cannot be opened: broken data stream. Choose another image."
    assert failure_notice("Opening corrupt.png", message) == message
    assert failure_notice("Exporting Dawn.PNG", "dawn.png could not be written.") == "dawn.png could not be written."


def test_a_failure_that_does_not_say_what_failed_keeps_the_jobs_title():
    assert failure_notice("Rendering", "Something went wrong (boom).") == "Rendering failed: Something went wrong (boom)."
    assert failure_notice("Opening sketch.png", "The computer ran out of memory.") == (
        "Opening sketch.png failed: The computer ran out of memory.")


def test_opening_a_damaged_picture_says_its_name_once(qtbot, main_window, paint, tmp_path):
    path = tmp_path / "corrupt.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(200)))
    with qtbot.waitSignal(paint.worker.job_failed, timeout=30_000):
        paint.open_image(path)
    notice = main_window.status.currentMessage()
    assert "cannot be opened" in notice and notice.count("corrupt.png") == 1, notice


def test_a_jobs_progress_that_only_repeats_its_title_is_not_said_twice():
    from app.status_bar import progress_text

    assert progress_text("Rendering for the chat", "rendering") == "Rendering for the chat"
    assert progress_text("Rendering", "") == "Rendering"
    assert progress_text("Opening photo.jpg", "reading the picture") == "Opening photo.jpg: reading the picture"


def test_the_status_bar_shows_a_running_job_without_repeating_it(qtbot):
    from app.status_bar import JobStatusBar
    from app.worker import JobHandle
    from models.jobs import Progress

    bar = JobStatusBar()
    qtbot.addWidget(bar)
    handle = JobHandle(id=1, title="Rendering for the chat")
    bar._on_started(handle)
    bar._on_progress(handle, Progress(None, "rendering"))
    assert bar.job_label.text() == "Rendering for the chat"


def test_a_failure_is_taken_back_once_a_job_of_its_kind_in_its_tab_works(qtbot, main_window, compose, tmp_path):
    # "garbage.mid cannot be used as a motif" stayed in the status bar beside the motif huge.mid gave (Xvfb).
    from tests.support.midi_files import write_tune

    garbage = tmp_path / "garbage.mid"
    garbage.write_bytes(b"not a MIDI file at all")
    with qtbot.waitSignal(compose.worker.job_failed, timeout=30_000):
        compose.open_motif_file(garbage)
    assert "garbage.mid" in main_window.status.currentMessage()
    with qtbot.waitSignal(compose.worker.job_finished, timeout=30_000):
        compose.worker.submit("Rendering", lambda context: iter([Result(None)]))  # another kind: the failure stays
    assert "garbage.mid" in main_window.status.currentMessage()
    tune = write_tune(tmp_path / "tune.mid", seed=1, bars=1)
    with qtbot.waitSignal(compose.worker.job_finished, timeout=30_000):
        compose.open_motif_file(tune)
    assert main_window.status.currentMessage() == ""


def test_a_job_its_tab_cancelled_says_so_at_once(qtbot):
    # The Surprise choices not picked went on reading "Painting 3 of 4 from scratch: planning strokes 5%" until their
    # step ended, as if the pick's full painting, waiting behind them, had to wait for them (Xvfb, load 27).
    from app.status_bar import JobStatusBar
    from app.worker import JobHandle
    from models.jobs import Progress

    bar = JobStatusBar()
    qtbot.addWidget(bar)
    handle = JobHandle(id=1, title="Painting 3 of 4 from scratch")
    bar._on_started(handle)
    bar._on_progress(handle, Progress(0.05, "planning strokes"))
    handle.cancel()  # by the tab, not by the status bar's Cancel or Esc
    qtbot.waitUntil(lambda: bar.job_label.text() == "Painting 3 of 4 from scratch: cancelling…", timeout=2000)
    bar._on_ended(handle)
    assert not bar._cancel_look.isActive()  # nothing to look at while no job runs
