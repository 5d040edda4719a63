"""The same failures in the app: a read-only data folder, a full disk, a chat server that hangs mid-answer.
Each shows as a sentence in the tab's message bar, and nothing typed or painted is lost."""

from __future__ import annotations

import errno
from pathlib import Path

import PIL.Image
import pytest

from app.store import StoreError
from tests.support.disks import read_only
from tests.support.fake_server import fake_server, ollama_chunk


def _said(tab) -> str:  # noqa: ANN001 - any activity tab
    """What the tab's message bar says."""
    return tab.message_bar.text() if tab.message_bar.isVisibleTo(tab) else ""


def test_a_read_only_data_folder_opens_the_window_and_every_tab_says_so(qtbot, data_dir):
    from app.main_window import MainWindow

    with read_only(data_dir):
        window = MainWindow()
        qtbot.addWidget(window)
        try:
            for tab in window.activity_tabs:
                qtbot.waitUntil(lambda tab=tab: "read-only" in _said(tab), timeout=5000)
                assert "ATELIER_DATA_DIR" in _said(tab) and "not kept in the history" in _said(tab)
            window.store.add_item("melody", title="made this session")  # the session's own history works
            assert [item.title for item in window.store.items()] == ["made this session"]
        finally:
            window.shutdown()


def test_a_full_disk_met_by_the_window_is_said_in_the_tab_not_a_dialog(qtbot, main_window):
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.gui import handle_uncaught_exception

    main_window.tabs.setCurrentIndex(1)
    error = OSError(errno.ENOSPC, "No space left on device")
    handle_uncaught_exception(OSError, error, None)
    compose = main_window.activity_tabs[1]
    assert "disk is full" in _said(compose)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_a_chat_message_that_cannot_be_saved_stays_on_screen(qtbot, main_window, monkeypatch):
    chat = main_window.activity_tabs[2]

    def full(*args, **kwargs):
        raise StoreError("The disk is full: the history could not be saved; everything saved before is kept.")

    monkeypatch.setattr(chat.store, "add_to_conversation", full)
    from app.tabs.chat.conversation_view import ChatMessage

    message = ChatMessage("user", "a thought worth keeping")
    chat.messages.append(message)
    chat._save(message)
    assert "disk is full" in _said(chat) and "not saved" in _said(chat)
    assert chat.messages[-1].content == "a thought worth keeping" and chat.conversation_id is None


def test_a_chat_server_that_hangs_mid_answer_keeps_the_part_received(qtbot, main_window, monkeypatch):
    from models.text import server as server_module
    from models.text.server_http import ServerLimits

    quick = ServerLimits(connect_seconds=1.0, first_piece_seconds=1.0, silence_seconds=1.0)
    monkeypatch.setattr(server_module, "ServerLimits", lambda: quick)

    def two_then_hang(handler, server):
        for word in ("Hello", " there"):
            server.write(handler, ollama_chunk(word))
        server.hang()

    chat = main_window.activity_tabs[2]
    with fake_server(two_then_hang) as (url, _):
        chat.settings.set("chat_server_url", url)
        chat.input.setPlainText("say hello")
        chat.send()
        qtbot.waitUntil(lambda: chat._reply_job is None, timeout=20000)  # noqa: SLF001
    assert [m.content for m in chat.messages] == ["say hello", "Hello there"]
    assert "sent nothing for 1 s" in _said(chat) and "kept" in _said(chat)
    saved = chat.store.messages(chat.conversation_id)
    assert [m.content for m in saved] == ["say hello", "Hello there"]


def test_a_picture_that_is_not_one_is_said_and_the_canvas_kept(qtbot, main_window, tmp_path):
    import numpy as np

    from tests.test_paint_tab import centre, stroke

    paint = main_window.activity_tabs[0]
    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 40, y - 10), (x + 40, y + 10))
    painted = paint.canvas.pixels()
    (tmp_path / "notes.png").write_text("not a picture")
    for bad, said in ((tmp_path / "notes.png", "not an image"), (tmp_path, "a folder")):
        paint.message_bar.hide()
        paint.open_image(bad)
        qtbot.waitUntil(lambda said=said: said in _said(paint), timeout=20000)
    assert np.array_equal(paint.canvas.pixels(), painted)


def test_a_motif_that_is_not_midi_is_said(qtbot, main_window, tmp_path):
    compose = main_window.activity_tabs[1]
    bad = tmp_path / "motif.mid"
    bad.write_bytes(b"MThd garbage")
    compose.open_motif_file(bad)
    qtbot.waitUntil(lambda: "MIDI" in _said(compose), timeout=20000)
    assert "Traceback" not in _said(compose)


