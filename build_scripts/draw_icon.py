"""Draw Atelier's application icon (a painter's palette with a music note) into resources/icons/.

    python build_scripts/draw_icon.py        # writes resources/icons/atelier.png (256 px) and atelier-48.png

Drawn with Pillow from shapes only, so the icon carries no third-party artwork.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZE = 1024  # drawn large, then scaled down for smooth edges


def draw_icon() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    # Background tile: deep blue rounded square.
    draw.rounded_rectangle((32, 32, SIZE - 32, SIZE - 32), radius=200, fill=(38, 52, 92, 255))
    # Palette: a warm ellipse with a thumb hole, on a soft shadow.
    shadow = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    ImageDraw.Draw(shadow).ellipse((150, 250, 890, 830), fill=(0, 0, 0, 110))
    image.alpha_composite(shadow.filter(ImageFilter.GaussianBlur(24)))
    draw.ellipse((140, 220, 880, 800), fill=(236, 214, 170, 255))
    draw.ellipse((560, 560, 680, 680), fill=(38, 52, 92, 255))
    # Paint blobs.
    for (x, y), colour in zip(
        [(300, 380), (450, 310), (610, 330), (740, 430), (290, 560)],
        [(214, 60, 52), (242, 178, 42), (62, 150, 84), (58, 112, 196), (140, 70, 160)],
        strict=True,
    ):
        draw.ellipse((x - 55, y - 50, x + 55, y + 50), fill=(*colour, 255))
    # A music note over the palette's lower left.
    ink = (250, 250, 250, 255)
    draw.ellipse((360, 640, 470, 720), fill=ink)
    draw.rectangle((445, 420, 470, 690), fill=ink)
    draw.polygon([(470, 420), (560, 470), (560, 520), (470, 470)], fill=ink)
    return image


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    icon = draw_icon()
    for size, name in ((256, "atelier.png"), (48, "atelier-48.png")):
        icon.resize((size, size), Image.Resampling.LANCZOS).save(ICONS / name, optimize=True)
        print(ICONS / name)


if __name__ == "__main__":
    main()
