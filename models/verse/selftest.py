"""`atelier self-test` check for the verse engine: the shipped sentence VAE writes a line."""

from __future__ import annotations


def check_text_vae() -> str:
    from models.verse.verse import VerseWriter

    writer = VerseWriter.load()
    lines = writer.lines_near("the sea at night", n=1, seed=0)
    if not lines:
        raise RuntimeError("the text VAE wrote nothing")
    return f"text VAE: {lines[0]!r}"
