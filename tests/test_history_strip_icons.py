"""The Paint history strip holds each entry's picture at the size it shows it, decoded once.

A QIcon of the thumbnail's file decoded the whole thumbnail again at every refresh (after every render), kept it
decoded, and its scaled copies filled Qt's pixmap cache: 24 MB of heap at 200 entries, and 0.65 s a refresh at load
14 (session 15's soak under heaptrack, /work/helpers/mem3/strip_mem.py). Now 8 MB and 44 ms.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.tabs.images import array_to_image
from app.tabs.paint.history_strip import ICON_SIZE, HistoryStrip
from app.tabs.paint.jobs import thumbnail_of


@dataclass
class Item:
    id: int
    paths: list[str]
    title: str = "12:00 · Van Gogh"
    starred: bool = False


@dataclass
class Store:
    shown: list[Item] = field(default_factory=list)

    def items(self, kind: str, limit: int) -> list[Item]:
        return self.shown[:limit]


@pytest.fixture
def strip(tmp_path):
    QApplication.instance() or QApplication([])
    rng = np.random.default_rng(0)
    items = []
    for index in range(3):
        painting = tmp_path / f"painting{index}.png"
        pixels = rng.integers(0, 256, (107, 160, 3), dtype=np.uint8)  # a thumbnail's size (160 px at most)
        array_to_image(pixels).save(str(painting))
        array_to_image(pixels).save(str(thumbnail_of(painting)))
        items.append(Item(index, [str(painting)]))
    store = Store(items)
    widget = HistoryStrip(store, run_job=None, remove=None)  # type: ignore[arg-type]  # no job runs, nothing removed
    yield widget, store
    widget.deleteLater()


def icons(widget: HistoryStrip) -> list:
    return [widget.list.item(row).icon() for row in range(widget.list.count())]


def test_each_entry_holds_its_picture_no_larger_than_shown(strip):
    widget, _ = strip
    assert len(icons(widget)) == 3
    for icon in icons(widget):
        sizes = icon.availableSizes()
        assert sizes, "the icon holds a picture"
        assert all(size.width() <= ICON_SIZE.width() and size.height() <= ICON_SIZE.height() for size in sizes), sizes
        picture = icon.pixmap(ICON_SIZE).toImage()
        assert picture.width() == ICON_SIZE.width() and abs(picture.height() - 80) <= 1  # 160 x 107 scaled, in ratio


def test_a_refresh_reuses_the_pictures_of_entries_still_shown_and_lets_the_others_go(strip):
    widget, store = strip
    before = {row: widget.list.item(row).icon().cacheKey() for row in range(3)}
    store.shown = store.shown[1:]  # the oldest leaves the strip
    widget.refresh()
    after = [icon.cacheKey() for icon in icons(widget)]
    assert after == [before[1], before[2]], "not decoded again"
    assert len(widget._icons) == 2


def test_a_picture_rewritten_under_the_same_name_is_read_again(strip):
    widget, store = strip
    old = widget.list.item(0).icon().cacheKey()
    thumbnail = thumbnail_of(Path(store.shown[0].paths[0]))
    white = QImage(160, 107, QImage.Format.Format_RGB32)
    white.fill(0xFFFFFFFF)
    white.save(str(thumbnail))
    os.utime(thumbnail, ns=(10**18, 10**18))  # a later modification time, however fast the file system's clock
    widget.refresh()
    icon = widget.list.item(0).icon()
    assert icon.cacheKey() != old
    assert icon.pixmap(ICON_SIZE).toImage().pixelColor(10, 10).lightness() == 255
