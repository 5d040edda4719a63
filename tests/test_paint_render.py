"""Rendering in a style: seeded determinism, any size and aspect, tiles without seams, strength controls."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from models.paint.network import StyleRenderer, make_noise
from models.paint.palette import PaletteGMM, colour_statistics
from models.paint.render import RenderParams, border_margin, paint_frame, render_in_style, render_tiles, tile_origins
from models.paint.style import Style


def _random_renderer(width: int = 8, blocks: int = 2, seed: int = 0, fine_noise: bool = False) -> StyleRenderer:
    torch.manual_seed(seed)
    renderer = StyleRenderer(width=width, blocks=blocks, fine_noise=fine_noise)
    # Zero-initialised block outputs would hide the body from the tiling tests: give them weights.
    for block in renderer.body:
        torch.nn.init.normal_(block.conv2.weight, std=0.05)
    return renderer.eval()


def _style(work_size: int = 256) -> Style:
    rng = np.random.default_rng(1)
    warm = np.clip(rng.normal([0.8, 0.5, 0.2], 0.08, (2000, 3)), 0, 1)
    return Style(
        name="test", renderer=_random_renderer(), palette=PaletteGMM.fit(warm, components=3), work_size=work_size
    )


def _picture(width: int, height: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x / width, y / height, 0.5 + 0.5 * np.sin(x / 9.0)], axis=-1)
    return Image.fromarray((np.clip(base + rng.normal(0, 0.05, base.shape), 0, 1) * 255).astype(np.uint8))


@pytest.mark.parametrize("look", ["strokes", "texture"])
def test_same_seed_same_image_and_another_seed_another_brushwork(look):
    style, picture = _style(), _picture(160, 120)
    first = np.asarray(render_in_style(style, picture, RenderParams(seed=7, look=look)))
    again = np.asarray(render_in_style(style, picture, RenderParams(seed=7, look=look)))
    other = np.asarray(render_in_style(style, picture, RenderParams(seed=8, look=look)))
    assert np.array_equal(first, again)
    assert np.abs(first.astype(int) - other.astype(int)).mean() > 0.1


@pytest.mark.parametrize("look", ["strokes", "texture"])
@pytest.mark.parametrize("size", [(97, 61), (300, 64), (64, 300), (255, 255)])
def test_any_size_and_aspect_ratio_comes_back_at_that_size(size, look):
    result = render_in_style(_style(), _picture(120, 90), RenderParams(size=size, look=look))
    assert result.size == size and result.mode == "RGB"


@pytest.mark.parametrize("fine_noise", [False, True])
def test_tiled_render_equals_whole_frame_render_so_there_are_no_seams(fine_noise):
    renderer = _random_renderer(fine_noise=fine_noise)
    rgb = torch.rand(1, 3, 200, 280)
    noise = make_noise(200, 280, seed=3)
    whole = paint_frame(renderer, rgb, noise)
    *_, (_, tiled) = list(render_tiles(renderer, rgb, noise, tile=64))
    assert len(tile_origins(280, 64)) > 3  # really tiled
    assert torch.allclose(whole, tiled, atol=1e-5)


@pytest.mark.parametrize("size", [(200, 280), (20, 36)])
def test_the_edges_are_painted_as_if_the_picture_went_on_in_its_mirror_image(size):
    renderer = _random_renderer()
    rgb, noise = torch.rand(1, 3, *size), make_noise(*size, seed=3)
    margin = border_margin(renderer, *size)
    mirrored = [torch.nn.functional.pad(t, (margin,) * 4, mode="reflect") for t in (rgb, noise)]
    with torch.no_grad():
        interior = renderer(*mirrored)[:, :, margin:-margin, margin:-margin]
        bare = renderer(rgb, noise)
    *_, (_, tiled) = list(render_tiles(renderer, rgb, noise, tile=64))
    assert torch.allclose(tiled, interior, atol=1e-5)
    assert (bare - interior).abs().max() > 1e-3  # the network's own padding paints the edges otherwise
    assert margin == (renderer.receptive_radius if min(size) > renderer.receptive_radius else 16)


def test_tiles_without_the_overlap_would_show_seams():
    # The same comparison with no margin must fail; otherwise the test above could not catch a seam.
    renderer = _random_renderer()
    rgb, noise = torch.rand(1, 3, 128, 128), make_noise(128, 128, seed=3)
    with torch.no_grad():
        whole = renderer(rgb, noise)
        left = renderer(rgb[..., :64], noise[..., :64])
    assert (whole[..., :64] - left).abs()[..., 60:64].max() > 1e-3


def test_receptive_radius_bounds_how_far_a_change_travels():
    renderer = _random_renderer(blocks=2)
    rgb, noise = torch.rand(1, 3, 256, 256), torch.zeros(1, 1, 256, 256)
    poked = rgb.clone()
    poked[:, :, 128, 128] += 1.0
    with torch.no_grad():
        change = (renderer(poked, noise) - renderer(rgb, noise)).abs().sum(1)[0]
    rows, cols = torch.nonzero(change > 0, as_tuple=True)
    reach = max((rows - 128).abs().max().item(), (cols - 128).abs().max().item())
    assert 0 < reach <= renderer.receptive_radius


def test_large_output_is_tiled_and_keeps_its_size():
    style = _style(work_size=512)
    result = render_in_style(style, _picture(300, 200), RenderParams(size=(900, 600), tile=128, look="texture"))
    assert result.size == (900, 600)


@pytest.mark.parametrize("look", ["strokes", "texture"])
def test_strength_zero_with_palette_zero_gives_back_the_input(look):
    picture = _picture(128, 96)
    result = render_in_style(_style(), picture, RenderParams(strength=0.0, palette=0.0, look=look))
    difference = np.abs(np.asarray(result, dtype=float) - np.asarray(picture, dtype=float))
    assert difference.mean() < 3.0


@pytest.mark.parametrize("look", ["strokes", "texture"])
def test_strength_moves_the_result_away_from_the_input(look):
    picture = _picture(128, 96)
    distances = []
    for strength in (0.0, 0.5, 1.0):
        result = render_in_style(_style(), picture, RenderParams(strength=strength, palette=0.0, look=look))
        distances.append(np.abs(np.asarray(result, dtype=float) - np.asarray(picture, dtype=float)).mean())
    assert distances[0] < distances[1] < distances[2]


def test_palette_strength_moves_colours_to_the_painters():
    """The texture look moves the picture's colour statistics onto the palette's (the stroke look maps
    colours by the painter's habits instead: tests/test_paint_strokes.py)."""
    style, picture = _style(), _picture(128, 96)
    painter_mean = style.palette.moments()[0]
    gaps = []
    for amount in (0.0, 1.0):
        result = render_in_style(style, picture, RenderParams(palette=amount, look="texture"))
        mean, _ = colour_statistics(torch.from_numpy(np.asarray(result, dtype=np.float32) / 255).permute(2, 0, 1))
        gaps.append(np.linalg.norm(mean - painter_mean))
    assert gaps[1] < 0.25 * gaps[0]


def test_out_of_range_controls_are_refused():
    with pytest.raises(ValueError):
        render_in_style(_style(), _picture(64, 64), RenderParams(strength=1.5))
    with pytest.raises(ValueError, match="look"):
        render_in_style(_style(), _picture(64, 64), RenderParams(look="watercolour"))
    with pytest.raises(ValueError, match="detail"):
        render_in_style(_style(), _picture(64, 64), RenderParams(detail=3.0))


def test_strokes_are_the_default_look_and_texture_stays_available():
    style, picture = _style(), _picture(128, 96)
    default = np.asarray(render_in_style(style, picture, RenderParams(seed=2)))
    strokes = np.asarray(render_in_style(style, picture, RenderParams(seed=2, look="strokes")))
    texture = np.asarray(render_in_style(style, picture, RenderParams(seed=2, look="texture")))
    assert np.array_equal(default, strokes) and not np.array_equal(default, texture)


def _edge_detail_ratios(picture: Image.Image) -> list[float]:
    """Detail (mean |Laplacian|) in the outer 8 px of each side, against the strip 24-64 px inside it."""
    grey = np.asarray(picture.convert("L"), dtype=float)
    detail = np.abs(4 * grey[1:-1, 1:-1] - grey[:-2, 1:-1] - grey[2:, 1:-1] - grey[1:-1, :-2] - grey[1:-1, 2:])
    sides = [(detail[:8], detail[24:64]), (detail[-8:], detail[-64:-24]),
             (detail[:, :8], detail[:, 24:64]), (detail[:, -8:], detail[:, -64:-24])]
    return [edge.mean() / inside.mean() for edge, inside in sides]


def test_shipped_styles_paint_no_band_along_the_edges():
    # Every shipped style's texture network painted a band of pattern along some edge (3x the detail
    # inside, Turner's and Hokusai's bottom) before the frame was extended by its mirror image.
    from models.paint.data import shipped_photos
    from models.paint.style import list_shipped_styles, load_style

    photo = shipped_photos(("chelsea",))[0].resize((512, 340), Image.Resampling.LANCZOS)
    for name, path in list_shipped_styles().items():
        painted = render_in_style(load_style(path), photo, RenderParams(seed=1, look="texture"))
        assert max(_edge_detail_ratios(painted)) < 1.3, name
