"""The recipe of a painting: everything that makes it again, in one typed, versioned record.

The app's renders, its history, its exports, Chat's paintings and `atelier paint` all write a
`PaintRecipe` and read one back; PNGs carry it as JSON in a text chunk named "atelier-recipe", so that
`atelier paint --replay` and the Paint tab can make the picture again. Recipes written before version
2 (three layouts: the command line's nested one, the app's flat one, and `atelier chat`'s) still load.

A new render setting is one new field with a default: recipes written without it load with the
default, which must be what the engine did before the setting existed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, PngImagePlugin, UnidentifiedImageError

from ..files import atomic_write_with
from .sizes import check_output_size

if TYPE_CHECKING:
    from .render import RenderParams
    from .style import Style

RECIPE_KEY = "atelier-recipe"
MAX_SEED = 2**63 - 1
MAX_STEPS = 10_000
RECIPE_VERSION = 2
QUALITIES = ("fast", "best")
MAX_SUBJECT = 500  # characters of a from-scratch painting's subject
LOOKS = ("strokes", "texture")  # how a picture is painted: stroke by stroke, or by the texture network


@dataclass(frozen=True)
class PaintRecipe:
    style: str  # the style's name
    checkpoint_hash: str = ""  # hash of the style's checkpoint file when it painted
    style_path: str = ""  # where that checkpoint was; the name is looked up again when it has moved
    seed: int = 0  # brushwork (and composition) seed
    strength: float = 1.0  # 0: the input as it is, 1: fully painted
    palette: float = 0.5  # 0: the input's colours, 1: the painter's palette
    size: tuple[int, int] | None = None  # (width, height) of the painting; None: the input's size
    quality: str = "fast"  # "fast": the trained renderer; "best": the picture optimised towards the style
    steps: int | None = None  # optimisation steps of best quality; None: the engine's default
    from_scratch: bool = False  # a scene composed from `subject` (models/paint/scratch.py), with no input
    input_path: str = ""  # the picture that was painted (empty when from scratch)
    input_sha256: str = ""  # its content hash, when it was taken
    subject: str = ""  # what a from-scratch painting shows, in words; its mood words set the scene's light
    # One of LOOKS. A new painting is laid in strokes; a recipe written before the stroke renderer has no
    # look and was painted by the texture network: `from_json` reads it as "texture".
    look: str = "strokes"
    brush_scale: float = 1.0  # strokes: times the painter's brush sizes
    detail: float = 0.5  # strokes: 0 broad to 1 fine
    outline: float = 1.0  # strokes: times the painter's outlining
    # A canvas that is a scene's sketch painted over (a Surprise pick the user painted on): the scene it came from,
    # composed again when it is painted (scratch.canvas_scene_maps), so that the canvas is painted as that scene is
    # (its sky, water and kept things), the user's paint as paint. Empty for any other canvas.
    scene_subject: str = ""
    scene_seed: int = 0
    scene_style: str = ""  # the checkpoint path of the style the scene was composed for (its composition, halos)

    def __post_init__(self) -> None:
        # A recipe may come from a file anyone can edit: every number is checked before it is painted.
        if self.quality not in QUALITIES:
            raise ValueError(f"unknown quality {self.quality!r}: choose one of {', '.join(QUALITIES)}")
        for name in ("strength", "palette"):
            if not _number_within(getattr(self, name), 0.0, 1.0):
                raise ValueError(f"the {name} must be a number from 0 to 1, not {str(getattr(self, name))[:20]}")
        for name in ("subject", "scene_subject"):
            if not isinstance(getattr(self, name), str) or len(getattr(self, name)) > MAX_SUBJECT:
                raise ValueError(f"the {name.replace('_', ' ')} must be words, at most {MAX_SUBJECT} characters")
        for name in ("seed", "scene_seed"):
            seed = getattr(self, name)
            if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
                raise ValueError(f"the {name.replace('_', ' ')} must be a whole number from 0 to {MAX_SEED}, "
                                 f"not {str(seed)[:30]}")
        if self.steps is not None and not (isinstance(self.steps, int) and 1 <= self.steps <= MAX_STEPS):
            raise ValueError(f"best quality takes 1 to {MAX_STEPS:,} steps, not {str(self.steps)[:20]}")
        if self.size is not None:
            check_output_size(self.size)
        if self.look not in LOOKS:
            raise ValueError(f"unknown look {self.look!r}: choose one of {', '.join(LOOKS)}")
        for name, low, high in (("brush_scale", 0.25, 4.0), ("detail", 0.0, 1.0), ("outline", 0.0, 2.0)):
            if not _number_within(getattr(self, name), low, high):
                raise ValueError(f"the {name} must be a number from {low:g} to {high:g}, "
                                 f"not {str(getattr(self, name))[:20]}")

    @classmethod
    def for_render(cls, style: Style, style_path: str | os.PathLike, params: RenderParams, **how: Any) -> PaintRecipe:
        """The recipe of a render of `style` (loaded from `style_path`) with `params`; `how` sets the rest
        (input_path, quality, from_scratch, subject...)."""
        return cls(style=style.name, checkpoint_hash=style.checkpoint_hash, style_path=str(style_path),
                   seed=params.seed, strength=params.strength, palette=params.palette,
                   size=params.size, look=params.look, brush_scale=params.brush_scale,
                   detail=params.detail, outline=params.outline, **how)

    @classmethod
    def for_request(cls, params: dict[str, Any], seed: int) -> PaintRecipe:
        """A new painting asked for in words (Chat, `atelier chat`): the request's parameters (style, subject,
        size, strength, palette) are the recipe's own fields; an empty style means the first shipped one."""
        return cls.from_json({"look": "strokes", **params, "engine": "paint", "version": RECIPE_VERSION,
                              "seed": seed, "from_scratch": True, "style": params.get("style") or ""})

    def render_params(self, size: tuple[int, int] | None = None) -> RenderParams:
        """The renderer's parameters of this recipe (at `size` instead, for an export at another size)."""
        from .render import RenderParams

        return RenderParams(strength=self.strength, palette=self.palette, seed=self.seed, size=size or self.size,
                            look=self.look, brush_scale=self.brush_scale, detail=self.detail, outline=self.outline)

    def replace(self, **changes: Any) -> PaintRecipe:
        return dataclasses.replace(self, **changes)

    @property
    def canvas_scene(self) -> SceneSketch | None:
        """The scene whose sketch the canvas of this painting is (from scratch: its own), or None."""
        if self.from_scratch:
            return SceneSketch(self.subject, self.seed, self.style_path)
        if self.scene_subject:
            return SceneSketch(self.scene_subject, self.scene_seed, self.scene_style)
        return None

    def over_scene(self, scene: SceneSketch | None) -> PaintRecipe:
        """This recipe of a render of a canvas that is `scene`'s sketch, painted over (None: any other canvas)."""
        if scene is None:
            return self.replace(scene_subject="", scene_seed=0, scene_style="")
        return self.replace(scene_subject=scene.subject, scene_seed=scene.seed, scene_style=scene.style_path)


    def to_json(self) -> dict[str, Any]:
        data = {field.name: getattr(self, field.name) for field in fields(self)}
        data["size"] = list(self.size) if self.size else None
        return {"engine": "paint", "version": RECIPE_VERSION, **data}

    @classmethod
    def from_json(cls, data: Any) -> PaintRecipe:
        """Read a recipe of any version; ValueError (a sentence) when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("this is not a painting recipe")
        try:
            if data.get("engine") == "atelier chat" and isinstance(data.get("request"), dict):
                data = _from_chat_v1(data)
            elif data.get("engine") != "paint":
                raise ValueError("this recipe was not made by the paint engine")
            elif "version" not in data:
                data = _from_command_line_v1(data) if isinstance(data.get("params"), dict) else _from_app_v1(data)
            elif _number_within(data["version"], -math.inf, math.inf) and data["version"] > RECIPE_VERSION:
                raise ValueError("this recipe was written by a newer version of Atelier: update Atelier to replay it")
        except (AttributeError, KeyError, TypeError) as error:  # fields of the wrong kind in an old layout
            missing = f"it has no {error.args[0]!r} field" if isinstance(error, KeyError) and error.args else str(error)
            raise ValueError(f"this painting recipe is damaged ({missing})") from None
        known = {field.name: field for field in fields(cls)}
        values = {"look": "texture"} | {name: value for name, value in data.items() if name in known and value is not None}
        try:
            if "style" not in values:
                raise ValueError("it names no style")
            for name in ("seed", "steps", "scene_seed"):
                if name in values:
                    values[name] = int(values[name])
            for name in ("strength", "palette", "brush_scale", "detail", "outline"):
                if name in values:
                    values[name] = float(values[name])
            for name in ("style", "checkpoint_hash", "style_path", "quality", "input_path", "input_sha256", "subject",
                         "look", "scene_subject", "scene_style"):
                if name in values:
                    values[name] = str(values[name])
            if "from_scratch" in values:
                values["from_scratch"] = bool(values["from_scratch"])
            if "size" in values:
                width, height = values["size"]
                values["size"] = (int(width), int(height))
            return cls(**values)
        except (TypeError, ValueError) as error:
            raise ValueError(f"this painting recipe is damaged ({error})") from None


@dataclass(frozen=True)
class SceneSketch:
    """A scene composed from scratch, as far as it takes to compose it again: what a canvas holding its sketch
    was (the Paint tab keeps it with the canvas; a recipe of a render of that canvas records it)."""

    subject: str  # as composed (a painter's own subject already chosen by the seed)
    seed: int
    style_path: str  # the style it was composed for: its composition (where things stand) and halos

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "seed": self.seed, "style_path": self.style_path}

    @classmethod
    def from_json(cls, data: Any) -> SceneSketch:
        """ValueError when `data` is not one (the recipe's checks: words, a seed in range)."""
        if not isinstance(data, dict):
            raise ValueError("this is not a scene")
        # The recipe's own checks: the subject in words, the seed in range.
        recipe = PaintRecipe(style="", scene_subject=data.get("subject", ""), scene_seed=data.get("seed", 0),
                             scene_style=str(data.get("style_path", "")))
        scene = recipe.canvas_scene
        if scene is None:
            raise ValueError("this scene has no subject")
        return scene


def _number_within(value: object, low: float, high: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high  # NaN fails


def _from_command_line_v1(data: dict[str, Any]) -> dict[str, Any]:
    """`atelier paint` before version 2: render settings under "params", the input as {"path", "sha256"}."""
    params, source = data["params"], data.get("input") or {}
    return {**params, "style": data.get("style"), "checkpoint_hash": data.get("checkpoint_hash"),
            "from_scratch": data.get("from_scratch", False), "quality": "best" if params.get("best") else "fast",
            "input_path": source.get("path"), "input_sha256": source.get("sha256")}


def _from_app_v1(data: dict[str, Any]) -> dict[str, Any]:
    """The Paint tab before version 2: flat keys; "input" the canvas PNG's path (kept renders only)."""
    return {**data, "input_path": data.get("input"), "quality": data.get("quality", "fast")}


def _from_chat_v1(data: dict[str, Any]) -> dict[str, Any]:
    """`atelier chat` before version 2: the chat request's parameters and the seed of a from-scratch painting."""
    request = data["request"]
    return {**request, "style": request.get("style"), "seed": data.get("seed", 0), "from_scratch": True}


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()[:16]


def save_png_with_recipe(image: Image.Image, path: str | os.PathLike, recipe: PaintRecipe) -> Path:
    """Write `image` as PNG with the recipe in a text chunk, atomically: a full disk leaves the old file."""
    path = Path(path)
    info = PngImagePlugin.PngInfo()
    info.add_text(RECIPE_KEY, json.dumps(recipe.to_json(), sort_keys=True))
    atomic_write_with(path, lambda file: image.save(file, format="PNG", pnginfo=info))
    return path


def read_recipe(path: str | os.PathLike) -> PaintRecipe:
    """The recipe stored in a PNG made by Atelier; ValueError with a sentence when there is none."""
    name = Path(path).name
    try:
        with Image.open(path) as image:
            text = getattr(image, "text", {}).get(RECIPE_KEY) if image.format == "PNG" else None
    except IsADirectoryError:
        raise ValueError(f"{path} is a folder: replay a PNG written by Atelier.") from None
    except FileNotFoundError:
        raise ValueError(f"{path} does not exist: replay a PNG written by Atelier.") from None
    except PermissionError:
        raise ValueError(f"Atelier may not read {path} (permission denied).") from None
    except UnidentifiedImageError:
        raise ValueError(f"{name} is not an image: only PNGs written by Atelier can be replayed.") from None
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:  # Pillow: damaged
        raise ValueError(f"{name} is a damaged image ({error}): it cannot be replayed.") from None
    if not text:
        raise ValueError(f"{name} has no Atelier recipe: only PNGs written by Atelier can be replayed.")
    try:
        return PaintRecipe.from_json(json.loads(text))
    except json.JSONDecodeError:
        raise ValueError(f"The recipe in {name} is damaged.") from None
    except ValueError as error:
        raise ValueError(f"{name}: {error}.") from None
