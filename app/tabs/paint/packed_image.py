"""An undo step's picture, zlib-compressed on a background thread.

Painted pixels are mostly runs of one colour, so a packed step costs a fraction of the raw image (300 steps of 'Open
image' on a 2048-px canvas would otherwise hold 9 GB). Packing a photo is slow: opening a 6000x4000 JPEG (shown at
2048x1365) packed the canvas before and the photo after on the UI thread, 1.3-3.5 s of zlib.compress under load
(cProfile under Xvfb, load 10). zlib lets go of the interpreter lock while it works, so one packing thread takes it
off the UI thread; until a picture is packed, the step keeps it as it is.
"""

from __future__ import annotations

import zlib
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtGui import QImage

_packer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="undo-packer")  # in order: the oldest packs first


class PackedImage:
    def __init__(self, image: QImage) -> None:
        self.width, self.height = image.width(), image.height()
        # 4 bytes a pixel, rows never padded. Kept until packed; QImage shares pixels, and whoever paints on a shared
        # one copies it first, so this one does not change under the packing thread.
        self._image: QImage | None = image.convertToFormat(QImage.Format.Format_RGB32)
        self._data: bytes | None = None
        self._packing: Future[None] = _packer.submit(self._pack)

    def _pack(self) -> None:
        image = self._image
        assert image is not None
        self._data = zlib.compress(image.constBits(), 1)
        self._image = None  # after the data is there: image() reads them in the other order

    def image(self) -> QImage:
        """A copy of the picture (from any thread)."""
        image = self._image
        if image is not None:
            return image.copy()
        assert self._data is not None
        raw = zlib.decompress(self._data)
        return QImage(raw, self.width, self.height, 4 * self.width, QImage.Format.Format_RGB32).copy()

    def packed_bytes(self) -> int:
        """The size packed, once it is (waits for the packing thread)."""
        self._packing.result()
        assert self._data is not None
        return len(self._data)
