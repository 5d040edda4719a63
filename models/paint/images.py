"""Reading the images users hand in: anything Pillow opens becomes 8-bit sRGB, or is refused with a reason.

Every conversion is noted (CMYK, 16-bit, palette, transparency, EXIF rotation, the first frame of an
animation, downscaling) and every refusal says why (empty, a folder, not readable, not an image,
damaged or truncated, too small, a decompression bomb), so the training report can list each file
with what happened to it.
"""

from __future__ import annotations

import os
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

MIN_SIDE = 64
# Above this many pixels a file is refused before it is decoded: a small file that claims to be
# huge is the classic decompression bomb (a 40 kB PNG can expand to gigabytes).
MAX_PIXELS = 16384 * 16384
# Pillow's own check refuses above 89.5 megapixels (a warning, made an error below), so a 108-megapixel phone photo
# (12000x9000) was refused as "a possible decompression bomb" before the limit above was ever asked. Pillow's
# limit is set to ours: a JPEG is decoded at a fraction of its size (draft) and such a photo opens in about 0.5 s.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm", ".tga"}


class ImageRejected(Exception):
    """A file that cannot be used as an image; the message says why in words a user understands."""


@dataclass
class LoadedImage:
    image: Image.Image  # mode "RGB", 8 bits per channel
    notes: list[str] = field(default_factory=list)  # conversions made, e.g. "converted from CMYK"


@dataclass(frozen=True)
class FileReport:
    name: str
    used: bool
    reason: str  # why it was skipped, or what was done to it ("" when used as it was)


@dataclass
class FolderImages:
    images: list[tuple[str, Image.Image]]
    report: list[FileReport]

    def summary(self) -> str:
        lines = [
            f"{r.name}: {'used' if r.used else 'skipped'}{' — ' + r.reason if r.reason else ''}" for r in self.report
        ]
        return "\n".join(lines)


