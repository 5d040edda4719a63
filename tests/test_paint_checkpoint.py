"""Style checkpoints: a saved style renders exactly as before; foreign or outdated files are clear errors."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
import torch
from PIL import Image

from models.checkpoint import CheckpointError
from models.paint.network import StyleRenderer
from models.paint.palette import PaletteGMM
from models.paint.render import RenderParams, render_in_style
from models.paint.style import Style, load_style, save_style


def _saved_style(tmp_path, fine_noise: bool = False) -> tuple[Style, object]:
    torch.manual_seed(0)
    renderer = StyleRenderer(width=8, blocks=2, fine_noise=fine_noise)
    for block in renderer.body:
        torch.nn.init.normal_(block.conv2.weight, std=0.05)
    # Round the weights to float16 and the palette to float32 first, as the checkpoint stores them:
    # the comparison is exact (one pixel in 10,000 came out a level apart from the unrounded palette).
    renderer.load_state_dict({k: v.half().float() for k, v in renderer.state_dict().items()})
    palette = PaletteGMM.from_tensors(PaletteGMM.fit(np.random.default_rng(0).random((500, 3)), components=4).to_tensors())
    path = save_style(tmp_path / "test-style.safetensors", "test-style", renderer, palette, work_size=256)
    return Style("test-style", renderer, palette, work_size=256), path


@pytest.mark.parametrize("fine_noise", [False, True])
def test_round_trip_renders_the_same_image(tmp_path, fine_noise):
    style, path = _saved_style(tmp_path, fine_noise)
    loaded = load_style(path)
    assert loaded.renderer.fine_noise == fine_noise
    picture = Image.fromarray((np.random.default_rng(1).random((90, 120, 3)) * 255).astype(np.uint8))
    params = RenderParams(seed=4, strength=0.9, palette=0.6)
    assert np.array_equal(
        np.asarray(render_in_style(style, picture, params)), np.asarray(render_in_style(loaded, picture, params))
    )
    assert loaded.name == "test-style" and loaded.work_size == 256
    assert np.allclose(loaded.palette.means, style.palette.means, atol=1e-6)
    assert len(loaded.checkpoint_hash) == 16


def test_another_format_version_is_a_clear_error(tmp_path):
    _, path = _saved_style(tmp_path)
    meta_path = path.with_suffix(".json")
    metadata = json.loads(meta_path.read_text())
    metadata["format_version"] = 99
    meta_path.write_text(json.dumps(metadata))
    with pytest.raises(CheckpointError, match="format 99"):
        load_style(path)


def test_a_pickle_is_refused_and_never_unpickled(tmp_path):
    path = tmp_path / "evil.safetensors"

    class Boom:
        def __reduce__(self):
            return (pytest.fail, ("the pickle was executed",))

    path.write_bytes(pickle.dumps(Boom()))
    path.with_suffix(".json").write_text("{}")
    with pytest.raises(CheckpointError, match="pickle"):
        load_style(path)


def test_another_kind_of_checkpoint_is_refused(tmp_path):
    _, path = _saved_style(tmp_path)
    meta_path = path.with_suffix(".json")
    metadata = json.loads(meta_path.read_text())
    metadata["kind"] = "melody-hmm"
    meta_path.write_text(json.dumps(metadata))
    with pytest.raises(CheckpointError, match="melody-hmm"):
        load_style(path)


def test_weights_that_do_not_match_the_described_size_are_refused(tmp_path):
    _, path = _saved_style(tmp_path)
    meta_path = path.with_suffix(".json")
    metadata = json.loads(meta_path.read_text())
    metadata["hyperparameters"]["width"] = 16
    meta_path.write_text(json.dumps(metadata))
    with pytest.raises(CheckpointError, match="does not match"):
        load_style(path)