def test_an_export_to_a_read_only_folder_is_said_and_nothing_is_lost(qtbot, main_window, tmp_path):
    from tests.test_paint_tab import centre, stroke

    paint = main_window.activity_tabs[0]
    x, y = centre(paint.canvas)
    stroke(qtbot, paint.canvas, (x - 40, y - 10), (x + 40, y + 10))
    paint.render()
    qtbot.waitUntil(lambda: paint.painting is not None, timeout=60000)
    folder = tmp_path / "exports"
    folder.mkdir()
    with read_only(folder):
        paint.export_to(folder / "out.png")
        qtbot.waitUntil(lambda: "read-only" in _said(paint), timeout=60000)
    assert not (folder / "out.png").exists() and paint.painting is not None  # still there to export elsewhere


def _styles_listed(qtbot, paint) -> list[str]:  # noqa: ANN001 - the Paint tab
    from tests.support.jobs import wait_for_job

    wait_for_job(qtbot, paint, paint.reload_styles, timeout=60_000)
    return [paint.controls.style_list.item(row).text() for row in range(paint.controls.style_list.count())]


@pytest.fixture
def own_style(data_dir, tiny_paint_style) -> Path:
    from app.paths import paint_styles_dir
    from tests.conftest import install_checkpoint

    return install_checkpoint(tiny_paint_style, paint_styles_dir(), "stripes") / "stripes.safetensors"


def test_a_damaged_thumbnail_in_the_cache_is_painted_again(qtbot, main_window, own_style):
    from app.paths import style_thumbnails_dir
    from models.paint.style import load_style

    cached = style_thumbnails_dir() / f"{load_style(own_style, 'cpu').checkpoint_hash}.png"
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text("not a picture")  # cut short by a crash, or a full disk
    listed = _styles_listed(qtbot, main_window.activity_tabs[0])
    assert "Stripes (yours)" in listed and len(listed) > 1  # every style is listed, not none
    assert PIL.Image.open(cached).size[0] > 0  # and the thumbnail kept again


def test_thumbnails_that_cannot_be_kept_leave_the_styles_listed(qtbot, main_window, own_style):
    from app.paths import style_thumbnails_dir

    folder = style_thumbnails_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with read_only(folder):
        listed = _styles_listed(qtbot, main_window.activity_tabs[0])
    assert "Stripes (yours)" in listed and len(listed) > 1


@pytest.mark.parametrize("fault, said", [("missing", "no longer in the data folder"), ("damaged", "is damaged")])
def test_a_history_entry_whose_file_is_gone_or_damaged_says_which(qtbot, paint, fault, said):
    from tests.support.jobs import wait_for_job

    painting = wait_for_job(qtbot, paint, paint.render, timeout=60_000)
    before = paint.canvas.pixels()
    if fault == "missing":
        painting.saved_path.unlink()
    else:
        painting.saved_path.write_bytes(painting.saved_path.read_bytes()[:100])  # cut short
    paint.restore(paint.history_list.item(0))
    qtbot.waitUntil(lambda: said in _said(paint), timeout=20_000)
    assert painting.saved_path.name in _said(paint)
    assert (paint.canvas.pixels() == before).all()  # the canvas is as it was


@pytest.mark.parametrize("bad", ["transmat-nan", "pickle", "truncated"])
def test_a_damaged_melody_style_of_ones_own_is_said_and_the_tunes_kept(qtbot, compose, tmp_path, bad):
    import shutil

    from app.paths import melody_styles_dir
    from tests.support.hostile_inputs import melody_checkpoints
    from tests.support.jobs import wait_for_job

    wait_for_job(qtbot, compose, compose.generate, timeout=60_000)
    tunes = [variation.melody.events for variation in compose.variation_list.variations()]
    made = melody_checkpoints(tmp_path)[bad]
    path = melody_styles_dir() / "broken.safetensors"
    shutil.copy(made, path)
    if made.with_suffix(".json").exists():
        shutil.copy(made.with_suffix(".json"), path.with_suffix(".json"))
    compose.controls.refresh_styles(select=str(path))
    compose.generate()
    qtbot.waitUntil(lambda: _said(compose) != "", timeout=30_000)
    assert "broken.safetensors" in _said(compose) and "Traceback" not in _said(compose), _said(compose)
    assert [variation.melody.events for variation in compose.variation_list.variations()] == tunes  # still there


def test_a_damaged_painting_style_of_ones_own_is_named_and_the_others_listed(qtbot, main_window, own_style, tmp_path):
    import shutil

    from tests.support.hostile_inputs import paint_checkpoints

    made = paint_checkpoints(tmp_path)["pickle"]
    shutil.copy(made, own_style.with_name("broken.safetensors"))
    paint = main_window.activity_tabs[0]
    listed = _styles_listed(qtbot, paint)
    assert "Stripes (yours)" in listed and not [name for name in listed if "roken" in name]
    qtbot.waitUntil(lambda: "broken.safetensors" in _said(paint), timeout=10_000)
    assert "pickle" in _said(paint)