def _to_eight_bit_rgb(image: Image.Image, notes: list[str]) -> Image.Image:
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        # Pillow's own convert("L") clips 16-bit values at 255 instead of scaling them.
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") or values.max() > 255 else 255.0
        if mode == "F":
            top = max(float(values.max()), 1.0) if values.max() > 1.0 else 1.0
        notes.append(f"converted from {'16-bit' if top == 65535.0 else mode} greyscale")
        grey = np.clip(values / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(grey, mode="L").convert("RGB")
    if mode == "P":
        notes.append("converted from a palette image")
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        mode = image.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        notes.append("transparency flattened onto white")
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if mode == "CMYK":
        notes.append("converted from CMYK")
        return image.convert("RGB")
    if mode == "RGB":
        return image
    notes.append(f"converted from {mode}")
    return image.convert("RGB")


def load_image(
    path: str | os.PathLike,
    *,
    max_side: int | None = None,
    min_side: int = MIN_SIDE,
    max_pixels: int = MAX_PIXELS,
) -> LoadedImage:
    """Open an image file as 8-bit RGB, upright, at most `max_side` pixels on its long side.

    Raises `ImageRejected` with a reason for files that cannot be used.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImageRejected("the file does not exist") from None
    if path.is_dir():
        raise ImageRejected("it is a folder, not an image file")
    if size == 0:
        raise ImageRejected("the file is empty (0 bytes)")
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as opened:
                width, height = opened.size
                if width * height > max_pixels:
                    raise ImageRejected(
                        f"the image claims {width}x{height} pixels, more than Atelier decodes "
                        f"({max_pixels // 1_000_000} megapixels): possibly a decompression bomb"
                    )
                frames = getattr(opened, "n_frames", 1)
                if frames > 1:
                    notes.append(f"an animated image: its first frame (of {frames}) was used")
                if opened.mode in ("RGB", "RGBA") and any("16" in str(tile[3]) for tile in opened.tile):
                    notes.append("reduced from 16 to 8 bits per channel")
                if max_side is not None and opened.format == "JPEG":
                    opened.draft("RGB", (max_side, max_side))  # decode a JPEG at reduced size: much faster
                opened.load()
                image = opened.copy()
    except ImageRejected:
        raise
    except PermissionError:
        raise ImageRejected("Atelier may not read this file (permission denied)") from None
    except UnidentifiedImageError:
        raise ImageRejected("not an image file Atelier can read") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("the image is too large to decode safely (a possible decompression bomb)") from None
    except OSError as error:
        if "truncated" in str(error).lower():
            raise ImageRejected("the image file is truncated (cut short)") from None
        raise ImageRejected(f"the image file is damaged ({error})") from None
    except (ValueError, SyntaxError, IndexError, struct.error) as error:
        raise ImageRejected(f"the image file is damaged ({error})") from None
    rotated = ImageOps.exif_transpose(image)
    if rotated.size != image.size or _orientation(image) not in (None, 1):
        notes.append("rotated upright as its EXIF orientation says")
    if rotated.size != image.size:
        width, height = height, width
    image = _to_eight_bit_rgb(rotated, notes)
    # The notes name the file's own size: a JPEG may have been decoded at a fraction of it already.
    if min(width, height) < min_side:
        raise ImageRejected(f"too small ({width}x{height} px; at least {min_side} px on each side is needed)")
    if max_side is not None and max(image.size) > max_side:
        scale = max_side / max(image.size)
        new_size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(new_size, Image.Resampling.LANCZOS)
    if image.size != (width, height):
        notes.append(f"downscaled from {width}x{height} to {image.width}x{image.height}")
    return LoadedImage(image=image, notes=notes)


def _orientation(image: Image.Image) -> int | None:
    try:
        return image.getexif().get(0x0112)
    except Exception:  # a damaged EXIF block is not worth refusing the picture for
        return None


def load_image_folder(
    folder: str | os.PathLike, *, max_side: int | None = 1024, min_side: int = MIN_SIDE
) -> FolderImages:
    """Load every image in a folder (not recursive), with a per-file report of what was used and why not."""
    images: list[tuple[str, Image.Image]] = []
    report: list[FileReport] = []
    for entry, image in _read_folder(folder, max_side, min_side):
        report.append(entry)
        if image is not None:
            images.append((entry.name, image))
    return FolderImages(images=images, report=report)


def survey_image_folder(
    folder: str | os.PathLike, *, max_side: int | None = 1024, min_side: int = MIN_SIDE
) -> list[FileReport]:
    """The report `load_image_folder` would give, without keeping 500 decoded pictures in memory."""
    return [entry for entry, _ in _read_folder(folder, max_side, min_side)]


def _read_folder(
    folder: str | os.PathLike, max_side: int | None, min_side: int
) -> Iterator[tuple[FileReport, Image.Image | None]]:
    folder = Path(folder)
    if not folder.exists():
        raise ImageRejected(f"{folder} does not exist: choose a folder of images")
    if not folder.is_dir():
        raise ImageRejected(f"{folder} is a file, not a folder: put the images in a folder and choose that")
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.suffix.lower() not in IMAGE_SUFFIXES and path.suffix.lower() not in ("", ".dat", ".bin"):
            yield FileReport(path.name, False, f"not an image file ({path.suffix or 'no'} suffix)"), None
            continue
        try:
            loaded = load_image(path, max_side=max_side, min_side=min_side)
        except ImageRejected as rejection:
            yield FileReport(path.name, False, str(rejection)), None
            continue
        yield FileReport(path.name, True, "; ".join(loaded.notes)), loaded.image


def pil_to_tensor(image: Image.Image) -> torch.Tensor:
    """PIL RGB -> float tensor (3, H, W) in [0, 1]."""
    array = np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0
    return torch.from_numpy(array.copy()).permute(2, 0, 1).contiguous()


def tensor_to_pil(tensor: torch.Tensor) -> Image.Image:
    """Float tensor (3, H, W) in [0, 1] -> PIL RGB."""
    array = (tensor.detach().float().clamp(0, 1).permute(1, 2, 0).cpu().numpy() * 255.0 + 0.5).astype(np.uint8)
    return Image.fromarray(array, mode="RGB")
