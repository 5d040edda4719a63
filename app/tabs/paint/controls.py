"""The Paint tab's controls: style picker with thumbnails, render settings, brush and colours."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.tabs.paint.canvas import PaintCanvas, Tool
from app.tabs.paint.jobs import StyleEntry, render_recipe
from app.tabs.slider_value import with_value
from models.paint.recipe import PaintRecipe

TOOL_LABELS = {Tool.BRUSH: ("Brush", "B"), Tool.ERASER: ("Eraser", "E"), Tool.FILL: ("Fill", "F"),
               Tool.EYEDROPPER: ("Pick colour", "I")}


def pixmap_from_array(array: np.ndarray) -> QPixmap:
    array = np.ascontiguousarray(array[..., :3], dtype=np.uint8)
    height, width, _ = array.shape
    return QPixmap.fromImage(QImage(array.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy())


def _show_in_use(button: QToolButton, in_use: bool) -> None:
    """Fusion draws a checked button 10% darker, which cannot be seen on the dark theme's grey: the tool in use
    takes the selection colour instead, as the chosen style does in the list (a palette, not a style sheet, so
    the button keeps following the theme)."""
    palette = QPalette()  # nothing set: the button inherits the window's palette again
    if in_use:
        colours = QApplication.palette()
        palette.setColor(QPalette.ColorRole.Button, colours.color(QPalette.ColorRole.Highlight))
        palette.setColor(QPalette.ColorRole.ButtonText, colours.color(QPalette.ColorRole.HighlightedText))
    button.setPalette(palette)


def _slider(name: str, low: int, high: int, value: int, tip: str = "") -> QSlider:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setAccessibleName(name)
    slider.setRange(low, high)
    slider.setValue(value)
    slider.setToolTip(tip)
    return slider


class PaintControls(QWidget):
    tool_chosen = Signal(object)  # Tool
    colour_chosen = Signal(QColor)
    style_chosen = Signal(object)  # StyleEntry

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)

        layout.addWidget(QLabel("<b>Style</b>"))
        self.style_list = QListWidget()
        self.style_list.setAccessibleName("Styles")
        self.style_list.setViewMode(QListView.ViewMode.IconMode)
        self.style_list.setIconSize(QSize(72, 72))
        self.style_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.style_list.setMovement(QListView.Movement.Static)
        self.style_list.setMinimumHeight(200)
        self.style_list.currentItemChanged.connect(self._on_style_changed)
        layout.addWidget(self.style_list)
        self.no_styles_label = QLabel("Loading styles…")
        self.no_styles_label.setWordWrap(True)
        layout.addWidget(self.no_styles_label)

        form = QFormLayout()
        self.strength_slider = _slider("Style strength", 0, 100, 100, "How far the picture moves from your input")
        self.palette_slider = _slider("Palette strength", 0, 100, 50, "0: keep your colours; 100: the painter's")
        form.addRow("Style strength:", with_value(self.strength_slider))
        form.addRow("Palette:", with_value(self.palette_slider))
        self.look_combo = QComboBox()
        self.look_combo.setAccessibleName("Look")
        self.look_combo.addItem("Strokes", "strokes")
        self.look_combo.addItem("Texture", "texture")
        self.look_combo.setToolTip("Strokes: painted stroke by stroke in the painter's manner.\n"
                                   "Texture: the painter's texture laid over your picture (the earlier renderer).")
        form.addRow("Look:", self.look_combo)
        self.stroke_size_slider = _slider("Stroke size", 25, 400, 100, "The size of every brush, in % of the "
                                          "painter's own (Strokes look)")
        self.detail_slider = _slider("Detail", 0, 100, 50, "0: the picture simplified into broad areas; "
                                     "100: fine detail with more, smaller strokes (Strokes look)")
        self.outline_slider = _slider("Outline", 0, 200, 100, "Contours, in % of the painter's own "
                                      "(0: none; Strokes look)")
        form.addRow("Stroke size:", with_value(self.stroke_size_slider, lambda value: f"{value}%"))
        form.addRow("Detail:", with_value(self.detail_slider))
        form.addRow("Outline:", with_value(self.outline_slider, lambda value: f"{value}%"))
        self.look_combo.currentIndexChanged.connect(self._on_look_changed)
        seed_row = QHBoxLayout()
        self.seed_spin = QSpinBox()
        self.seed_spin.setAccessibleName("Seed")
        self.seed_spin.setRange(0, 999_999)
        self.seed_spin.setValue(7)
        dice = QToolButton()
        dice.setText("⚄")
        dice.setAccessibleName("Random seed")
        dice.setToolTip("A new random seed for the brushwork")
        dice.clicked.connect(lambda: self.seed_spin.setValue(random.randint(0, 999_999)))
        seed_row.addWidget(self.seed_spin)
        seed_row.addWidget(dice)
        form.addRow("Seed:", seed_row)
        self.live_check = QCheckBox("Live preview while painting")
        self.live_check.setAccessibleName("Live preview")
        self.live_check.setChecked(True)
        form.addRow(self.live_check)  # across both columns: the panel fits a narrow window
        self.best_check = QCheckBox("Best quality (slow: a minute or more)")
        self.best_check.setAccessibleName("Best quality")
        self.best_check.setToolTip("Render optimises the painting toward the painter's own: with Strokes, every "
                                   "stroke's colour, place and width; with Texture, the pixels (minutes on a CPU). "
                                   "Previews stay fast")
        form.addRow(self.best_check)
        layout.addLayout(form)

        self.render_button = QPushButton("Render")
        self.render_button.setAccessibleName("Render")
        self.render_button.setDefault(True)
        self.render_button.setToolTip("Render the canvas in the style at full size (Ctrl+Enter)")  # under the panel
        self.surprise_button = QPushButton("Surprise me")
        self.surprise_button.setAccessibleName("Surprise me")
        self.surprise_button.setToolTip("New paintings from scratch in this style, of the subject above, to pick "
                                        "from; the pick's sketch goes onto the canvas to paint over")
        self.subject_edit = QLineEdit()
        self.subject_edit.setAccessibleName("Subject")
        self.subject_edit.setPlaceholderText("Subject, e.g. a stormy harbour")  # empty: the tooltip says
        self.subject_edit.setToolTip("What Surprise me paints: a scene in words, with its mood (at dusk, at night, "
                                     "stormy, in winter...). Leave it empty for subjects the painter painted.")
        self.subject_edit.returnPressed.connect(self.surprise_button.click)
        layout.addWidget(self.subject_edit)
        surprise_row = QHBoxLayout()
        self.surprise_count = QSpinBox()
        self.surprise_count.setAccessibleName("Surprise count")
        self.surprise_count.setRange(1, 8)
        self.surprise_count.setValue(4)
        surprise_row.addWidget(self.surprise_button, 1)
        surprise_row.addWidget(self.surprise_count)
        layout.addLayout(surprise_row)

        brush_box = QGroupBox("Brush")
        brush = QVBoxLayout(brush_box)
        tools = QHBoxLayout()
        self.tool_group = QButtonGroup(self)
        self.tool_buttons: dict[Tool, QToolButton] = {}
        for tool, (label, key) in TOOL_LABELS.items():
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.toggled.connect(lambda on, b=button: _show_in_use(b, on))
            button.setAccessibleName(label)
            button.setToolTip(f"{label} ({key}; or Ctrl+click with any tool)" if tool is Tool.EYEDROPPER
                              else f"{label} ({key})")
            button.clicked.connect(lambda _=False, t=tool: self.choose_tool(t))
            self.tool_group.addButton(button)
            self.tool_buttons[tool] = button
            tools.addWidget(button)
        self.tool_buttons[Tool.BRUSH].setChecked(True)
        brush.addLayout(tools)
        brush_form = QFormLayout()
        self.size_slider = _slider("Brush size", 1, 200, 24, "Brush size on screen, whatever the picture's size "
                                                                "([ and ])")
        self.hardness_slider = _slider("Hardness", 0, 100, 60)
        self.opacity_slider = _slider("Opacity", 1, 100, 100)
        brush_form.addRow("Size:", with_value(self.size_slider, lambda value: f"{value} px"))
        brush_form.addRow("Hardness:", with_value(self.hardness_slider))
        brush_form.addRow("Opacity:", with_value(self.opacity_slider, lambda value: f"{value}%"))
        brush.addLayout(brush_form)
        self.swatch_grid = QGridLayout()
        brush.addLayout(self.swatch_grid)
        colour_row = QHBoxLayout()
        self.colour_button = QPushButton("Colour…")
        self.colour_button.setAccessibleName("Brush colour")
        self.colour_button.clicked.connect(self._pick_free_colour)
        colour_row.addWidget(self.colour_button)
        brush.addLayout(colour_row)
        layout.addWidget(brush_box)

        self.new_canvas_button = QPushButton("New canvas…")
        self.open_button = QPushButton("Open image…")
        self.train_button = QPushButton("Train a new style…")
        for action in (self.new_canvas_button, self.open_button, self.train_button):
            action.setAccessibleName(action.text().rstrip("…"))
            layout.addWidget(action)
        layout.addStretch(1)
        self.show_colour(QColor(40, 90, 160))

    # Styles ------------------------------------------------------------------------------------

    def set_styles(self, entries: list[StyleEntry], select: str | None = None) -> None:
        style = self.current_style()
        current = select or (style.path.as_posix() if style is not None else None)
        self.style_list.blockSignals(True)
        self.style_list.clear()
        for entry in entries:
            item = QListWidgetItem(entry.title if entry.shipped else f"{entry.title} (yours)")
            if entry.thumbnail is not None:
                item.setIcon(QIcon(pixmap_from_array(entry.thumbnail)))
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setToolTip(str(entry.path))
            self.style_list.addItem(item)
        self.style_list.blockSignals(False)
        rows = [i for i, e in enumerate(entries) if e.path.as_posix() == current]
        self.style_list.setCurrentRow(rows[0] if rows else (0 if entries else -1))
        self.no_styles_label.setVisible(not entries)
        self.no_styles_label.setText("No styles are installed. Train one from a folder of paintings below.")

    def style_entries(self) -> list[StyleEntry]:
        return [self.style_list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.style_list.count())]

    def drive(self, canvas: PaintCanvas) -> None:
        """The brush controls set the canvas's tool, colour, size, hardness and opacity; the eyedropper's
        colour comes back here."""
        self.tool_chosen.connect(lambda tool: setattr(canvas, "tool", tool))
        self.colour_chosen.connect(lambda colour: setattr(canvas, "colour", colour))
        self.size_slider.valueChanged.connect(lambda v: setattr(canvas, "brush_size", float(v)))
        self.hardness_slider.valueChanged.connect(lambda v: setattr(canvas, "hardness", v / 100))
        self.opacity_slider.valueChanged.connect(lambda v: setattr(canvas, "opacity", v / 100))
        canvas.colour_picked.connect(self.show_colour)

    def current_style(self) -> StyleEntry | None:
        item = self.style_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def show_recipe(self, recipe: PaintRecipe) -> None:
        """The settings a painting was made with (its style, when it is installed)."""
        self.strength_slider.setValue(round(recipe.strength * 100))
        if recipe.quality != "best":  # Best quality paints with the painter's colours and records palette 0: the
            # slider kept that 0 after Best quality was turned off again, and every later render had "palette 0"
            self.palette_slider.setValue(round(recipe.palette * 100))
        self.seed_spin.setValue(recipe.seed)
        self.best_check.setChecked(recipe.quality == "best")
        self.look_combo.setCurrentIndex(max(0, self.look_combo.findData(recipe.look)))
        self.stroke_size_slider.setValue(round(recipe.brush_scale * 100))
        self.detail_slider.setValue(round(recipe.detail * 100))
        self.outline_slider.setValue(round(recipe.outline * 100))
        if recipe.from_scratch:
            self.subject_edit.setText(recipe.subject)
        for row in range(self.style_list.count()):
            if self.style_list.item(row).data(Qt.ItemDataRole.UserRole).name == recipe.style:
                self.style_list.setCurrentRow(row)

    @property
    def setting_sliders(self) -> list[QSlider]:
        """The sliders whose change calls for a new preview."""
        return [self.strength_slider, self.palette_slider, self.stroke_size_slider, self.detail_slider,
                self.outline_slider]

    def render_settings(self) -> dict[str, Any]:
        """Strength, palette, the look and the stroke controls, as `render_recipe` and `scratch_recipe` take them."""
        return {"strength": self.strength_slider.value() / 100, "palette": self.palette_slider.value() / 100,
                "look": self.look_combo.currentData(), "brush_scale": self.stroke_size_slider.value() / 100,
                "detail": self.detail_slider.value() / 100, "outline": self.outline_slider.value() / 100}

    def recipe(self, size: tuple[int, int], best: bool) -> PaintRecipe | None:
        """The recipe of a render of a canvas of `size` with these settings (Best quality where `best` and ticked);
        None before a style is chosen. The render and the crash recovery's record both ask here."""
        style = self.current_style()
        if style is None:
            return None
        return render_recipe(style.path, seed=self.seed_spin.value(), size=size,
                             best=best and self.best_check.isChecked(), **self.render_settings())

    def _on_look_changed(self) -> None:
        strokes = self.look_combo.currentData() == "strokes"
        for slider in (self.stroke_size_slider, self.detail_slider, self.outline_slider):
            slider.setEnabled(strokes)

    def _on_style_changed(self, item: QListWidgetItem | None, _previous) -> None:
        entry = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if entry is None:
            return
        self._show_swatches(entry.swatches)
        self.style_chosen.emit(entry)

    def _show_swatches(self, swatches: np.ndarray) -> None:
        while self.swatch_grid.count():
            item = self.swatch_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for index, (r, g, b) in enumerate(swatches[:12]):
            button = QToolButton()
            colour = QColor(int(r), int(g), int(b))
            button.setAccessibleName(f"Palette colour {index + 1}")
            button.setToolTip(colour.name())
            button.setStyleSheet(f"background-color: {colour.name()}; border: 1px solid #555;")
            button.setFixedSize(26, 26)
            button.clicked.connect(lambda _=False, c=colour: self.choose_colour(c))
            self.swatch_grid.addWidget(button, index // 6, index % 6)

    # Brush -------------------------------------------------------------------------------------

    def choose_tool(self, tool: Tool) -> None:
        self.tool_buttons[tool].setChecked(True)
        self.tool_chosen.emit(tool)

    def choose_colour(self, colour: QColor) -> None:
        self.show_colour(colour)
        self.colour_chosen.emit(colour)

    def show_colour(self, colour: QColor) -> None:
        text = "#000" if colour.lightness() > 128 else "#fff"
        self.colour_button.setStyleSheet(f"background-color: {colour.name()}; color: {text};")

    def _pick_free_colour(self) -> None:
        colour = QColorDialog.getColor(parent=self, title="Brush colour")
        if colour.isValid():
            self.choose_colour(colour)
