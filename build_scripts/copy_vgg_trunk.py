"""Copy the VGG16 layers the style engine needs (conv1_1 .. conv4_1, float16) into resources/vgg16/.

Source: ../shared/data/vgg16/vgg16_conv_fp16.safetensors (see resources/vgg16/README.md for provenance
and licence). Run from the repository root: `python build_scripts/copy_vgg_trunk.py [SOURCE]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from safetensors.torch import load_file, save_file

LAYERS = ["conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3", "conv4_1"]
DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "vgg16" / "vgg16_conv_fp16.safetensors"
TARGET = Path(__file__).resolve().parents[1] / "resources" / "vgg16" / "vgg16_conv1_1-conv4_1_fp16.safetensors"


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    tensors = load_file(str(source))
    kept = {
        f"{layer}.{part}": tensors[f"{layer}.{part}"].half().contiguous()
        for layer in LAYERS
        for part in ("weight", "bias")
    }
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    save_file(kept, str(TARGET), metadata={"source": "VGG16 (Simonyan & Zisserman), CC BY 4.0; see README.md"})
    print(
        f"wrote {TARGET} ({TARGET.stat().st_size / 1e6:.1f} MB, {sum(t.numel() for t in kept.values()):,} parameters)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
