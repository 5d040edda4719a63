"""Take the public-domain paintings that Debian's gcompris-qt-data package holds into resources/paint/art/.

GCompris (an educational suite, GPL) shows famous paintings in three activities: *details* (the whole
picture, to find details in), *paintings* (a jigsaw: the picture cut into 6-25 pieces with soft edges)
and *babyshapes* (a picture with five shapes cut out, and the shapes). Its files are Qt resource
bundles (.rcc), read here with PySide6. Jigsaws are put together again from each piece's place on the
board; the few pixels where the soft edges of neighbouring pieces leave a gap are filled from their
neighbours, and the blank margin is cropped. Each painting is written as a JPEG at the package's size.

    apt-get download gcompris-qt-data        # bookworm: gcompris-qt-data_3.1-2_all.deb
    python build_scripts/gcompris_paintings.py gcompris-qt-data_3.1-2_all.deb [--out resources/paint/art]

The licence note for the files is resources/paint/art/README.md.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
RCC = "usr/share/gcompris-qt/rcc"
ACTIVITIES = ":/gcompris/src/activities"

# Output name: (activity, board file in the activity's resource/board/, how it is stored).
PAINTINGS = {
    "van-gogh_the-langlois-bridge-at-arles.jpg": ("details", "board2_0.qml", "whole"),
    "van-gogh_the-harvest.jpg": ("details", "board5_0.qml", "whole"),
    "van-gogh_village-street-in-auvers.jpg": ("paintings", "board22_0.qml", "jigsaw"),
    "van-gogh_the-bedroom.jpg": ("babyshapes", "board7_3.qml", "cut-out"),
    "hokusai_ejiri-in-suruga-province.jpg": ("paintings", "board6_0.qml", "jigsaw"),
    "hokusai_the-kazusa-sea-route.jpg": ("paintings", "board12_0.qml", "jigsaw"),
    "hokusai_sunset-across-the-ryogoku-bridge.jpg": ("paintings", "board10_0.qml", "jigsaw"),
    "hokusai_poppies.jpg": ("paintings", "board11_0.qml", "jigsaw"),
}
QUALITY = 92


def read_resources(deb: Path, activities: set[str]) -> dict[str, bytes]:
    """Every file of the activities' resource bundles, by its path inside the bundle."""
    from PySide6.QtCore import QCoreApplication, QDirIterator, QFile, QResource

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 - Qt's resource system needs one
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["dpkg-deb", "-x", str(deb), folder], check=True)
        for activity in sorted(activities):
            bundle = Path(folder) / RCC / f"{activity}.rcc"
            if not QResource.registerResource(str(bundle)):
                raise SystemExit(f"could not read {bundle.name} from {deb.name}")
            found = QDirIterator(f"{ACTIVITIES}/{activity}", QDirIterator.IteratorFlag.Subdirectories)
            while found.hasNext():
                path = found.next()
                file = QFile(path)
                if not found.fileInfo().isDir() and file.open(QFile.OpenModeFlag.ReadOnly):
                    files[path] = bytes(file.readAll().data())
    return files


def _image(files: dict[str, bytes], path: str) -> Image.Image:
    import io

    return Image.open(io.BytesIO(files[path])).convert("RGBA")


def _pieces(board: str) -> list[tuple[str, float, float]]:
    """(image file, x, y) of each piece; x, y are the piece's centre as fractions of the board."""
    pattern = r'"pixmapfile"\s*:\s*"image/([^"]+)",(?:\s*"dropAreaSize"\s*:\s*"\d+",)?\s*"x"\s*:\s*"([\d.]+)",\s*"y"\s*:\s*"([\d.]+)"'
    return [(name, float(x), float(y)) for name, x, y in re.findall(pattern, board)]


def _neighbour_sum(values: np.ndarray) -> np.ndarray:
    """Each pixel's sum over its 3x3 neighbourhood (the first two axes)."""
    padded = np.pad(values, [(1, 1), (1, 1)] + [(0, 0)] * (values.ndim - 2))
    height, width = values.shape[:2]
    return sum(padded[dy : dy + height, dx : dx + width] for dy in range(3) for dx in range(3))


def _fill_gaps(picture: Image.Image) -> Image.Image:
    """The covered part of an RGBA picture as RGB: cropped to the covered box less 2 px, the uncovered
    pixels left inside filled by repeatedly spreading their covered neighbours' mean colour."""
    alpha = np.asarray(picture)[..., 3]
    rows, cols = np.where(alpha > 250)
    picture = picture.crop((cols.min() + 2, rows.min() + 2, cols.max() - 1, rows.max() - 1))
    rgb = np.asarray(picture)[..., :3].astype(np.float64)
    covered = np.asarray(picture)[..., 3] > 0
    while not covered.all():
        weights = _neighbour_sum(covered.astype(np.float64))
        sums = _neighbour_sum(rgb * covered[..., None])
        new = ~covered & (weights > 0)
        rgb[new] = sums[new] / weights[new][:, None]
        covered = covered | new
    return Image.fromarray(rgb.round().clip(0, 255).astype(np.uint8))


def assemble(files: dict[str, bytes], activity: str, board_name: str, kind: str) -> tuple[str, Image.Image]:
    """(the board's caption, the painting) for one board."""
    folder = f"{ACTIVITIES}/{activity}/resource"
    board = files[f"{folder}/board/{board_name}"].decode()
    caption = re.search(r'qsTr\("([^"]+)"\)', board).group(1)
    if kind == "whole":
        background = re.search(r'"image/([^"]+_background\.webp)"', board).group(1)
        return caption, _image(files, f"{folder}/image/{background}").convert("RGB")
    if kind == "jigsaw":
        width = int(re.search(r'"width"\s*:\s*(\d+)', board).group(1))
        height = int(re.search(r'"height"\s*:\s*(\d+)', board).group(1))
        canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    else:  # cut-out: the shapes go back into the holes of the background
        background = re.search(r'"image/([^"]+_background\.webp)"', board).group(1)
        canvas = _image(files, f"{folder}/image/{background}")
        # The holes are white, their edges mixed with white: clear them and 2 px around, for the shapes.
        pixels = np.asarray(canvas).copy()
        holes = Image.fromarray(((pixels[..., :3].min(-1) > 250) * 255).astype(np.uint8))
        pixels[..., 3] = 255 - np.asarray(holes.filter(ImageFilter.MaxFilter(5)))
        canvas = Image.fromarray(pixels)
        width, height = canvas.size
    for name, x, y in _pieces(board):
        piece = _image(files, f"{folder}/image/{name}")
        layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
        layer.paste(piece, (round(x * width - piece.width / 2), round(y * height - piece.height / 2)))
        canvas = Image.alpha_composite(canvas, layer)
    return caption, _fill_gaps(canvas)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deb", type=Path, help="gcompris-qt-data's .deb (apt-get download gcompris-qt-data)")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "paint" / "art")
    args = parser.parse_args()
    files = read_resources(args.deb, {activity for activity, _, _ in PAINTINGS.values()})
    for output, (activity, board, kind) in PAINTINGS.items():
        caption, painting = assemble(files, activity, board, kind)
        painting.save(args.out / output, quality=QUALITY)
        print(f"{output}: {caption} ({activity}/{board}, {kind}) {painting.width}x{painting.height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
