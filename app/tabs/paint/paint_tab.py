"""The Paint tab: controls on the left, the canvas beside its rendered result, every render in the history strip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.paths import paint_styles_dir, paintings_dir, style_thumbnails_dir
from app.settings import Settings
from app.store import Store
from app.tabs.activity_tab import ActivityTab
from app.tabs.paint import history, jobs
from app.tabs.paint.canvas import PaintCanvas, Tool, array_to_image
from app.tabs.paint.controls import PaintControls
from app.tabs.paint.jobs import Painting, StyleEntry
from app.tabs.paint.result_view import ResultView
from app.worker import JobContext, JobHandle
from models.jobs import Result
from models.paint.recipe import PaintRecipe

LIVE_PREVIEW_DELAY_MS = 350  # after the last stroke
FULL_RENDER_DELAY_MS = 1500  # the full-size render once the user has stopped
CANVAS_SIZES = {"768 × 512 (3:2)": (768, 512), "512 × 512 (square)": (512, 512), "1024 × 768 (4:3)": (1024, 768),
                "1280 × 720 (16:9)": (1280, 720), "600 × 800 (portrait)": (600, 800)}
EXPORT_SCALES = {"1× size": 1.0, "2× size": 2.0, "3× size": 3.0}


def render_and_save(render_factory, folder: Path):
    """A full render, then kept on disk with its recipe: one job, so nothing half-saved is shown."""

    def job(context: JobContext):
        painting = None
        for event in render_factory(context):
            if isinstance(event, Result):
                painting = event.value
            else:
                yield event
        yield from jobs.save_painting(painting, folder)(context)

    return job


class PaintTab(ActivityTab):
    title = "Paint"

    def __init__(self, store: Store, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(settings, parent)
        self.store = store
        self.painting: Painting | None = None  # the result on show
        self._surprise_jobs: list[JobHandle] = []
        self._preview_job: JobHandle | None = None
        self._full_job: JobHandle | None = None
        self._unsaved: Painting | None = None  # the last render after a pause, not in the history

        self.controls = PaintControls()
        self.splitter.addWidget(self.scrolling(self.controls))
        self.splitter.addWidget(self._build_work_area())
        self.splitter.addWidget(self._build_history())
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 760, 200])

        self._preview_timer = QTimer(self, singleShot=True, interval=LIVE_PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.render_preview)
        self._full_timer = QTimer(self, singleShot=True, interval=FULL_RENDER_DELAY_MS)
        self._full_timer.timeout.connect(self._render_after_a_pause)

        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.colour_picked.connect(self.controls.show_colour)
        self.canvas.files_dropped.connect(lambda paths: self.open_image(Path(paths[0])))
        self.controls.tool_chosen.connect(self._set_tool)
        self.controls.colour_chosen.connect(lambda colour: setattr(self.canvas, "colour", colour))
        self.controls.size_slider.valueChanged.connect(lambda v: setattr(self.canvas, "brush_size", float(v)))
        self.controls.hardness_slider.valueChanged.connect(lambda v: setattr(self.canvas, "hardness", v / 100))
        self.controls.opacity_slider.valueChanged.connect(lambda v: setattr(self.canvas, "opacity", v / 100))
        self.controls.render_button.clicked.connect(self.render)
        self.controls.surprise_button.clicked.connect(self.surprise)
        self.controls.new_canvas_button.clicked.connect(self.choose_new_canvas)
        self.controls.open_button.clicked.connect(self.choose_image)
        self.controls.train_button.clicked.connect(self.show_train_dialog)
        for slider in (self.controls.strength_slider, self.controls.palette_slider):
            slider.valueChanged.connect(self._on_settings_changed)
        self.controls.seed_spin.valueChanged.connect(self._on_settings_changed)
        self.controls.live_check.toggled.connect(self._on_live_toggled)
        self.controls.style_chosen.connect(lambda _: self._on_settings_changed())
        self.worker.job_failed.connect(lambda handle, message: self.show_message(message, error=True))
        self.worker.job_progress.connect(self._on_render_progress)
        self.refresh_history()
        self.reload_styles()

    # Layout ------------------------------------------------------------------------------------

    def _build_work_area(self) -> QWidget:
        area = QWidget()
        layout = QVBoxLayout(area)
        self.message_label = QLabel()
        self.message_label.setAccessibleName("Paint message")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.canvas = PaintCanvas()
        self.result_view = ResultView()
        pictures = QSplitter(Qt.Orientation.Horizontal)
        pictures.addWidget(self.canvas)
        pictures.addWidget(self.result_view)
        layout.addWidget(pictures, 1)
        actions = QHBoxLayout()
        self.keep_button = QPushButton("☆ Keep")
        self.keep_button.setAccessibleName("Keep")
        self.keep_button.setToolTip("Star this render in the history (Ctrl+S)")
        self.keep_button.clicked.connect(self.keep_current)
        self.export_scale = QComboBox()
        self.export_scale.setAccessibleName("Export size")
        self.export_scale.addItems(list(EXPORT_SCALES))
        self.export_button = QPushButton("Export…")
        self.export_button.setAccessibleName("Export")
        self.export_button.setToolTip("Export as PNG (with its recipe) or JPEG (Ctrl+E); or drag the result out")
        self.export_button.clicked.connect(self.choose_export)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setAccessibleName("Copy result")
        self.copy_button.clicked.connect(self.copy_result)
        actions.addStretch(1)
        for widget in (self.keep_button, self.copy_button, self.export_scale, self.export_button):
            actions.addWidget(widget)
        layout.addLayout(actions)
        self._set_result_actions_enabled(False)
        return area

    def _build_history(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(QLabel("<b>History</b>"))
        self.history_list = QListWidget()
        self.history_list.setAccessibleName("Paint history")
        self.history_list.setViewMode(QListView.ViewMode.IconMode)
        self.history_list.setIconSize(QSize(120, 90))
        self.history_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.history_list.setMovement(QListView.Movement.Static)
        # Labels wrap under their thumbnails in cells of one width, so what differs is never cut off.
        self.history_list.setWordWrap(True)
        self.history_list.setGridSize(QSize(150, 150))
        self.history_list.itemClicked.connect(self.restore)
        layout.addWidget(self.history_list)
        return panel

    # Styles ------------------------------------------------------------------------------------

    def reload_styles(self, select: Path | None = None) -> JobHandle:
        return self.run_job(
            "Loading styles",
            jobs.load_styles(paint_styles_dir(), style_thumbnails_dir()),
            lambda entries: self.controls.set_styles(entries, select.as_posix() if select else None),
        )

    def current_style(self) -> StyleEntry | None:
        return self.controls.current_style()

    # Rendering ---------------------------------------------------------------------------------

    def primary_action(self) -> bool:
        return self.render() is not None

    def _render_factory(self, preview: bool):
        recipe = jobs.render_recipe(self.current_style().path, strength=self.controls.strength_slider.value() / 100,
                                    palette=self.controls.palette_slider.value() / 100,
                                    seed=self.controls.seed_spin.value(),
                                    size=(self.canvas.image.width(), self.canvas.image.height()),
                                    best=not preview and self.controls.best_check.isChecked())
        return jobs.paint(recipe, self.canvas.pixels(), preview)

    def render(self) -> JobHandle | None:
        """The full-size render of the canvas, kept in the history."""
        return self._render_full(on_purpose=True)

    def _render_after_a_pause(self) -> JobHandle | None:
        """The full-size render once the user stops painting: shown, kept only if they Keep or export it."""
        return self._render_full(on_purpose=False)

    def _render_full(self, on_purpose: bool) -> JobHandle | None:
        self._full_timer.stop()
        if self.current_style() is None:
            if on_purpose:
                self.show_message("Choose a style first (or train one from your paintings).", error=True)
            return None
        self._cancel_stale()
        self._full_job = self.run_job("Rendering", render_and_save(self._render_factory(False), paintings_dir()),
                                      lambda painting: self._on_full_render(painting, on_purpose))
        return self._full_job

    def render_preview(self) -> JobHandle | None:
        """A small render of the canvas as it is now, for live preview."""
        self._preview_timer.stop()  # this preview already shows the canvas the timer was waiting on
        if self.current_style() is None:
            return None
        if self._preview_job is not None:
            self._preview_job.cancel()  # stale: the canvas has changed since
        self._preview_job = self.run_job("Preview", self._render_factory(True), self._on_preview)
        return self._preview_job

    def _cancel_stale(self) -> None:
        for handle in (self._preview_job, self._full_job):
            if handle is not None:
                handle.cancel()

    def _on_canvas_changed(self) -> None:
        if self.controls.live_check.isChecked() and self.current_style() is not None:
            if self._full_job is not None:
                self._full_job.cancel()  # the user is still painting: that render is stale
            self._preview_timer.start()
            if not self.controls.best_check.isChecked():  # minutes of work wait for an explicit Render
                self._full_timer.start()

    def _on_live_toggled(self, live: bool) -> None:
        if not live:  # no automatic render once the user has turned them off, not even one already due
            self._preview_timer.stop()
            self._full_timer.stop()

    def _on_settings_changed(self, *_: object) -> None:
        self._on_canvas_changed()

    def _on_render_progress(self, handle: JobHandle, progress) -> None:
        """Best quality shows the picture taking shape every few steps."""
        if handle is self._full_job and progress.preview is not None:
            self.result_view.show_image(array_to_image(np.asarray(progress.preview.convert("RGB"))),
                                        f"painting… {progress.message}")

    def _on_preview(self, painting: Painting) -> None:
        if self._full_timer.isActive() or self._full_job is None:
            self.result_view.show_image(array_to_image(painting.pixels), "preview")

    def _on_full_render(self, painting: Painting, on_purpose: bool) -> None:
        self._full_job = None
        if on_purpose:
            self._add_to_history(painting)
        else:
            history.delete_unsaved(self._unsaved)
            self._unsaved = painting
        self._show_painting(painting)

    def _show_painting(self, painting: Painting, caption: str = "") -> None:
        self.painting = painting
        self.result_view.show_image(array_to_image(painting.pixels), caption, painting.saved_path)
        self._set_result_actions_enabled(True)
        self.hide_message()

    def _set_result_actions_enabled(self, enabled: bool) -> None:
        for widget in (self.keep_button, self.copy_button, self.export_button, self.export_scale):
            widget.setEnabled(enabled)

    # Surprise me -------------------------------------------------------------------------------

    def surprise(self) -> JobHandle | None:
        """New paintings from scratch of the subject in the box (or the painter's own subjects), one job each,
        each shown in the dialog as soon as it is painted; returns the last one's job."""
        from app.tabs.paint.surprise_dialog import SurpriseDialog

        style = self.current_style()
        if style is None:
            return None
        for handle in self._surprise_jobs:
            handle.cancel()
        first, count = self.controls.seed_spin.value(), self.controls.surprise_count.value()
        size = (self.canvas.image.width(), self.canvas.image.height())
        dialog = SurpriseDialog(count, self)
        dialog.picked.connect(self.use_painting)
        dialog.rejected.connect(lambda: [handle.cancel() for handle in self._surprise_jobs])
        self.surprise_dialog = dialog
        self._surprise_jobs = []
        for index in range(count):
            recipe = jobs.scratch_recipe(style.path, self.controls.subject_edit.text(), first + index, size,
                                         strength=self.controls.strength_slider.value() / 100,
                                         palette=self.controls.palette_slider.value() / 100)
            self._surprise_jobs.append(self.run_job(f"Painting {index + 1} of {count} from scratch",
                                                    jobs.paint(recipe, None),
                                                    lambda painting, index=index: dialog.add_painting(index, painting)))
        dialog.open()
        return self._surprise_jobs[-1]

    def use_painting(self, painting: Painting) -> None:
        """A painting from scratch (a Surprise pick, or one from the chat) onto the Paint tab: its scene sketch on
        the canvas as ordinary, undoable paint, its settings (its own seed) in the controls, the painting as
        the result, kept in the history."""
        if painting.recipe.from_scratch:
            self.controls.subject_edit.setText(painting.recipe.subject)
        self.show_painting_with_settings(painting, f"Scene: {painting.recipe.subject}" if painting.recipe.subject
                                         else "Painting from scratch")
        self._add_to_history(painting)

    # Opening, pasting, new canvas --------------------------------------------------------------

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an image", "", "Images (*.png *.jpg *.jpeg *.bmp *.tif "
                                              "*.tiff *.webp *.gif)")
        if path:
            self.open_image(Path(path))

    def open_image(self, path: Path) -> JobHandle:
        """Put a picture on the canvas; a painting Atelier made comes back as it was made (its canvas, its
        settings, and the painting as the result)."""

        def opened(picture: jobs.OpenedPicture) -> None:
            if picture.painting is None:
                self.canvas.replace_image(array_to_image(picture.pixels), f"Open {path.name}")
            else:
                self.show_painting_with_settings(picture.painting, f"Open {path.name}")
            self.file_used.emit(path)

        return self.run_job(f"Opening {path.name}", jobs.open_image(path), opened)

    def paste(self) -> bool:
        image = QApplication.clipboard().image()
        if image.isNull():
            self.show_message("The clipboard holds no picture to paste.", error=True)
            return False
        if max(image.width(), image.height()) > 2048:
            image = image.scaled(2048, 2048, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        self.canvas.replace_image(image, "Paste")
        return True

    def choose_new_canvas(self) -> None:
        choice, ok = QInputDialog.getItem(self, "New canvas", "Size:", list(CANVAS_SIZES), 0, False)
        if ok:
            self.canvas.new_canvas(QSize(*CANVAS_SIZES[choice]))

    def _set_tool(self, tool: Tool) -> None:
        self.canvas.tool = tool

    # History, keep, export ---------------------------------------------------------------------

    def refresh_history(self) -> None:
        self.history_list.clear()
        for item in self.store.items("painting", limit=200):
            if not item.paths or not Path(item.paths[0]).exists():
                continue
            thumbnail = jobs.thumbnail_of(Path(item.paths[0]))
            entry = QListWidgetItem(QIcon(str(thumbnail if thumbnail.exists() else item.paths[0])),
                                    ("★ " if item.starred else "") + item.title)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            entry.setToolTip(f"{item.title}. Click to bring back its canvas, settings and result.")
            self.history_list.addItem(entry)

    def restore(self, entry: QListWidgetItem) -> JobHandle | None:
        item = self.store.item(entry.data(Qt.ItemDataRole.UserRole))
        if item is None:
            return None
        try:
            recipe = PaintRecipe.from_json(item.params)
        except ValueError as error:
            self.show_message(f"This history entry cannot be restored: {error}.", error=True)
            return None

        def restored(pictures: list[np.ndarray]) -> None:
            result, canvas = pictures
            painting = Painting(result, canvas, recipe, saved_path=Path(item.paths[0]), source_path=Path(item.paths[1]),
                                history_id=item.id)
            self.show_painting_with_settings(painting, "Restore from history")

        return self.run_job("Restoring", jobs.read_pictures([Path(p) for p in item.paths[:2]]), restored)

    def show_painting_with_settings(self, painting: Painting, undo_text: str) -> None:
        """Its canvas on the canvas, its recipe's settings in the controls, the painting as the result."""
        recipe = painting.recipe
        self.canvas.replace_image(array_to_image(painting.source), undo_text)
        self.controls.strength_slider.setValue(round(recipe.strength * 100))
        self.controls.palette_slider.setValue(round(recipe.palette * 100))
        self.controls.seed_spin.setValue(recipe.seed)
        self.controls.best_check.setChecked(recipe.quality == "best")
        for row in range(self.controls.style_list.count()):
            if self.controls.style_list.item(row).data(Qt.ItemDataRole.UserRole).name == recipe.style:
                self.controls.style_list.setCurrentRow(row)
        self._preview_timer.stop()
        self._full_timer.stop()
        self._show_painting(painting)

    def keep_current(self) -> bool:
        if self.painting is None:
            return False
        if self.painting.history_id is None:
            self._add_to_history(self.painting, starred=True)
        else:
            self.store.set_starred(self.painting.history_id, True)
            self.refresh_history()
        self.show_message("Kept: starred in the history.")
        return True

    def _add_to_history(self, painting: Painting, how: str = "", starred: bool = False) -> None:
        """Into the history (saved to disk first when it is not yet, as a Surprise pick is not)."""

        def add(saved: Painting) -> None:
            names = {entry.name: entry.title for entry in self.controls.style_entries()}
            label = history.painting_label(saved, names.get(saved.recipe.style, saved.recipe.style), how)
            history.add_painting(self.store, saved, label, starred)
            if saved is self._unsaved:
                self._unsaved = None
            self.refresh_history()

        if painting.saved_path is None:
            self.run_job("Keeping the painting", jobs.save_painting(painting, paintings_dir()), add)
        else:
            add(painting)

    def choose_export(self) -> None:
        if self.painting is None:
            return
        name = f"{self.painting.recipe.style}-seed{self.painting.recipe.seed}.png"
        path, _ = QFileDialog.getSaveFileName(self, "Export painting", name, "PNG with recipe (*.png);;JPEG (*.jpg)")
        if path:
            self.export_to(Path(path), EXPORT_SCALES[self.export_scale.currentText()])

    def export_to(self, path: Path, scale: float = 1.0) -> JobHandle | None:
        if self.painting is None:
            return None

        painting = self.painting

        def exported(written: Path) -> None:
            self.show_message(f"Exported {written.name}.")
            self.file_used.emit(written)
            if painting.history_id is None:
                self._add_to_history(painting, "exported")

        return self.run_job(f"Exporting {path.name}",
                            jobs.export(self.painting, path, scale), exported)

    # File and Edit menus (app/menus.py) ---------------------------------------------------------

    def export(self) -> bool:
        if self.painting is None:
            return False
        self.choose_export()
        return True

    def undo(self) -> bool:
        if not self.canvas.undo_stack.canUndo():
            return False
        self.canvas.undo_stack.undo()
        return True

    def redo(self) -> bool:
        if not self.canvas.undo_stack.canRedo():
            return False
        self.canvas.undo_stack.redo()
        return True

    def copy(self) -> bool:
        return self.copy_result()

    def shutdown(self) -> None:
        history.delete_unsaved(self._unsaved)
        super().shutdown()

    def copy_result(self) -> bool:
        if self.result_view.image is None:
            return False
        QApplication.clipboard().setImage(self.result_view.image)
        return True

    # Training ----------------------------------------------------------------------------------

    def show_train_dialog(self):
        from app.tabs.paint.train_dialog import TrainPaintStyleDialog

        dialog = TrainPaintStyleDialog(paint_styles_dir(), self.worker, self)
        dialog.trained.connect(lambda path: self.reload_styles(select=path))
        dialog.open()
        return dialog

    # Messages ----------------------------------------------------------------------------------

    def show_message(self, text: str, error: bool = False) -> None:
        self.message_label.setStyleSheet("color: #e07a5f;" if error else "")
        self.message_label.setText(text)
        self.message_label.show()

    def hide_message(self) -> None:
        self.message_label.hide()
