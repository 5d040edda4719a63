"""What the status bar says of a failed job."""

from app.status_bar import failure_notice


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
