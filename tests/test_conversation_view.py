"""The conversation view holds the pictures it shows: a long conversation holds every one of them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QImage, QTextDocument

from app.tabs.chat.conversation_view import IMAGE_WIDTH, ChatMessage, ConversationView
from app.tabs.images import array_to_image, image_to_array


def _painting(height: int = 768, width: int = 1024) -> np.ndarray:
    """Smooth colour fields with some grain, as a painting has."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    red = 128 + 100 * np.sin(x / 97) * np.cos(y / 131)
    green = 128 + 90 * np.sin((x + y) / 173)
    blue = 128 + 80 * np.cos(x / 59 - y / 211)
    grain = np.random.default_rng(3).normal(0, 6, (height, width, 3))
    return np.clip(np.stack([red, green, blue], axis=-1) + grain, 0, 255).astype(np.uint8)


def test_a_picture_is_held_compressed_and_laid_out_at_its_size(qtbot):
    view = ConversationView()
    qtbot.addWidget(view)
    painting = _painting()
    url = view.add_image("k1", array_to_image(painting))

    # Held as JPEG bytes, not 640 x 480 decoded pixels (1.2 MB): the soak's conversation held 46 of them.
    held = view.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(url))
    assert isinstance(held, QByteArray)
    assert held.size() < 2 * IMAGE_WIDTH * 480 * 4 / 8
    shown = QImage.fromData(held)
    assert (shown.width(), shown.height()) == (2 * IMAGE_WIDTH, 480)
    small = array_to_image(painting).scaledToWidth(2 * IMAGE_WIDTH)
    difference = np.abs(image_to_array(shown).astype(int) - image_to_array(small).astype(int))
    assert difference.mean() < 6  # the same picture, to the eye

    # Its height goes in the tag with its width, so laying out the conversation needs no decoding.
    answer = ChatMessage("assistant", "Here it is.", {"attachment": {"kind": "painting", "key": "k1", "recipe": {}}})
    assert f'width="{IMAGE_WIDTH}" height="240"' in view.message_html(answer)
    view.show_messages([ChatMessage("user", "Paint the sea."), answer])
    view.document().setTextWidth(600)  # lay it out
    assert view.document().size().height() > 240

    # A picture this session does not hold shows its links only.
    gone = ChatMessage("assistant", "An old one.", {"attachment": {"kind": "painting", "key": "k2", "recipe": {}}})
    assert "<img" not in view.message_html(gone) and "Open in Paint" in view.message_html(gone)


def test_a_streamed_answer_is_laid_out_as_it_is_once_finished(qtbot):
    # Each line streamed was a paragraph of its own: the answer stood twice as tall while it was written, and
    # shrank to half when it ended (seen under Xvfb).
    view = ConversationView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)  # laid out: a hidden view's document has no height
    asked = [ChatMessage("user", "Tell me a joke.", {})]
    answer = "A cat walks into a bar.\nIt orders a milk.\nThe end.\n\nWant another?"
    view.begin_stream(asked)
    view.append_stream(answer[:30])
    view.append_stream(answer[30:])
    assert view.streamed_text() == answer
    streamed = view.document().size().height()
    assert streamed > 0
    view.show_messages(asked + [ChatMessage("assistant", answer, {})])
    assert abs(view.document().size().height() - streamed) <= 4


def test_an_answer_cut_at_the_max_length_says_so():
    view = ConversationView()
    cut = view.message_html(ChatMessage("assistant", "So that was about 20 years ago. My name", {"finish": "length"}))
    finished = view.message_html(ChatMessage("assistant", "That is all.", {"finish": "end"}))
    assert "cut at the max length" in cut and "max length" not in finished
