"""The output sizes a painting may have, in one place: the CLI, the Paint tab and every engine entry
point check a size here before they allocate anything for it."""

from __future__ import annotations

MIN_SIDE = 8
MAX_SIDE = 16384  # a 16384 x 16384 RGB result is 805 MB: the one allocation that grows with the size


def check_output_size(size: tuple[int, int]) -> tuple[int, int]:
    """(width, height) as ints, or ValueError with a sentence naming the accepted range."""
    width, height = (int(side) for side in size)
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
        raise ValueError(
            f"the size {width}x{height} is outside what Atelier paints: {MIN_SIDE} to {MAX_SIDE:,} pixels on each side"
        )
    return width, height
