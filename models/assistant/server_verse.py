"""Lines with a form from a local LLM server (Ollama / OpenAI-compatible): the server writes, the
pronouncing dictionary checks (syllables, rhyme), and a line that fails every try is written by the
built-in constrained writer instead. A bigger model's words, with the same form kept."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from models.jobs import run_job
from models.text.sampling import SamplingSettings
from models.verse.end_words import needs_a_word_after
from models.verse.line_form import LineForm, rhyme_group, tidy
from models.verse.pronounce import Pronouncing, words_in


def first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().strip('"“”*').strip()
        if line and not line.lower().startswith(("here", "sure", "line ")):
            return tidy(line)
    return ""


def keeps_form(line: str, form: LineForm, words: Pronouncing) -> bool:
    found = words_in(line)
    if not found:
        return False
    if form.syllables is not None and words.line_syllables(line) != form.syllables:
        return False
    if form.rhyme_with and not words.rhymes(found[-1], form.rhyme_with):
        return False
    return not needs_a_word_after(found)  # "a long": the built-in writer's rule (models/verse/end_words.py)


def server_lines(
    backend,
    request: str,
    forms: Sequence[LineForm],
    scheme: str | None,
    fallback: Callable[[LineForm, list[str]], str],
    words: Pronouncing | None = None,
    tries: int = 3,
    seed: int = 0,
    cancel: threading.Event | None = None,
) -> tuple[list[str], int]:
    """One line per form; returns the lines and how many came from the server (the rest: `fallback`)."""
    words = words or Pronouncing.shared()
    lines: list[str] = []
    ends: dict[str, str] = {}
    from_server = 0
    for index, form in enumerate(forms):
        group = rhyme_group(scheme, index, len(forms))
        if group and group in ends:
            form = replace(form, rhyme_with=ends[group])
        ask = f"{request}\nThe song so far:\n" + "\n".join(lines) if lines else request
        ask += f"\nWrite the next line only: exactly {form.syllables} syllables"
        ask += f", ending on a word that rhymes with '{form.rhyme_with}'." if form.rhyme_with else "."
        line = ""
        for attempt in range(tries):
            settings = SamplingSettings(temperature=0.9, max_new_tokens=40, seed=seed * 7 + index * tries + attempt)
            reply = run_job(backend.reply([{"role": "user", "content": ask}], settings, cancel))
            candidate = first_line(reply.text)
            if keeps_form(candidate, form, words):
                line = candidate
                from_server += 1
                break
        if not line:
            line = fallback(form, lines)
        lines.append(line)
        found = words_in(line)
        if group and found and group not in ends:
            ends[group] = found[-1]
    return lines, from_server
