"""Which pixels of a key map a stroke could still claim, asked of many pixels at once.

Stamping (brush.stamp) lays the last strokes first, and a pixel keeps the largest key that covers it, so where a
larger key already lies an earlier stroke has nothing to claim. The smallest key in each block of a row and in each
square of the map, kept up to date as the map is stamped, say so for many pixels at a time: a stroke whose key is no
larger than a block's smallest can claim none of the block's pixels. Keys only grow, so a stale smallest key is only
too small, never too large: it may keep a pixel that has nothing to claim, never drop one that has.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

BLOCK = 16  # consecutive pixels of the key map asked at once whether a stroke could still claim any of them
SQUARE = 16  # side of the squares of the key map asked at once whether a disc could still claim any pixel


def laid_out(starts: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The integers of the ranges `starts` + 0 .. `lengths` - 1 laid end to end, and the range each came from."""
    which = torch.repeat_interleave(lengths)
    return torch.arange(which.numel()) + (starts - (lengths.cumsum(0) - lengths))[which], which


@dataclass
class LowestInBlocks:
    """The smallest key in each block of BLOCK consecutive pixels of a key map, kept up to date while it is
    stamped: a stroke whose key is no larger has nothing to claim in the block (keys only grow)."""

    blocks: torch.Tensor  # (B, BLOCK) the map's keys, a view
    lowest: torch.Tensor  # (B + 1,) and -1 for a last, partial block, which is never passed over

    @classmethod
    def of(cls, keys: torch.Tensor) -> LowestInBlocks:
        """Of a map's flat keys (the tensor that is stamped)."""
        whole = keys.numel() // BLOCK
        blocks = keys[: whole * BLOCK].view(whole, BLOCK)
        return cls(blocks, torch.cat([blocks.amin(1), keys.new_full((1,), -1)]))

    def unclaimed(
        self, start: torch.Tensor, length: torch.Tensor, key: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The pixels (flat indices) of runs (first pixel, length, key) that lie in a block where the run's key
        could still claim a pixel, and the run each belongs to."""
        first_block = start // BLOCK
        block, run = laid_out(first_block, (start + length - 1) // BLOCK - first_block + 1)
        open_block = (key[run] > self.lowest[block]).nonzero().flatten()
        block, run = block[open_block], run[open_block]
        piece_start = torch.maximum(start[run], block * BLOCK)
        piece_end = torch.minimum(start[run] + length[run], (block + 1) * BLOCK)
        flat, piece = laid_out(piece_start, piece_end - piece_start)
        return flat, run[piece]

    def update(self, stamped: torch.Tensor) -> None:
        """Take in the pixels just stamped."""
        changed = _touched(stamped // BLOCK, self.lowest.numel())
        changed = changed[changed < self.blocks.shape[0]]
        self.lowest[changed] = self.blocks[changed].amin(1)


@dataclass
class LowestInSquares:
    """The smallest key in each square of SQUARE x SQUARE pixels of a key map, kept up to date while it is
    stamped: a disc whose key is no larger in every square its own square meets has nothing to claim at all,
    and none of its rows need be found (the leaving to the next disc stays exact: that disc's pixels then
    hold keys at least as large as its own, which are at least as large as this one's)."""

    keys: torch.Tensor  # the map's flat keys (the tensor that is stamped)
    height: int
    width: int
    lowest: torch.Tensor  # (rows, columns) of squares

    @classmethod
    def of(cls, keys: torch.Tensor, height: int, width: int) -> LowestInSquares:
        rows, columns = -(-height // SQUARE), -(-width // SQUARE)
        squares = cls(keys, height, width, torch.empty((rows, columns), dtype=keys.dtype))
        squares.lowest.view(-1)[:] = squares._smallest(torch.arange(rows * columns))
        return squares

    def _smallest(self, squares: torch.Tensor) -> torch.Tensor:
        """The smallest key in each of the squares (flat indices); a square at the map's edge holds its part."""
        columns, side = self.lowest.shape[1], torch.arange(SQUARE)
        # Clamped to the map, a partial square's pixels repeat its own last row or column, never another's.
        ys = ((squares // columns * SQUARE)[:, None] + side).clamp_max(self.height - 1)
        xs = ((squares % columns * SQUARE)[:, None] + side).clamp_max(self.width - 1)
        return self.keys[ys[:, :, None] * self.width + xs[:, None, :]].flatten(1).amin(1)

    def open_discs(
        self, discs: torch.Tensor, pixel: torch.Tensor, half: torch.Tensor, key: torch.Tensor
    ) -> torch.Tensor:
        """The discs (indices) that may still claim a pixel: their key is larger than the smallest in one of
        the squares that meet their own square (the pixels within `half` of their centre's pixel)."""
        height, width = self.height, self.width
        y0 = (pixel[discs, 1] - half[discs]).clamp_min(0) // SQUARE
        y1 = (pixel[discs, 1] + half[discs]).clamp_max(height - 1) // SQUARE
        x0 = (pixel[discs, 0] - half[discs]).clamp_min(0) // SQUARE
        x1 = (pixel[discs, 0] + half[discs]).clamp_max(width - 1) // SQUARE
        across = (x1 - x0 + 1).clamp_min(0)
        number, disc = laid_out(torch.zeros_like(discs), (y1 - y0 + 1).clamp_min(0) * across)
        square_y, square_x = y0[disc] + number // across[disc], x0[disc] + number % across[disc]
        claims = key[discs[disc]] > self.lowest[square_y, square_x]
        open_ = torch.zeros(discs.numel(), dtype=torch.bool)
        open_[disc[claims]] = True
        return discs[open_]

    def update(self, stamped: torch.Tensor) -> None:
        """Take in the pixels just stamped."""
        width, columns = self.width, self.lowest.shape[1]
        changed = _touched(stamped // width // SQUARE * columns + stamped % width // SQUARE, self.lowest.numel())
        self.lowest.view(-1)[changed] = self._smallest(changed)


def _touched(indices: torch.Tensor, size: int) -> torch.Tensor:
    """The distinct `indices` (each below `size`), in increasing order: what `torch.unique` gives, without its sort
    of every stamped pixel (the smallest keys' upkeep was a third of stamping)."""
    marked = torch.zeros(size, dtype=torch.bool)
    marked[indices] = True
    return marked.nonzero().flatten()
