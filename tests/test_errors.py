"""What a user reads when something fails: a sentence, never an exception's name."""

from __future__ import annotations

import errno

from app.errors import user_message


def test_an_unexpected_error_is_a_sentence_without_its_class_name():
    assert user_message(RuntimeError()) == (
        "Something went wrong. The details are in the log file (Help ▸ Open log folder)."
    )
    assert "KeyError" not in user_message(KeyError("tempo"))
    assert "OSError" not in user_message(OSError(errno.EIO, "Input/output error"))
