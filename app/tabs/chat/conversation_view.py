"""The conversation: messages as formatted text, streamed answers, and inline paintings and melodies.

An answer streams in by inserting text at the end of the document (never re-laying out the whole
conversation), so long answers stay smooth. Inline results are links with the `atelier:` scheme
that the Chat tab turns into actions (open in Paint, play, open in Compose).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl
from PySide6.QtGui import QColor, QFont, QImage, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

IMAGE_WIDTH = 320  # px a picture is shown at in the conversation
# The conversation keeps each picture as JPEG bytes, decoded when drawn (Qt's pixmap cache holds the few decoded
# last, at most 10 MB): a 640 px picture is about 1.2 MB decoded and 80 KB as JPEG, and a conversation holds every
# picture it showed. Held decoded, the pictures were about a third of the 100-minute soak's growth (session 14).
IMAGE_QUALITY = 85
USER_COLOUR = "#7aa7e0"
ASSISTANT_COLOUR = "#9bd19b"
LINE_BREAK = "\u2028"  # Qt's line separator: a break within a paragraph, read back by toPlainText as "\n"
EMPTY_STATE = """
<h2>Chat</h2>
<p>A small assistant that runs entirely on this computer (SmolLM2, 135 million parameters). It is quick
and private, and it is <b>not</b> a large model: it chats and brainstorms, but it often gets facts wrong.</p>
<p>What it does well here:</p>
<ul>
<li><b>Paintings</b> — “paint a stormy harbour like Turner” (the picture opens in the Paint tab)</li>
<li><b>Melodies</b> — “compose a sad Irish tune in D minor, 16 bars” (play it here, or open it in Compose)</li>
<li><b>Lyrics</b> — “lyrics for my last melody”: one syllable per note</li>
<li><b>Titles and lines</b> — “five titles for this painting”, “write lines about the sea”,
“riff on 'the night is young'”, “blend 'A' and 'B'”</li>
<li><b>Another one</b> — “another one”, “make it sadder”, “like Hokusai”: the last request again</li>
</ul>
<p>Type below and press Enter. Esc stops an answer.</p>
"""


@dataclass
class ChatMessage:
    role: str  # "user" or "assistant"
    content: str
    meta: dict[str, Any] = field(default_factory=dict)
    id: int | None = None  # the store's id, when saved


# **bold** as the chat model and the help text write it: a pair on one line around words that start and end
# with a letter or sign, so that "2 ** 3" stays as written.
BOLD = re.compile(r"\*\*(\S(?:[^*]*?\S)?)\*\*")


def _paragraphs(text: str, bold: bool = False) -> str:
    lines = (html.escape(line) for line in text.split("\n"))
    return "<br>".join(BOLD.sub(r"<b>\1</b>", line) if bold else line for line in lines)


class ConversationView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Conversation")
        self.setOpenLinks(False)  # the Chat tab handles atelier: links
        self.setOpenExternalLinks(False)
        self._stream_cursor: QTextCursor | None = None
        self._images: dict[str, int] = {}  # key -> the height shown, of pictures registered with the document
        self.show_messages([])

    def add_image(self, key: str, image: QImage) -> str:
        """Register a picture for inline display; returns the URL to put in an <img>. It is kept at twice the
        width it is shown at (sharp on a high-density screen), not at the painting's own size."""
        url = f"atelier-image:{key}"
        if image.width() > 2 * IMAGE_WIDTH:
            image = image.scaledToWidth(2 * IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
        encoded = QByteArray()
        buffer = QBuffer(encoded)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", IMAGE_QUALITY)  # type: ignore[call-overload]  # the binding takes str (its stubs say bytes)
        self.document().addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), encoded)
        # Its height goes in the <img> tag with its width, so laying out the conversation decodes no picture
        # (without it, each new message decoded every picture: 0.45 s with 40 of them).
        self._images[key] = max(1, round(IMAGE_WIDTH * image.height() / max(1, image.width())))
        return url

    def has_image(self, key: str) -> bool:
        return key in self._images

    def message_html(self, message: ChatMessage) -> str:
        who = "You" if message.role == "user" else "Atelier"
        colour = USER_COLOUR if message.role == "user" else ASSISTANT_COLOUR
        parts = [
            f'<p style="margin-top:14px"><b style="color:{colour}">{who}</b></p>',
            f"<p>{_paragraphs(message.content, bold=message.role == 'assistant')}</p>",
        ]
        attachment = message.meta.get("attachment")
        if attachment:
            parts.append(attachment_html(attachment, self._images.get(attachment["key"])))
        details = []
        if message.meta.get("tokens_per_second"):
            details.append(f"{message.meta['tokens_per_second']:.1f} tokens/s")
        if message.meta.get("stopped"):
            details.append("stopped")
        elif message.meta.get("finish") == "length":  # it ended mid-sentence, with no word of why (seen under Xvfb)
            details.append("cut at the max length: raise it in Answer settings for longer answers")
        if details:
            parts.append(f'<p style="color:gray"><small>{" · ".join(details)}</small></p>')
        return "".join(parts)

    def show_messages(self, messages: list[ChatMessage]) -> None:
        self._stream_cursor = None
        if not messages:
            self.setHtml(EMPTY_STATE)
            return
        self.setHtml("".join(self.message_html(m) for m in messages))
        self.scroll_to_end()

    def begin_stream(self, messages: list[ChatMessage]) -> None:
        """Show `messages` and an empty answer that `append_stream` fills."""
        self.show_messages(messages)
        if not messages:
            self.clear()  # which drops the document's pictures too
            self._images.clear()
        # The header gets a block of its own and the answer the plain body style, as `message_html`
        # draws them (inserted HTML would join the last paragraph and lend its bold green to the text).
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        header_block = QTextBlockFormat()
        header_block.setTopMargin(14)
        header = QTextCharFormat()
        header.setFontWeight(QFont.Weight.Bold)
        header.setForeground(QColor(ASSISTANT_COLOUR))
        if messages:
            cursor.insertBlock(header_block, header)
        else:
            cursor.setBlockFormat(header_block)
        cursor.insertText("Atelier", header)
        body = QTextBlockFormat()
        body.setTopMargin(12)  # a <p>'s margin, so the answer does not move when the stream ends
        cursor.insertBlock(body, QTextCharFormat())
        self._stream_cursor = cursor
        self.scroll_to_end()

    def append_stream(self, text: str) -> None:
        if self._stream_cursor is None:
            return
        self._stream_cursor.movePosition(QTextCursor.MoveOperation.End)
        # A line break within the answer's paragraph, as the finished answer shows it (<br>): a new paragraph a line
        # spread the streamed answer out, and it jumped to half its height when it ended (seen under Xvfb).
        self._stream_cursor.insertText(text.replace("\n", LINE_BREAK), QTextCharFormat())
        self.scroll_to_end()

    def streamed_text(self) -> str:
        return self.toPlainText().rsplit("Atelier", 1)[-1].lstrip("\n")

    def scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())


def attachment_html(attachment: dict[str, Any], picture_height: int | None) -> str:
    """Links (and the picture, shown `picture_height` px high, when this session has it) for a painting or a
    melody made in the chat."""
    key = html.escape(str(attachment["key"]))
    if attachment["kind"] == "painting":
        image = (
            f'<img src="atelier-image:{key}" width="{IMAGE_WIDTH}" height="{picture_height}">'
            if picture_height is not None
            else ""
        )
        return (
            f'<p><a href="atelier:open-painting/{key}">{image}</a><br>'
            f'<a href="atelier:open-painting/{key}">Open in Paint</a></p>'
        )
    if attachment["kind"] == "melody":
        return (
            f"<p>♪ {html.escape(attachment.get('title', 'melody'))}<br>"
            f'<a href="atelier:play-melody/{key}">▶ Play</a> · '
            f'<a href="atelier:open-melody/{key}">Open in Compose</a></p>'
        )
    return ""
