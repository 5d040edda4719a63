"""Why a finish does or does not move: where the training losses' gradients go, layer by layer.

    python bench/finish_gradients.py [--steps 200] [--state build/finish/van-gogh/state.safetensors]

Trains the finish of `--style` for `--steps` steps (or loads a trainer state), then, on a fresh batch:
the discriminator's logits on paintings and on finished renders (is it saturated?), the gradient norm of
each generator loss on each layer of the finish (which loss drives it, which layers get nothing), and how
much of the adversarial gradient on the finished pixels the finish's output can follow at all: the share
of its energy that survives the output's colour lock (network.py's high-pass, or the coarse lock), the
rest asks for a change the network cannot make. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from build_scripts.train_finish import WORK, add_config_options, config_from, make_renders  # noqa: E402
from build_scripts.train_styles import ART, STYLES  # noqa: E402
from models.paint import losses as L  # noqa: E402
from models.paint.finish.network import lock_colour  # noqa: E402
from models.paint.finish.training import FinishData, FinishTrainer, block_means  # noqa: E402
from models.paint.images import load_image  # noqa: E402


def _norm(tensors: list[torch.Tensor | None]) -> float:
    return float(sum(float(t.pow(2).sum()) for t in tensors if t is not None) ** 0.5)


def layer_gradients(trainer: FinishTrainer, step: int) -> dict[str, object]:
    cfg = trainer.config
    renders, real = trainer.data.finish_batch(cfg.seed + 1, step, cfg.batch)
    noise = torch.randn(renders.shape[0], 1, *renders.shape[2:], generator=torch.Generator().manual_seed(step))
    finished = trainer.network(renders, noise)
    with torch.no_grad():
        real_logits, real_features = trainer.judge(L.diff_augment(real, torch.Generator().manual_seed(7)))
        reference = trainer.vgg(renders, [cfg.content_layer])
    fake_logits, fake_features = trainer.judge(L.diff_augment(finished, torch.Generator().manual_seed(7)))
    features = trainer.vgg(finished, trainer.layers)
    terms = {
        "adversarial": cfg.adversarial_weight * L.generator_hinge_loss(fake_logits),
        "feature_matching": cfg.feature_matching_weight * L.feature_matching_loss(real_features, fake_features),
        "content": cfg.content_weight * L.content_loss(features, reference, cfg.content_layer),
        "structure": cfg.structure_weight * (block_means(finished) - block_means(renders)).abs().mean(),
    }
    if cfg.style_weight:
        terms["style"] = cfg.style_weight * L.style_loss(features, trainer.targets, cfg.style_layers)
    named = [(name, p) for name, p in trainer.network.named_parameters()]
    layers = list(dict.fromkeys(name.rsplit(".", 1)[0] for name, _ in named))
    per_loss: dict[str, dict[str, float]] = {}
    for term, value in terms.items():
        grads = torch.autograd.grad(value, [p for _, p in named], retain_graph=True, allow_unused=True)
        per_layer: dict[str, list[torch.Tensor | None]] = {layer: [] for layer in layers}
        for (name, _), grad in zip(named, grads, strict=True):
            per_layer[name.rsplit(".", 1)[0]].append(grad)
        per_loss[term] = {layer: round(_norm(g), 8) for layer, g in per_layer.items()}
    # The adversarial gradient on the pixels, and the part of it the colour lock lets through.
    pixel_grad = torch.autograd.grad(terms["adversarial"], finished, retain_graph=True)[0]
    passed = lock_colour(pixel_grad, trainer.network.colour_lock)
    if cfg.structure_weight:
        structure_grad = torch.autograd.grad(terms["structure"], finished, retain_graph=True)[0]
        structure_share = float(lock_colour(structure_grad, trainer.network.colour_lock).norm() / passed.norm().clamp_min(1e-30))
    else:
        structure_share = 0.0
    d_real = torch.cat([x.flatten() for x in real_logits])
    d_fake = torch.cat([x.flatten() for x in fake_logits])
    change = (finished - renders).detach()
    return {
        "discriminator": {
            "real_mean": round(float(d_real.mean()), 4),
            "fake_mean": round(float(d_fake.detach().mean()), 4),
            "real_above_1": round(float((d_real > 1).float().mean()), 3),
            "fake_below_-1": round(float((d_fake < -1).float().mean()), 3),
            "patches_right": round(float(((d_real > 0).float().mean() + (d_fake < 0).float().mean()) / 2), 3),
        },
        "gradient_per_layer": per_loss,
        "adversarial_pixel_gradient": {
            "norm": round(float(pixel_grad.norm()), 8),
            "share_the_output_can_follow": round(float(passed.pow(2).sum() / pixel_grad.pow(2).sum().clamp_min(1e-30)), 4),
            "structure_against_it": round(structure_share, 3),
        },
        "change": {
            "mean_signed": float(change.mean()),
            "mean_abs": round(float(change.abs().mean()), 6),
            "max_abs": round(float(change.abs().max()), 4),
        },
        "tail_weight_max_abs": round(float(trainer.network.tail.weight.abs().max()), 5),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default="van-gogh")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--state", type=Path, help="a trainer state to diagnose instead of training")
    add_config_options(parser)
    parser.set_defaults(style_weight=0.0)  # the adversarial and structure gradients alone, unless asked
    parser.add_argument("--variants", type=int, default=2)
    parser.add_argument("--max-inputs", type=int, default=30)
    parser.add_argument("--every", type=int, default=50)
    args = parser.parse_args()
    torch.set_num_threads(1)
    renders = make_renders(args.style, WORK / args.style / "renders", args.variants, args.max_inputs)
    paintings = [load_image(ART / file, max_side=1024).image for file in STYLES[args.style]]
    config = config_from(args)
    trainer = FinishTrainer(config, FinishData(renders, paintings, config.crop, config.painting_size))
    if args.state:
        trainer.load_state(args.state)
    reports = [{"step": trainer.step_count, **layer_gradients(trainer, 0)}]
    print(json.dumps(reports[-1]), flush=True)
    for _ in range(args.steps):
        trainer.step()
        if trainer.step_count % args.every == 0:
            reports.append({"step": trainer.step_count, **layer_gradients(trainer, trainer.step_count)})
            print(json.dumps(reports[-1]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
