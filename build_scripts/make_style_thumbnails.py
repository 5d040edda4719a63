"""Render the thumbnail that each shipped painting style carries beside its checkpoint.

    .venv/bin/python build_scripts/make_style_thumbnails.py
"""

from __future__ import annotations

from models.paint.style import list_shipped_styles, load_style
from models.paint.thumbnail import render_thumbnail, thumbnail_path


def main() -> None:
    for path in list_shipped_styles().values():
        picture = render_thumbnail(load_style(path))
        picture.save(thumbnail_path(path))
        print(f"wrote {thumbnail_path(path)} ({picture.size[0]}x{picture.size[1]})")


if __name__ == "__main__":
    main()
