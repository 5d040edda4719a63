"""What the status bar says while a picture opens: "Opening photo.jpg: reading the picture" (it said "Opening
photo.jpg: opening photo.jpg", the title twice, for the 3 s a 6000x4000 JPEG takes at load 16 under Xvfb)."""

from __future__ import annotations

import threading

from PIL import Image

from app.tabs.paint import jobs
from app.worker import JobContext
from models.jobs import Progress


def test_opening_a_picture_says_what_it_does_not_its_name_again(tmp_path):
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (96, 64), (200, 30, 30)).save(path)
    context = JobContext(cancel=threading.Event(), cache={}, notify=lambda _: None)
    messages = [event.message for event in jobs.open_image(path)(context) if isinstance(event, Progress)]
    assert messages and all(path.name not in message for message in messages)
