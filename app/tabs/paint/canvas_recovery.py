"""The canvas and the last steps of its undo history as a recovery snapshot, and back.

The picture is saved whole; the history as the last few undo steps (each the rectangle a stroke
changed, before and after), as far as a budget of pixels allows — a long session's strokes are
small, an opened photo is one large step. Restored, the canvas shows the same picture and Ctrl+Z
walks back through those steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPoint, QRect, Signal
from PySide6.QtGui import QImage

from app.recovery import Snapshot
from app.tabs.paint.canvas import PaintCanvas, _PatchCommand, _ReplaceCommand
from app.tabs.paint.controls import PaintControls
from app.tabs.paint.packed_image import PackedImage
from models.paint.recipe import PaintRecipe, SceneSketch

HISTORY_STEPS = 20
HISTORY_PIXEL_BUDGET = 8_000_000  # before and after pixels of the steps kept, in all


def png_bytes(image: QImage | PackedImage) -> Callable[[], bytes]:
    """PNG-encode `image` as it is now later, on whichever thread calls the result; a packed one is unpacked there too
    (unpacking an opened photo's step took 0.25 s of the UI thread at each autosave). A QImage is shared, not copied
    (a 2048-px canvas's copy at each autosave was UI-thread work): painting on the canvas copies its pixels away
    first (QPainter, fill_at's bits()), as with the undo steps' packing (see PaintCanvas._set_image)."""
    picture = QImage(image) if isinstance(image, QImage) else image

    def encode() -> bytes:
        copy = picture if isinstance(picture, QImage) else picture.image()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        copy.save(buffer, "PNG")  # type: ignore[call-overload]  # the binding takes str (its stubs say bytes)
        buffer.close()
        return bytes(data.data())

    return encode


def image_from_png(data: bytes | Callable[[], bytes]) -> QImage:
    data = data() if callable(data) else data  # read back from disk: bytes
    image = QImage.fromData(data, "PNG")  # type: ignore[arg-type]  # likewise
    if image.isNull():
        raise ValueError("a saved picture could not be read")
    return image.convertToFormat(QImage.Format.Format_RGB32)


def _undoable_steps(canvas: PaintCanvas) -> list[_PatchCommand | _ReplaceCommand]:
    """The commands Ctrl+Z would undo, oldest first, as many as the budget allows."""
    stack = canvas.undo_stack
    steps: list[_PatchCommand | _ReplaceCommand] = []
    pixels = 0
    for index in range(stack.index() - 1, -1, -1):
        command = stack.command(index)
        if not isinstance(command, _PatchCommand | _ReplaceCommand) or len(steps) == HISTORY_STEPS:
            break
        size = command.pixel_count()
        if pixels + size > HISTORY_PIXEL_BUDGET:
            break
        pixels += size
        steps.append(command)
    return steps[::-1]


def canvas_snapshot(canvas: PaintCanvas) -> Snapshot:
    steps = _undoable_steps(canvas)
    blobs: dict[str, bytes | Callable[[], bytes]] = {"canvas.png": png_bytes(canvas.image)}
    saved_steps: list[dict[str, Any]] = []
    for number, command in enumerate(steps):
        blobs[f"step-{number:02d}-before.png"] = png_bytes(command.packed_before)
        blobs[f"step-{number:02d}-after.png"] = png_bytes(command.packed_after)
        if isinstance(command, _PatchCommand):
            rect = command.rect
            saved_steps.append({"text": command.text(), "rect": [rect.x(), rect.y(), rect.width(), rect.height()]})
        else:
            saved_steps.append({"text": command.text(), "rect": None, "scene": _scene_json(command.scene),
                                "scene_before": _scene_json(command.scene_before)})
    return Snapshot(state={"steps": saved_steps, "scene": _scene_json(canvas.scene)}, blobs=blobs)


def _scene_json(scene: SceneSketch | None) -> dict[str, Any] | None:
    return None if scene is None else scene.to_json()


def _scene(data: Any) -> SceneSketch | None:
    return None if data is None else SceneSketch.from_json(data)


def restore_canvas(canvas: PaintCanvas, snapshot: Snapshot) -> None:
    """Show the saved picture, with its saved undo steps on a fresh history."""
    final = image_from_png(snapshot.blobs["canvas.png"])
    final_scene = _scene(snapshot.state.get("scene"))  # a Surprise pick's sketch, painted on, is that scene still
    steps = []
    for number, step in enumerate(snapshot.state.get("steps", [])):
        before = image_from_png(snapshot.blobs[f"step-{number:02d}-before.png"])
        after = image_from_png(snapshot.blobs[f"step-{number:02d}-after.png"])
        rect = QRect(*step["rect"]) if step["rect"] is not None else None
        steps.append((str(step["text"]), rect, before, after, _scene(step.get("scene")), _scene(step.get("scene_before"))))
    # Walk back from the saved picture to the state before the first step, then redo the steps on it.
    base, base_scene = final.copy(), final_scene
    for _, rect, before, _, _, scene_before in reversed(steps):
        if rect is None:
            base, base_scene = before.copy(), scene_before
        else:
            base = _with_patch(base, rect.topLeft(), before)
    canvas.undo_stack.clear()
    canvas._set_image(base)
    canvas.scene = base_scene
    for text, rect, before, after, scene, _ in steps:
        if rect is None:
            canvas.undo_stack.push(_ReplaceCommand(canvas, before, after, text, scene))
        else:
            command = _PatchCommand(canvas, rect, before, after, text)
            command._first = False  # push() applies it, as it would a new stroke
            canvas.undo_stack.push(command)
    canvas._set_image(final)  # the saved picture exactly, whatever the steps could not bring back
    canvas.scene = final_scene


def _with_patch(image: QImage, top_left: QPoint, patch: QImage) -> QImage:
    from PySide6.QtGui import QPainter

    result = image.copy()
    painter = QPainter(result)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    painter.drawImage(top_left, patch)
    painter.end()
    return result


class CanvasRecovery(QObject):
    """The canvas as a part of the session that survives a crash (see app.recovery), with the Paint controls' settings
    when given: a restored Surprise pick's sketch was rendered again at the seed the controls start with (7), not its
    own, and looked nothing like the pick."""

    recovery_changed = Signal()

    def __init__(self, canvas: PaintCanvas, controls: PaintControls | None = None) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.controls = controls
        canvas.changed.connect(self.recovery_changed)
        if controls is not None:
            for slider in controls.setting_sliders:
                slider.valueChanged.connect(self.recovery_changed)
            controls.seed_spin.valueChanged.connect(self.recovery_changed)
            controls.look_combo.currentIndexChanged.connect(self.recovery_changed)
            controls.best_check.toggled.connect(self.recovery_changed)
            controls.style_chosen.connect(self.recovery_changed)

    def recovery_snapshot(self) -> Snapshot | None:
        if self.canvas.undo_stack.index() == 0:  # nothing painted (or all of it undone): nothing to lose
            return None
        snapshot = canvas_snapshot(self.canvas)
        recipe = self._recipe_now()
        if recipe is not None:
            snapshot.state["recipe"] = recipe.to_json()
        return snapshot

    def restore_recovery_snapshot(self, snapshot: Snapshot) -> None:
        if self.controls is not None and "recipe" in snapshot.state:
            # before the canvas: its change asks for a preview, which must be painted with these settings
            self.controls.show_recipe(PaintRecipe.from_json(snapshot.state["recipe"]))
        restore_canvas(self.canvas, snapshot)

    def _recipe_now(self) -> PaintRecipe | None:
        """The settings a render of the canvas would be painted with; None before a style is chosen."""
        if self.controls is None:
            return None
        recipe = self.controls.recipe((self.canvas.image.width(), self.canvas.image.height()), best=True)
        return None if recipe is None else recipe.over_scene(self.canvas.scene)
