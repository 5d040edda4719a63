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


def test_no_sentence_is_built_from_an_exceptions_class_name():
    """Users read what happened, never `OSError` or `KeyError`; the log file has the traceback."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"type\(\s*\w+\s*\)\.__name__|\.__class__\.__name__")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("app", "models")
        for path in sorted((root / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
