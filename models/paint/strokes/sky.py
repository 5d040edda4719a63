"""Where a picture's sky is: the smooth, cool or pale area that runs in from the top edge of the picture.

field.region_memberships calls every open area in the upper half "sky", so a close-up's table top or a garage's wall
was painted as one (Munch's burning sky over a coffee cup, session 17). Lightness cannot tell them apart (the coffee's
table top is L 0.58-0.63, the village sketch's dusk sky 0.42-0.57). What does:
- a sky reaches the top edge over a good share of its width (a patch of wall between shelves does not);
- its colour along the top is blue, grey, pale or violet, not warm (a wooden table, a brick wall);
- it is one smooth area: no sharp edge is crossed on the way down from the top (a dusk sky grades slowly from blue
  to orange, but the horizon, a roof or a tree is an edge), and it holds no busy detail.
The area is found on a coarse grid of cells (flood fill from the top row through cells with no sharp edge), so the
work is a few hundred small max-pools whatever the picture's size.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .filters import blur, channel_norm, gradients

CELL = 4.0  # px at 512: the grid the flood runs on
# OKLab change per px at 512 above which a cell holds an edge the sky does not cross: a dusk sky grades ~0.003 a px,
# a horizon, roof or tree against the sky changes 0.1-0.4 over 2-3 px of the simplified picture.
EDGE_STEP = 0.02
BUSY = 0.5  # a cell more than this busy (field.region_memberships) is detail, not sky
# The colours a sky starts from at the top: a light grey (OKLab chroma up to GREY, none from GREY + GREY_SPAN, and
# lightness from PALE, fully from PALE + PALE_SPAN: an overcast or hazy sky, china's chroma 0.02-0.05 at L 0.92; a dark
# grey is a room's shadow or the dull dark of a garden), or blue to violet (hue BLUE to VIOLET degrees, softened over HUE_SPAN: the
# sheet's skies 250-285). Not a warm colour (a wooden table 51, a cat's fur 53), nor the dark teal-green of a blurred
# garden behind a flower (182), which is as smooth and open as a sky.
GREY, GREY_SPAN = 0.03, 0.02
PALE, PALE_SPAN = 0.45, 0.15
BLUE, VIOLET, HUE_SPAN = 220.0, 320.0, 20.0
# The share of the top row where a sky starts: none below WIDE, fully from WIDE + WIDE_SPAN (the sheet's skies take
# 0.8-1.0 of it, the motorcycle's pale wall between shelves ~0.15).
WIDE, WIDE_SPAN = 0.25, 0.25
SOFTNESS = 3.0  # px at 512: the sky's border blurred, so a stroke across it is not split sharply


def skylike(colours: torch.Tensor) -> torch.Tensor:
    """(...) from 0 to 1: how much (3, ...) OKLab colours have a sky's colour (grey, pale, blue or violet)."""
    chroma = channel_norm(colours[1:])
    grey = (1 - (chroma - GREY) / GREY_SPAN).clamp(0, 1) * ((colours[0] - PALE) / PALE_SPAN).clamp(0, 1)
    hue = torch.rad2deg(torch.atan2(colours[2], colours[1])) % 360
    blue = torch.minimum((hue - BLUE + HUE_SPAN) / HUE_SPAN, (VIOLET + HUE_SPAN - hue) / HUE_SPAN).clamp(0, 1)
    return torch.maximum(grey, blue)


def sky_map(picture: torch.Tensor, busy: torch.Tensor, unit: float) -> torch.Tensor:
    """(H, W) from 0 to 1: how much each pixel of a (3, H, W) OKLab picture (the simplified one) is its sky. `busy`
    (H, W) is field.region_memberships' busy share; `unit` the picture's size over 512."""
    _, height, width = picture.shape
    cell = max(1, round(CELL * unit))
    gx, gy = gradients(picture)
    step = channel_norm(torch.cat([gx, gy])) * unit  # OKLab change per px at 512
    edge = F.max_pool2d(step[None, None], cell, ceil_mode=True)[0, 0]
    detail = F.max_pool2d(busy[None, None], cell, ceil_mode=True)[0, 0]
    open_cells = ((edge < EDGE_STEP) & (detail < BUSY)).float()
    colour = F.avg_pool2d(picture[None], cell, ceil_mode=True)[0]
    reached = torch.zeros_like(open_cells)
    reached[0] = open_cells[0] * (skylike(colour[:, 0]) > 0.5).float()
    wide = float(((reached[0].mean() - WIDE) / WIDE_SPAN).clamp(0, 1))
    # Flood fill, four ways, through open cells; it ends when a pass reaches no new cell.
    for _ in range(open_cells.numel()):
        grown = F.max_pool2d(reached[None, None], (3, 1), stride=1, padding=(1, 0))[0, 0]
        grown = torch.maximum(grown, F.max_pool2d(reached[None, None], (1, 3), stride=1, padding=(0, 1))[0, 0])
        grown = grown * open_cells
        if torch.equal(grown, reached):
            break
        reached = grown
    sky = F.interpolate(reached[None, None], size=(height, width), mode="bilinear", align_corners=False)[0]
    return wide * blur(sky, SOFTNESS * unit)[0].clamp(0, 1)
