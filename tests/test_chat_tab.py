"""The Chat tab end to end, offscreen, with the real built-in model (loaded once for the session)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.paths import melody_styles_dir
from tests.conftest import install_checkpoint


@pytest.fixture(scope="session")
def chat_model():
    from models.text.chat import ChatModel

    return ChatModel.load()


@pytest.fixture
def chat(qtbot, main_window, chat_model, data_dir, tiny_style):
    tab = main_window.activity_tabs[2]
    tab.worker.cache["chat_model"] = chat_model
    # Melody requests name shipped styles; the session's tiny style stands in for "irish".
    install_checkpoint(tiny_style, melody_styles_dir(), "irish")
    tab.sampling.max_length_spin.setValue(16)
    tab.sampling.seed_spin.setValue(3)
    main_window.tabs.setCurrentWidget(tab)
    return tab


def send_and_wait(qtbot, chat, text: str, timeout: int = 120_000):
    count = len(chat.messages)
    assert chat.send(text)
    qtbot.waitUntil(lambda: chat._reply_job is None and len(chat.messages) >= count + 2, timeout=timeout)
    return chat.messages[-1]


def test_empty_state_says_what_the_model_can_and_cannot_do(chat):
    text = chat.view.toPlainText()
    assert "135 million parameters" in text and "often gets facts wrong" in text


def test_send_streams_an_answer_and_saves_it(qtbot, chat):
    partials = []
    chat.worker.job_partial.connect(lambda handle, event: partials.append(event.text))
    answer = send_and_wait(qtbot, chat, "Say hello.")
    assert answer.role == "assistant" and answer.content.strip()
    assert "".join(partials).strip() == answer.content.strip()
    assert answer.meta["tokens_per_second"] > 0
    stored = chat.store.messages(chat.conversation_id)
    assert [m.role for m in stored] == ["user", "assistant"]
    assert chat.conversation_list.count() == 1 and chat.conversation_list.item(0).text() == "Say hello."
    assert "tokens/s" in chat.view.toPlainText()


def test_stop_mid_answer_keeps_what_was_said(qtbot, chat):
    chat.sampling.max_length_spin.setValue(400)
    first = []
    chat.worker.job_partial.connect(lambda handle, event: first.append(event.text))
    chat.send("Tell me a long story about a lighthouse keeper.")
    qtbot.waitUntil(lambda: bool(first), timeout=120_000)
    with qtbot.waitSignal(chat.worker.job_cancelled, timeout=5000):
        chat.stop()
    answer = chat.messages[-1]
    assert answer.role == "assistant" and answer.meta.get("stopped")
    assert answer.content.startswith("".join(first).strip()[:10])
    assert chat.send_button.text() == "Send"


def test_regenerate_replaces_the_last_answer(qtbot, chat):
    chat.sampling.seed_spin.setValue(0)  # a new seed each time
    send_and_wait(qtbot, chat, "Name a colour.")
    assert chat.regenerate()
    qtbot.waitUntil(lambda: chat._reply_job is None and chat.messages[-1].role == "assistant", timeout=120_000)
    assert [m.role for m in chat.messages] == ["user", "assistant"]
    assert len(chat.store.messages(chat.conversation_id)) == 2


def test_edit_and_resend(qtbot, chat):
    send_and_wait(qtbot, chat, "Name a fruit.")
    assert chat.edit_last()
    assert chat.input.toPlainText() == "Name a fruit." and chat.messages == []
    chat.input.setPlainText("Name a vegetable.")
    assert chat.send()  # the edited message goes, and is the one answered and saved
    qtbot.waitUntil(lambda: chat._reply_job is None and len(chat.messages) == 2, timeout=120_000)
    assert chat.messages[0].content == "Name a vegetable."
    assert [m.content for m in chat.store.messages(chat.conversation_id)][0] == "Name a vegetable."


def test_conversations_persist_across_a_restart(qtbot, chat, chat_model):
    from app.main_window import MainWindow

    send_and_wait(qtbot, chat, "Remember the word lantern.")
    conversation = chat.conversation_id
    reopened = MainWindow()
    qtbot.addWidget(reopened)
    try:
        other = reopened.activity_tabs[2]
        assert other.conversation_list.count() == 1
        other.open_conversation(conversation)
        assert [m.content for m in other.messages][0] == "Remember the word lantern."
        assert "lantern" in other.view.toPlainText()
    finally:
        reopened.shutdown()


def test_delete_then_undo(qtbot, chat):
    send_and_wait(qtbot, chat, "Hello there.")
    chat.rename("Greetings")
    chat.delete_current()
    assert chat.store.conversations() == [] and chat.undo_row.isVisibleTo(chat)
    chat.undo_delete()
    conversations = chat.store.conversations()
    assert [c[1] for c in conversations] == ["Greetings"]
    assert [m.content for m in chat.store.messages(conversations[0][0])][0] == "Hello there."


def test_search_and_export(qtbot, chat, tmp_path, monkeypatch):
    send_and_wait(qtbot, chat, "Describe a harbour.")
    chat.search_edit.setText("harbour")
    assert chat.conversation_list.count() == 1
    chat.search_edit.setText("zebra crossing")
    assert chat.conversation_list.count() == 0
    markdown = chat.export_to(tmp_path / "chat.md").read_text()
    assert "**You:**" in markdown and "Describe a harbour." in markdown
    data = json.loads(chat.export_to(tmp_path / "chat.json").read_text())
    assert [m["role"] for m in data["conversation"]] == ["user", "assistant"]
    # Qt's save dialog gives a name typed without a suffix back as typed, the chosen type apart
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(tmp_path / "notes"), "JSON (*.json)"))
    chat.choose_export()
    assert json.loads((tmp_path / "notes.json").read_text())["conversation"]


def test_private_chat_is_never_saved(qtbot, chat):
    chat.sampling.private_check.setChecked(True)
    send_and_wait(qtbot, chat, "This stays between us.")
    assert chat.store.conversations() == []
    assert chat.messages[0].content == "This stays between us."


def test_bad_input_is_handled(qtbot, chat):
    assert not chat.send("   ")
    assert "Type a message" in chat.message_bar.text()
    with qtbot.waitSignal(chat.worker.job_failed, timeout=60_000):
        chat.send("x" * 150_000)
    assert "too long" in chat.message_bar.text()
    send_and_wait(qtbot, chat, "he\x00llo\x1b<|im_end|>")  # a binary paste
    assert chat.messages[-2].content == "hello< |im_end| >"


def test_a_painting_request_comes_back_inline_and_opens_in_paint(qtbot, chat, main_window, paint):
    chat.send("paint a stormy harbour")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment") is not None, timeout=120_000)
    answer = chat.messages[-1]
    assert "stormy" in answer.content and "heavy clouds" in answer.content and "harbour wall" in answer.content
    assert "Here it is, in the style of" in answer.content  # it said "Here is stormy harbour in the style of"
    key = answer.meta["attachment"]["key"]
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextDocument

    from app.tabs.chat.conversation_view import IMAGE_WIDTH

    # The conversation holds the picture at twice the width it shows it at, not the painting's 768 px, as JPEG.
    held = chat.view.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(f"atelier-image:{key}"))
    assert QImage.fromData(held).width() == 2 * IMAGE_WIDTH < chat.attachments[key].pixels.shape[1]
    blank = paint.canvas.pixels()
    chat._on_link(QUrl(f"atelier:open-painting/{key}"))
    assert main_window.tabs.currentWidget() is paint
    assert paint.result_view.image is not None
    painting = chat.attachments[key]
    assert (paint.canvas.image.width(), paint.canvas.image.height()) == painting.recipe.size
    # The scene's sketch goes onto the canvas as paint to work on (undoable); the painting is the result.
    assert np.array_equal(paint.canvas.pixels(), painting.source) and not np.array_equal(painting.source, painting.pixels)
    paint.canvas.undo_stack.undo()
    assert np.array_equal(paint.canvas.pixels(), blank)


def test_the_chat_holds_only_its_most_recent_results():
    from app.tabs.chat.creative import keep_recent

    results: dict[str, int] = {}
    for number in range(5):
        keep_recent(results, f"r{number}", number, limit=3)
    keep_recent(results, "r2", 20, limit=3)  # a melody's sound arriving later makes it the most recent again
    keep_recent(results, "r5", 5, limit=3)
    assert list(results.items()) == [("r4", 4), ("r2", 20), ("r5", 5)]


def test_a_melody_request_plays_inline_and_opens_in_compose(qtbot, chat, main_window, compose):
    from PySide6.QtCore import QUrl

    chat.send("compose a sad Irish tune in D minor, 4 bars")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment") is not None, timeout=120_000)
    answer = chat.messages[-1]
    assert "D minor" in answer.content and "4 bars" in answer.content
    key = answer.meta["attachment"]["key"]
    variation = chat.attachments[key]
    assert variation.melody.bars == 4 and variation.melody.mode == "minor"
    qtbot.waitUntil(lambda: chat.attachments[key].audio is not None, timeout=60_000)  # rendered for ▶ Play
    # The null sound device may play a short tune to its end at once, so watch for the start.
    with qtbot.waitSignal(compose.transport.player.started, timeout=5000):
        chat._on_link(QUrl(f"atelier:play-melody/{key}"))
    compose.transport.stop()
    chat._on_link(QUrl(f"atelier:open-melody/{key}"))
    assert main_window.tabs.currentWidget() is compose and compose.variation_list.count() == 1

    chat.send("lyrics for my last melody")
    # A song's lyrics, a line for each phrase: about 10 s on a quiet machine, over 120 s on two cores at load 25.
    qtbot.waitUntil(lambda: "\n\n" in chat.messages[-1].content, timeout=300_000)
    lyrics = chat.messages[-1].content
    assert "one syllable per note" in lyrics and "did not work" not in lyrics


def test_a_local_server_answers_when_set_and_the_built_in_model_when_it_is_down(qtbot, chat):
    import threading
    from http.server import ThreadingHTTPServer

    from tests.test_chat_server import WORDS, make_handler

    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler("openai", []))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        chat.settings.set("chat_server_url", f"http://127.0.0.1:{server.server_address[1]}")
        answer = send_and_wait(qtbot, chat, "Hello, server.")
        assert answer.content == "".join(WORDS)
    finally:
        server.shutdown()
        server.server_close()
    notices = []
    chat.worker.notice.connect(notices.append)
    answer = send_and_wait(qtbot, chat, "Are you still there?")  # the server is gone now
    assert answer.content.strip() and answer.content != "".join(WORDS)
    assert notices and "not answering" in notices[0] and "built-in model" in notices[0]


def test_a_painting_from_an_earlier_session_is_made_again_from_its_recipe(qtbot, chat, paint):
    chat.send("paint a calm sea")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment") is not None, timeout=120_000)
    assert "<img" in chat.view.toHtml()
    conversation = chat.conversation_id
    original = next(iter(chat.attachments.values())).pixels.copy()
    chat.attachments.clear()  # as after a restart: the picture was not kept
    chat.view.document().clear()
    chat.view._images.clear()
    chat.open_conversation(conversation)
    html = chat.view.toHtml()
    assert "<img" not in html and "Open in Paint" in html

    # Its link makes it again from the recipe saved with the message, the same picture, and opens it.
    from PySide6.QtCore import QUrl

    key = chat.messages[-1].meta["attachment"]["key"]
    chat._on_link(QUrl(f"atelier:open-painting/{key}"))
    qtbot.waitUntil(lambda: key in chat.attachments, timeout=120_000)
    assert (chat.attachments[key].pixels == original).all()
    assert "<img" in chat.view.toHtml()
    assert paint.result_view.image is not None


def test_an_answer_streams_in_the_body_style_below_its_header(qtbot, chat):
    from PySide6.QtGui import QFont

    def blocks():
        block, found = chat.view.document().begin(), []
        while block.isValid():
            fragments = block.begin()
            bold = False
            while not fragments.atEnd():
                bold |= fragments.fragment().charFormat().fontWeight() >= QFont.Weight.Bold
                fragments += 1
            found.append((block.text(), bold))
            block = block.next()
        return found

    seen = []
    chat.worker.job_partial.connect(lambda handle, event: seen.append(blocks()) if not seen else None)
    send_and_wait(qtbot, chat, "Say hello.")
    streaming = seen[0]
    assert streaming[:2] == [("You", True), ("Say hello.", False)]
    assert streaming[2] == ("Atelier", True)  # the header alone on its line
    assert streaming[3][0].strip() and not streaming[3][1]  # the answer in the body style


def test_deleting_a_chat_keeps_the_side_panel_width(qtbot, chat, main_window):
    main_window.resize(1024, 700)
    main_window.show()
    qtbot.waitExposed(main_window)
    send_and_wait(qtbot, chat, "Tell me about the lighthouse keeper and the storm that came in the night.")
    before = chat.splitter.sizes()
    chat.delete_current()
    qtbot.wait(50)
    assert chat.undo_row.isVisible() and "lighthouse keeper" in chat.undo_label.text()
    assert chat.splitter.sizes() == before


def test_open_in_compose_sets_the_recipe_keeps_the_tempo_and_the_variations(qtbot, chat, main_window, compose,
                                                                               tmp_path):
    import pretty_midi
    from PySide6.QtCore import QUrl

    from tests.support.jobs import wait_for_job

    compose.controls.tempo_spin.setValue(110)
    compose.controls.mode_combo.setCurrentText("major")
    earlier = wait_for_job(qtbot, compose, compose.generate)  # three unkept variations
    chat.send("compose a sad Irish tune in D minor, 8 bars at 88 bpm")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment") is not None, timeout=120_000)
    key = chat.messages[-1].meta["attachment"]["key"]
    qtbot.waitUntil(lambda: chat.attachments[key].audio is not None, timeout=60_000)
    chat._on_link(QUrl(f"atelier:open-melody/{key}"))

    controls = compose.controls
    assert (controls.key_combo.currentText(), controls.mode_combo.currentText()) == ("D", "minor")
    assert controls.bars_spin.value() == 8 and controls.tempo_spin.value() == 88
    assert controls.style_combo.currentData() == "irish"
    rows = [compose.variation_list.variation(row) for row in range(compose.variation_list.count())]
    # Nothing unkept was replaced (their sound may have arrived since: the same melodies, re-wrapped).
    assert len(rows) == 4 and all(a.melody is b.melody for a, b in zip(rows, earlier, strict=False))
    assert rows[3].melody is chat.attachments[key].melody
    assert compose.variation_list.currentRow() == 3 and compose.variation_list.item(3).text().startswith("4. ")
    assert "the 3 above are still here" in compose.message_bar.text()

    wait_for_job(qtbot, compose, lambda: compose.export_to(tmp_path / "chat tune.mid"))
    tempo = pretty_midi.PrettyMIDI(str(tmp_path / "chat tune.mid")).get_tempo_changes()[1][0]
    assert abs(tempo - 88) < 0.5
    chat._on_link(QUrl(f"atelier:open-melody/{key}"))  # opening it again selects it, no second copy
    assert compose.variation_list.count() == 4


def test_a_song_sketch_shows_its_tune_and_cover_inline(qtbot, chat, main_window, paint, compose, monkeypatch):
    from PySide6.QtCore import QUrl

    from models.assistant import writing
    from models.verse.lyrics import LyricLine

    # the lyrics are the verse tests' business (minutes of decoding here): two fixed lines stand in
    lines = [LyricLine("the sea is wide", ["the", "sea", "is", "wide"]), LyricLine("and so am I", ["and"])]
    monkeypatch.setattr(writing, "lyrics_for", lambda melody, theme, scheme, seed, *rest, **options: (lines, theme, ""))
    chat.send("write a song about the sea in D minor, 4 bars")
    qtbot.waitUntil(lambda: chat.messages[-1].meta.get("attachment", {}).get("kind") == "painting", timeout=180_000)
    song, cover = chat.messages[-2], chat.messages[-1]
    assert "the sea is wide" in song.content and song.meta["attachment"]["kind"] == "melody"
    assert "<img" in chat.view.toHtml() and "Open in Paint" in chat.view.toHtml() and "▶ Play" in chat.view.toHtml()
    from app.paths import data_dir

    (song_folder,) = (data_dir() / "songs").iterdir()
    assert sorted(p.name for p in song_folder.iterdir()) == ["cover.png", "lyrics.txt", "song.mid", "song.wav"]

    tune_key = song.meta["attachment"]["key"]
    qtbot.waitUntil(lambda: getattr(chat.attachments.get(tune_key), "audio", None) is not None, timeout=60_000)
    tune = chat.attachments[tune_key]
    assert tune.melody.mode == "minor" and tune.melody.bars == 4
    chat._on_link(QUrl(f"atelier:open-melody/{tune_key}"))
    assert main_window.tabs.currentWidget() is compose
    chat._on_link(QUrl(f"atelier:open-painting/{cover.meta['attachment']['key']}"))
    assert main_window.tabs.currentWidget() is paint and paint.result_view.image is not None


def test_the_message_box_takes_the_keys_when_the_tab_comes_forward(qtbot, main_window):
    # After Ctrl+3 the focus went to a button: "hello, what can you do?" was sent as "what can you do?".
    main_window.show()
    qtbot.waitExposed(main_window)
    paint, compose, chat = main_window.activity_tabs
    main_window.tabs.setCurrentWidget(compose)
    compose.controls.tempo_spin.setFocus()
    main_window.tabs.setCurrentWidget(chat)
    assert main_window.focusWidget() is chat.input
    chat.conversation_list.setFocus()  # and again after the user left the tab with the focus elsewhere in it
    main_window.tabs.setCurrentWidget(paint)
    main_window.tabs.setCurrentWidget(chat)
    assert main_window.focusWidget() is chat.input


def test_stop_keeps_the_answer_at_once_while_the_worker_is_still_busy(qtbot, main_window, monkeypatch):
    # Between two cancel checks the model can work for seconds on a busy machine (a 256-token chunk of the
    # conversation, a token); the answer stops when the user asks, and the job's late end adds nothing.
    import threading

    from app.tabs.chat import jobs
    from models.jobs import Result, Token

    release = threading.Event()

    def slow_reply(history, settings, server_url=""):
        def job(context):
            yield Token("Once upon")
            release.wait(10)  # a long step that looks at no cancel flag
            yield Result(None)

        return job

    monkeypatch.setattr(jobs, "reply", slow_reply)
    chat = main_window.activity_tabs[2]
    main_window.tabs.setCurrentWidget(chat)
    chat.send("Tell me a story.")
    qtbot.waitUntil(lambda: "Once upon" in chat.view.streamed_text(), timeout=10_000)
    handle = chat._reply_job
    main_window.cancel_job()  # Esc
    assert chat.send_button.text() == "Send"
    assert [m.role for m in chat.messages] == ["user", "assistant"] and chat.messages[-1].meta.get("stopped")
    assert chat.messages[-1].content.startswith("Once upon")
    chat.new_conversation()
    release.set()
    qtbot.waitUntil(lambda: handle not in chat.worker.pending_jobs(), timeout=10_000)
    assert chat.messages == [] and chat.conversation_id is None
    assert chat.conversation_list.count() == 1  # the stopped answer's conversation, and no other


def test_escape_while_the_assistant_loads_stops_the_loading(qtbot, main_window, monkeypatch):
    # Loading the model for the first message took 26 s on two busy cores, and Esc (or closing the window) waited
    # for all of it: it stops between the model's layers now.
    from models.text import chat as chat_engine

    monkeypatch.setattr(chat_engine, "_shared", {})  # nothing loaded yet in this process
    chat = main_window.activity_tabs[2]
    main_window.tabs.setCurrentWidget(chat)
    chat.send("Hello!")
    qtbot.waitUntil(lambda: "loading the assistant" in main_window.status.job_label.text(), timeout=60_000)
    with qtbot.waitSignal(chat.worker.job_cancelled, timeout=60_000):
        main_window.cancel_job()  # Esc
    assert chat_engine._shared == {} and "chat_model" not in chat.worker.cache  # it stopped before it was loaded
