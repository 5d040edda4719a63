"""The finish: a small trained network over the stroke render (models/paint/finish/)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from models.checkpoint import CheckpointError, load_checkpoint
from models.jobs import JobCancelled, Progress, Result, run_job
from models.paint.finish.apply import finish_for, finish_path_for, finish_tiles, load_finish_file, save_finish
from models.paint.finish.network import FinishNetwork
from models.paint.finish.training import FinishConfig, train_finish
from tests.support.paintings import painting_image
from tests.test_paint_strokes import _picture


def _finished(network: FinishNetwork, picture: torch.Tensor, tile: int = 512, seed: int = 0) -> torch.Tensor:
    result = None
    for _, output in finish_tiles(network, picture, 1.0, seed, tile=tile):
        result = output
    assert result is not None
    return result


def _random_finish(seed: int = 0, std: float = 0.2, lock: str = "highpass") -> FinishNetwork:
    torch.manual_seed(seed)
    network = FinishNetwork(width=8, blocks=1, colour_lock=lock)
    for parameter in network.parameters():
        torch.nn.init.normal_(parameter, std=std)
    return network.eval().requires_grad_(False)


def test_an_untrained_finish_is_exactly_the_stroke_render():
    picture = torch.rand(3, 50, 70)
    assert torch.equal(_finished(FinishNetwork(width=8, blocks=1).eval(), picture), picture)


def test_same_seed_same_pixels_and_tiles_join_without_seams():
    network, picture = _random_finish(), torch.rand(3, 200, 300)
    whole = _finished(network, picture, tile=512)
    assert torch.equal(whole, _finished(network, picture, tile=512))
    assert torch.allclose(whole, _finished(network, picture, tile=64), atol=1e-5)
    assert not torch.allclose(whole, picture, atol=1e-2)


def test_a_large_painting_is_finished_at_the_working_size_and_keeps_its_own(monkeypatch):
    from models.paint.finish import apply

    monkeypatch.setattr(apply, "WORK_SIDE", 64)
    network, picture = _random_finish(std=0.05), 0.3 + 0.4 * torch.rand(3, 150, 200)
    finished = _finished(network, picture)
    assert finished.shape == picture.shape
    # The change is made at 64 px and enlarged: smooth at the picture's scale, the strokes' pixels kept.
    change = finished - picture
    picture_detail = (picture[:, :, 1:] - picture[:, :, :-1]).abs().mean()
    assert change.abs().mean() > 1e-3 and (change[:, :, 1:] - change[:, :, :-1]).abs().mean() < picture_detail / 4
    unchanged = None
    for _, output in finish_tiles(network, picture, 0.0, 0):
        unchanged = output
    assert unchanged is not None and torch.equal(unchanged, picture)


def test_the_coarse_lock_keeps_each_region_s_colour_and_changes_the_strokes_within_it():
    network, picture = _random_finish(std=0.05, lock="coarse"), 0.3 + 0.4 * torch.rand(1, 3, 96, 96)
    with torch.no_grad():
        network.tail.bias.copy_(torch.tensor([0.6, -0.6, 0.4]))  # left free, it would recolour by ~0.27
        change = network(picture, torch.randn(1, 1, 96, 96)) - picture
        unlocked_offset = 0.5 * torch.tanh(network.tail.bias).abs().mean()
    assert change.abs().mean() > 1e-2  # it changes pixels at the scale of strokes...
    tent = F.avg_pool2d(F.avg_pool2d(change, 17, stride=1, padding=8), 17, stride=1, padding=8)
    assert tent[..., 16:-16, 16:-16].abs().mean() < 0.05 * unlocked_offset  # ...but not a region's colour


def test_a_grey_finish_changes_light_and_dark_and_not_hue():
    network, picture = _random_finish(std=0.05, lock="coarse"), 0.3 + 0.4 * torch.rand(1, 3, 64, 64)
    network.grey = True
    with torch.no_grad():
        change = network(picture, torch.randn(1, 1, 64, 64)) - picture
    assert change.abs().mean() > 1e-2
    assert torch.allclose(change[:, 0], change[:, 1], atol=1e-6) and torch.allclose(change[:, 1], change[:, 2], atol=1e-6)


def test_a_drifted_offset_does_not_saturate_the_coarse_finish():
    # The lock hides a constant offset from every loss, so it can drift; it must not kill the finish.
    network, picture = _random_finish(std=0.05, lock="coarse"), 0.3 + 0.4 * torch.rand(1, 3, 64, 64)
    noise = torch.randn(1, 1, 64, 64)
    with torch.no_grad():
        before = network(picture, noise) - picture
        network.tail.bias.fill_(22.0)  # what the first coarse run's output drifted to
        after = network(picture, noise) - picture
    assert torch.allclose(before, after, atol=1e-5) and after.abs().mean() > 1e-2


def test_a_detail_discriminator_does_not_see_a_region_s_colour():
    from models.paint.finish.training import judged
    from models.paint.network import PatchDiscriminator

    torch.manual_seed(0)
    discriminator = PatchDiscriminator(width=8).eval()
    images = 0.3 + 0.2 * torch.rand(2, 3, 64, 64)
    recoloured = images + torch.tensor([0.2, -0.1, 0.1])[None, :, None, None]
    sharper = images + 0.5 * (images - F.avg_pool2d(images, 3, stride=1, padding=1))
    with torch.no_grad():
        seen = {
            (name, mode): discriminator(judged(x, mode))[0][0]
            for name, x in [("plain", images), ("recoloured", recoloured), ("sharper", sharper)]
            for mode in ("detail", "image")
        }
    assert torch.allclose(seen["plain", "detail"], seen["recoloured", "detail"], atol=1e-5)
    assert not torch.allclose(seen["plain", "detail"], seen["sharper", "detail"], atol=1e-3)
    assert not torch.allclose(seen["plain", "image"], seen["recoloured", "image"], atol=1e-3)


def test_edge_crops_are_centred_on_an_edge_at_one_to_one():
    from models.paint.finish.training import FinishData

    # A flat picture with one vertical edge at x = 70, and a "painting" with one at x = 30.
    left, right = Image.new("RGB", (70, 96), (200, 60, 40)), Image.new("RGB", (130, 96), (40, 80, 200))
    render = Image.new("RGB", (200, 96))
    render.paste(left, (0, 0))
    render.paste(right, (70, 0))
    painting = render.crop((40, 0, 136, 96))
    data = FinishData([render], [painting], crop=32, painting_size=96)
    renders, paintings = data.finish_batch(seed=0, step=0, size=16, centres="edges")
    for crop in torch.cat([renders, paintings]):
        columns = crop.mean(1)  # (3, 32): the colour of each column
        jumps = (columns[:, 1:] - columns[:, :-1]).abs().sum(0)
        assert jumps.max() > 0.5 and 12 <= int(jumps.argmax()) <= 19  # the edge, within 4 px of the centre
        assert set(crop.unique().tolist()) <= set(data.photos[0].unique().tolist())  # 1:1: no resampled pixel
    anywhere, _ = data.finish_batch(seed=0, step=0, size=16)
    assert sum(float((c.mean(1)[:, 1:] - c.mean(1)[:, :-1]).abs().sum(0).max()) < 0.5 for c in anywhere) >= 4
    with pytest.raises(ValueError):
        data.finish_batch(seed=0, step=0, size=2, centres="middle")


def test_save_load_and_a_damaged_file_is_a_sentence(tmp_path):
    network = _random_finish(lock="coarse")
    path = save_finish(tmp_path / "x.finish.safetensors", network, {"steps": 1})
    loaded = load_finish_file(path)
    picture = torch.rand(3, 40, 60)
    assert loaded.colour_lock == "coarse"
    assert torch.allclose(_finished(network.half().float(), picture), _finished(loaded, picture), atol=1e-6)
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError):
        load_finish_file(path)


def test_a_style_without_a_finish_has_none_and_one_with_it_loads_it(tmp_path):
    style = SimpleNamespace(path=tmp_path / "mine.safetensors")
    assert finish_path_for(style.path) == tmp_path / "references" / "mine.finish.safetensors"
    assert finish_for(style) is None  # type: ignore[arg-type]
    assert finish_for(SimpleNamespace(path=None)) is None  # type: ignore[arg-type]
    finish_path_for(style.path).parent.mkdir()
    save_finish(finish_path_for(style.path), _random_finish(), {"steps": 1})
    assert isinstance(finish_for(style), FinishNetwork)  # type: ignore[arg-type]


def test_training_runs_resumes_and_cancels(tmp_path):
    renders = [_picture(96, 96), _picture(96, 96).transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    paintings = [painting_image(seed, 96) for seed in range(2)]
    config = FinishConfig(
        minutes=60,
        max_steps=3,
        batch=2,
        crop=32,
        width=8,
        blocks=1,
        painting_size=96,
        style_layers=["conv1_1", "conv2_1"],
        content_layer="conv2_1",
        target_crops=4,
        colour_lock="coarse",
        discriminator_input="detail",
        structure_weight=0.0,
        tail_learning_rate_scale=4.0,
        discriminator_width=8,
        crop_centres="edges",
    )
    output, state = tmp_path / "f.finish.safetensors", tmp_path / "state.safetensors"
    written = run_job(train_finish(renders, paintings, output, state, config))
    assert written == output and state.exists()
    picture = torch.rand(3, 32, 32)
    assert not torch.equal(_finished(load_finish_file(output), picture), picture)  # it learned something

    cancel = threading.Event()
    longer = FinishConfig(**{**config.__dict__, "max_steps": 50})
    with pytest.raises(JobCancelled):
        for event in train_finish(renders, paintings, output, state, longer, cancel=cancel):
            if isinstance(event, Progress) and event.message.startswith("step 5:"):
                cancel.set()
            assert not isinstance(event, Result)
    assert load_checkpoint(state, kind="paint-finish-training").metadata["training"]["step"] == 5


@pytest.mark.parametrize("lock", ["highpass", "coarse"])
def test_no_change_travels_further_than_the_receptive_radius(lock):
    network = _random_finish(lock=lock)
    picture, noise = torch.rand(1, 3, 160, 160), torch.zeros(1, 1, 160, 160)
    poked = picture.clone()
    poked[:, :, 80, 80] += 0.5
    with torch.no_grad():
        moved = (network(poked, noise) - network(picture, noise)).abs().sum(1)[0] > 0
    rows, cols = moved.nonzero(as_tuple=True)
    reach = max(int((rows - 80).abs().max()), int((cols - 80).abs().max()))
    assert 8 < reach <= network.receptive_radius
