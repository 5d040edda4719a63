"""The Paint tab: controls on the left, the canvas beside its rendered result, every render in the history strip."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.file_kinds import MIDI_SUFFIXES, PICTURE_SUFFIXES
from app.paths import paint_styles_dir, paintings_dir, style_thumbnails_dir
from app.settings import Settings
from app.store import Store
from app.tabs.activity_tab import ActivityTab
from app.tabs.images import array_to_image
from app.tabs.message_bar import MessageBar
from app.tabs.paint import jobs
from app.tabs.paint.canvas import PaintCanvas
from app.tabs.paint.controls import PaintControls
from app.tabs.paint.history_strip import HistoryStrip
from app.tabs.paint.jobs import Painting, StyleEntry
from app.tabs.paint.picture_split import PictureSplit
from app.tabs.paint.result_actions import ResultActions
from app.tabs.paint.result_view import ResultView
from app.tabs.paint.surprise_dialog import SurpriseDialog
from app.tabs.save_dialog import Place, dialog_folder, remember_folder
from app.worker import JobHandle
from models.paint.recipe import PaintRecipe
from models.paint.scene import words as scene_words

LIVE_PREVIEW_DELAY_MS = 350  # after the last stroke
FULL_RENDER_DELAY_MS = 1500  # the full-size render once the user has stopped
PAINTINGS_REMEMBERED = 3  # put on show lately, for an undo back to their canvas (each holds a few pictures)
UNDRAWN_WORDS = "undrawn words"  # the message bar's topic when it says which words of a subject are not drawn
NOTHING_TO_PASTE = "nothing to paste"  # its topic when a paste found no picture
KEPT = "kept"  # its topic after Keep, while the painting kept is on show
CANVAS_SIZES = {"768 × 512 (3:2)": (768, 512), "512 × 512 (square)": (512, 512), "1024 × 768 (4:3)": (1024, 768),
                "1280 × 720 (16:9)": (1280, 720), "600 × 800 (portrait)": (600, 800)}


class PaintTab(ActivityTab):
    title = "Paint"

    def __init__(self, store: Store, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(settings, parent)
        self.store = store
        self.painting: Painting | None = None  # the result on show
        self.surprise_dialog: SurpriseDialog | None = None
        self._preview_job: JobHandle | None = None
        self._full_job: JobHandle | None = None
        self._full_on_purpose = False  # the user pressed Render (not a render after a pause)
        self._unfinished: tuple[JobHandle, QImage] | None = None  # a render's picture in progress, on show
        # Renders the user pressed that were still running when a new picture replaced their canvas: job id -> the
        # undo step that replaced it. They finish into the history (and come back with that step's undo).
        self._outliving: dict[int, object] = {}
        # The undo step of the last new picture on the canvas (New canvas, Open, Paste) and the painting it took off
        # show, to bring back when that step is undone.
        self._replaced_step: tuple[object, Painting] | None = None
        # The last paintings put on show, each with the settings then: an undo or redo back to one's canvas brings
        # it back instead of painting the canvas again.
        self._shown: deque[tuple[Painting, tuple]] = deque(maxlen=PAINTINGS_REMEMBERED)

        self.controls = PaintControls()
        self.splitter.addWidget(self.scrolling(self.controls, self.controls.render_button))
        self.splitter.addWidget(self._build_work_area())
        self.splitter.addWidget(self._build_history())
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 760, 200])

        self._preview_timer = QTimer(self, singleShot=True, interval=LIVE_PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.render_preview)
        self._full_timer = QTimer(self, singleShot=True, interval=FULL_RENDER_DELAY_MS)
        self._full_timer.timeout.connect(self._render_after_a_pause)

        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.undo_stack.indexChanged.connect(self._on_canvas_history_moved)
        self.canvas.files_dropped.connect(self._open_dropped)
        self.controls.drive(self.canvas)
        self.controls.render_button.clicked.connect(self.render)
        self.controls.surprise_button.clicked.connect(self.surprise)
        self.controls.new_canvas_button.clicked.connect(self.choose_new_canvas)
        self.controls.open_button.clicked.connect(self.choose_image)
        self.controls.train_button.clicked.connect(self.show_train_dialog)
        for slider in self.controls.setting_sliders:
            slider.valueChanged.connect(self._on_settings_changed)
        self.controls.look_combo.currentIndexChanged.connect(self._on_settings_changed)
        self.controls.seed_spin.valueChanged.connect(self._on_settings_changed)
        self.controls.live_check.toggled.connect(self._on_live_toggled)
        self.controls.style_chosen.connect(lambda _: self._on_settings_changed())
        self.controls.style_chosen.connect(lambda entry: settings.set("paint_style", entry.path.as_posix()))
        self.worker.job_failed.connect(lambda handle, message: self.message_bar.show_error(message))
        for ended in (self.worker.job_failed, self.worker.job_cancelled):
            ended.connect(lambda handle, *_: self._outliving.pop(handle.id, None))
            ended.connect(lambda handle, *_: self._on_render_stopped(handle))
        self.worker.job_progress.connect(self._on_render_progress)
        # The style chosen last time (every start began with the first in the list, Hokusai, whatever one painted in)
        chosen = settings.get("paint_style")
        self.reload_styles(select=Path(chosen) if chosen else None)

    # Layout ------------------------------------------------------------------------------------

    def _build_work_area(self) -> QWidget:
        area = QWidget()
        layout = QVBoxLayout(area)
        # No margin at the sides, nor in the history strip: the splitter's handles part the panes, and the tab fits a
        # 720-px window (its panes at their smallest needed 825 px: the controls were drawn over the canvas).
        layout.setContentsMargins(0, layout.contentsMargins().top(), 0, layout.contentsMargins().bottom())
        self.message_bar = MessageBar("Paint message")
        layout.addWidget(self.message_bar)
        self.canvas = PaintCanvas()
        self.result_view = ResultView()
        self.pictures = PictureSplit(self.canvas, self.result_view)
        layout.addWidget(self.pictures, 1)
        actions = self.result_actions = ResultActions(self.keep_current, self.copy_result, self.choose_export)
        self.keep_button, self.copy_button = actions.keep_button, actions.copy_button
        self.export_scale, self.export_button = actions.export_scale, actions.export_button
        layout.addWidget(actions)
        return area

    def _build_history(self) -> QWidget:
        self.history_strip = HistoryStrip(self.store, self.run_job, self.remove_from_history)
        self.history_strip.refreshed.connect(self._show_kept)
        self.history_list = self.history_strip.list
        self.history_list.itemClicked.connect(self.restore)
        return self.history_strip

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

    def _recipe(self, preview: bool) -> PaintRecipe:
        """The recipe of a render of the canvas with the controls' settings (a style is chosen), and the scene the
        canvas is the sketch of: a Surprise pick painted on, or in another style or seed, is painted as its scene
        still (it was painted as a plain picture, nothing like the pick)."""
        recipe = self.controls.recipe((self.canvas.image.width(), self.canvas.image.height()), best=not preview)
        assert recipe is not None
        return recipe.over_scene(self.canvas.scene)

    def render(self) -> JobHandle | None:  # type: ignore[override]  # (QWidget.render is never used on a tab)
        """The full-size render of the canvas, kept in the history."""
        return self._render_full(on_purpose=True)

    def _render_after_a_pause(self) -> JobHandle | None:
        """The full-size render once the user stops painting: shown, kept only if they Keep or export it."""
        return self._render_full(on_purpose=False)

    def _render_full(self, on_purpose: bool) -> JobHandle | None:
        self._full_timer.stop()
        if self.current_style() is None:
            if on_purpose:
                self.message_bar.show_error("Choose a style first (or train one from your paintings).")
            return None
        if self._full_job is not None:
            self._full_job.cancel()  # stale: the settings or the canvas have changed since
        handle = self.run_job("Rendering", jobs.paint_and_keep(self._recipe(False), self.canvas.snapshot(),
                                                               paintings_dir()),
                              lambda painting: self._on_full_render(painting, on_purpose, handle))
        self._full_job, self._full_on_purpose = handle, on_purpose
        return handle

    def render_preview(self) -> JobHandle | None:
        """A small render of the canvas as it is now, for live preview."""
        self._preview_timer.stop()  # this preview already shows the canvas the timer was waiting on
        if self.current_style() is None:
            return None
        if self._preview_job is not None:
            self._preview_job.cancel()  # stale: the canvas has changed since
        self._preview_job = self.run_job("Preview", jobs.paint(self._recipe(True), self.canvas.snapshot(), preview=True),
                                         self._on_preview)
        return self._preview_job

    def _on_canvas_changed(self) -> None:
        if self.controls.live_check.isChecked() and self.current_style() is not None:
            if self._full_job is not None:
                self._full_job.cancel()  # the user is still painting: that render is stale
            if self.canvas.is_blank():
                # Nothing to paint from: at the first start a painting of the white canvas replaced the empty
                # state's "Paint a few shapes, or drop a photo…" within seconds. Render still paints it.
                self._preview_timer.stop()
                self._full_timer.stop()
                return
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
            picture = array_to_image(np.asarray(progress.preview.convert("RGB")))
            self.result_view.show_image(picture, f"painting… {progress.message}")
            self._painting_replaced_by_preview()
            self._unfinished = (handle, picture)

    def _on_render_stopped(self, handle: JobHandle) -> None:
        """A full render cancelled (Esc) or failed: its picture in progress, still on show, says it was not
        finished. It said "painting… 1992 strokes planned" for good after Esc (seen under Xvfb)."""
        if handle is self._full_job:
            self._full_job = None
        if self._unfinished is not None and self._unfinished[0] is handle:
            picture = self._unfinished[1]
            self._unfinished = None
            if self.result_view.image is picture:
                self.result_view.show_image(picture, "stopped before it was finished: not kept")

    def _on_preview(self, painting: Painting) -> None:
        # One worker runs the jobs in order, so a preview always arrives before the full render queued
        # after it: it is the newest picture of the canvas until that render replaces it. (An in-flight
        # preview is not cancelled when the full render is queued: on a busy machine it may be all the
        # user sees for a while.)
        self.result_view.show_image(self._picture(painting), "preview")
        self._painting_replaced_by_preview()

    def _painting_replaced_by_preview(self) -> None:
        """Keep and Export act on a full render: once a preview shows the canvas as it is now, the painting they
        would star or write is of the canvas before (seen: a preview of a newly opened photo beside Keep and Export
        of the painting of the one before, with Best quality on for as long as the user waits). They come back
        with the full render; Copy copies what is on show."""
        self.painting = None
        self._enable_actions(painting=False, picture=True)
        self.message_bar.withdraw(KEPT)  # it stayed over the next strokes' previews, Keep greyed beside it

    @staticmethod
    def _picture(painting: Painting) -> QImage:
        """The painting as the view shows it: made on the worker that painted it, else here. Converting a 2048-px
        painting here held the UI thread 60-100 ms (11 ms of CPU, the rest Qt's helper threads waiting for a core at
        load 30), the longest stall of a render; the worker's picture is handed over once, not kept twice."""
        picture, painting.picture = painting.picture, None
        return picture if picture is not None else array_to_image(painting.pixels)

    def _enable_actions(self, painting: bool, picture: bool) -> None:
        self.result_actions.setEnabled(picture)
        for widget in (self.keep_button, self.export_scale, self.export_button):
            widget.setEnabled(painting)
        self._show_kept()

    def _show_kept(self) -> None:
        """Keep says whether the painting on show is kept: after a Keep, and for a starred entry brought back, it
        still read "☆ Keep" (only the history's ★ and a message said so)."""
        item = None
        if self.painting is not None and self.painting.history_id is not None:
            item = self.store.item(self.painting.history_id)
        kept = item is not None and item.starred
        self.keep_button.setText("★ Kept" if kept else "☆ Keep")
        self.keep_button.setToolTip("Starred in the history (right-click it there to unstar)" if kept
                                    else "Star this render in the history (Ctrl+S)")

    def _on_full_render(self, painting: Painting, on_purpose: bool, handle: JobHandle) -> None:
        if handle.id in self._outliving:
            self._outlived(painting, self._outliving.pop(handle.id))
            return
        self._full_job = None
        if self._preview_job is not None:
            self._preview_job.cancel()  # one queued after this render would show a smaller picture of the same canvas
        if on_purpose:
            self._add_to_history(painting)
        else:
            self.history_strip.shown_unsaved(painting)
        self._show_painting(painting)

    def _show_painting(self, painting: Painting, caption: str = "") -> None:
        self.painting = painting
        self._shown = deque(((shown, key) for shown, key in self._shown if shown is not painting), PAINTINGS_REMEMBERED)
        self._shown.append((painting, self._settings_now()))
        self.result_view.show_image(self._picture(painting), caption, painting.saved_path)
        self._enable_actions(painting=True, picture=True)
        self.message_bar.hide()

    # Surprise me -------------------------------------------------------------------------------

    def surprise(self) -> JobHandle | None:
        """New paintings from scratch of the subject in the box (or the painter's own subjects) to choose from,
        painted small, each shown as soon as it is ready (SurpriseDialog); returns the last one's job."""
        style = self.current_style()
        if style is None:
            return None
        if self.surprise_dialog is not None:
            self.surprise_dialog.close_for_good()  # the last Surprise's pictures are no longer wanted
        first, count = self.controls.seed_spin.value(), self.controls.surprise_count.value()
        size = (self.canvas.image.width(), self.canvas.image.height())
        recipes = [jobs.scratch_recipe(style.path, self.controls.subject_edit.text(), first + index, size,
                                       **self.controls.render_settings()) for index in range(count)]
        left_out = scene_words.left_out(self.controls.subject_edit.text())
        if left_out:
            self.message_bar.show_info(left_out.strip(), topic=UNDRAWN_WORDS)
        else:
            self.message_bar.withdraw(UNDRAWN_WORDS)  # the last subject's, no longer true
        self.surprise_dialog = SurpriseDialog(count, self)
        self.surprise_dialog.picked.connect(self.use_painting)
        return self.surprise_dialog.paint(recipes, self.run_job, paintings_dir(), self._on_pick_painted)

    # For Chat (app.tabs.studio.Painter) ---------------------------------------------------------

    def paint_for_request(self, recipe: PaintRecipe, on_done, on_failed) -> JobHandle:
        return self.run_job("Painting for the chat", jobs.paint_for_request(recipe), on_done, on_failed)

    def busy_with(self) -> str | None:
        jobs_now = self.worker.pending_jobs()
        return jobs_now[0].title if jobs_now else None

    def open_painting(self, painting: Painting) -> None:
        self.use_painting(painting)
        self.show_me.emit()

    def use_painting(self, painting: Painting) -> None:
        """A painting from scratch (a Surprise pick, or one from the chat) onto the Paint tab: its scene sketch on
        the canvas as ordinary, undoable paint, its settings (its own seed) in the controls, the painting as
        the result, kept in the history (a Surprise pick, painted small, once it is painted in full)."""
        self.show_painting_with_settings(painting, f"Scene: {painting.recipe.subject}" if painting.recipe.subject
                                         else "Painting from scratch")
        if painting.preview:
            self.result_view.show_image(self._picture(painting), "painting it at full size…")
        else:
            self._add_to_history(painting)

    def _on_pick_painted(self, pick: Painting, full: Painting) -> None:
        self._add_to_history(full)
        if self.painting is pick:  # nothing else has been put on show meanwhile
            self._show_painting(full)

    # Opening, pasting, new canvas --------------------------------------------------------------

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an image", str(dialog_folder(Place.PicturesLocation)),
                                              f"Images ({' '.join('*' + suffix for suffix in PICTURE_SUFFIXES)})")
        if path:
            remember_folder(path)
            self.open_image(Path(path))

    def _open_dropped(self, paths: list[str]) -> JobHandle | None:
        """The canvas holds one picture: the first dropped. The others were left without a word (three photos
        dropped, one opened, seen under Xvfb); now it says so. A MIDI file goes to Compose as its motif: it was read
        as a picture and refused ("not an image file Atelier can read")."""
        if Path(paths[0]).suffix.lower() in MIDI_SUFFIXES:
            self.open_elsewhere.emit(Path(paths[0]))
            return None
        handle = self.open_image(Path(paths[0]))
        if len(paths) > 1:
            others = len(paths) - 1
            self.message_bar.show_info(f"The canvas holds one picture: {Path(paths[0]).name} is opened, the other "
                                       f"{others} file{'s' if others > 1 else ''} not.")
        return handle

    def open_image(self, path: Path) -> JobHandle:
        """Put a picture on the canvas; a painting Atelier made comes back as it was made (its canvas, its
        settings, and the painting as the result)."""

        def opened(picture: jobs.OpenedPicture) -> None:
            if picture.painting is None:
                self._replace_canvas(lambda: self.canvas.replace_image(picture.canvas, f"Open {path.name}"))
            else:
                self.show_painting_with_settings(picture.painting, f"Open {path.name}", picture.canvas)
            self.file_used.emit(path)

        self._stop_automatic_renders()
        # Not opened (a file that is not a picture): the canvas is as it was, and so are its live renders.
        return self.run_job(f"Opening {path.name}", jobs.open_image(path), opened,
                            lambda _message: self._on_canvas_changed())

    def _stop_automatic_renders(self) -> None:
        """A new picture is asked for (Open, a history entry): the previews and the render after a pause are of the
        canvas it replaces, and the worker runs jobs in order: a 6000x4000 photo reached the canvas 22-30 s after it
        was asked for, behind the render after a pause of the photo before (under Xvfb, load 10-12). A render the
        user pressed goes on (see _let_go_of_renders)."""
        self._preview_timer.stop()
        self._full_timer.stop()
        if self._preview_job is not None:
            self._preview_job.cancel()
        if self._full_job is not None and not self._full_on_purpose:
            self._full_job.cancel()

    def paste(self) -> bool:
        image = QApplication.clipboard().image()
        if image.isNull():
            # Nothing failed: said as news with what to do, not in the error colour, and gone once a paste works.
            self.message_bar.show_info("The clipboard holds no picture to paste: copy one first, or drop a picture "
                                       "file on the canvas.", topic=NOTHING_TO_PASTE)
            return False
        self.message_bar.withdraw(NOTHING_TO_PASTE)
        if max(image.width(), image.height()) > 2048:
            image = image.scaled(2048, 2048, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        self._replace_canvas(lambda: self.canvas.replace_image(image, "Paste"))
        return True

    def choose_new_canvas(self) -> None:
        choice, ok = QInputDialog.getItem(self, "New canvas", "Size:", list(CANVAS_SIZES), 0, False)
        if ok:
            self.new_canvas(QSize(*CANVAS_SIZES[choice]))

    def new_canvas(self, size: QSize) -> None:
        self._replace_canvas(lambda: self.canvas.new_canvas(size))

    def _replace_canvas(self, replace: Callable[[], None]) -> None:
        """A new picture on the canvas (New canvas, Open, Paste), and no result beside it: the painting on show was
        of the canvas before, and Keep and Export acted on it (a user could export the old picture thinking it the
        new one's; with live preview off it stayed until Render). Undoing the new picture brings it back."""
        outliving = self._let_go_of_renders()
        previous = self.painting
        replace()
        stack = self.canvas.undo_stack
        step = stack.command(stack.index() - 1)
        self._replaced_step = (step, previous) if previous is not None else None
        if outliving is not None:
            self._outliving[outliving.id] = step
        self._clear_result()

    def _let_go_of_renders(self) -> JobHandle | None:
        """Before a new picture replaces the canvas: a render of the canvas before would put its painting on show
        beside the new one, so previews and renders after a pause are cancelled. A render the user pressed goes on
        (minutes of Best quality were lost to New canvas or Open): it is returned, to finish into the history."""
        if self._preview_job is not None:
            self._preview_job.cancel()
        full, self._full_job = self._full_job, None
        if full is not None and not self._full_on_purpose:
            full.cancel()
            return None
        return full

    def _outlived(self, painting: Painting, step: object) -> None:
        """A render the user pressed has finished after a new picture replaced its canvas (`step`, on the undo
        stack): into the history, and on show only when that step is undone; its undo brings it back later."""
        self._add_to_history(painting)
        stack = self.canvas.undo_stack
        position = next((i for i in range(stack.count()) if stack.command(i) is step), None)
        if position is None:  # the new picture's step has left the undo history
            self.message_bar.show_info("The render you started before the new picture has finished: it is in the "
                                       "history.")
            return
        if self._replaced_step is None or self._replaced_step[0] is step:
            self._replaced_step = (step, painting)
        if stack.index() <= position and self.painting is None:  # its canvas is back already
            self._show_painting(painting)
            self._no_live_render_of_the_painting_on_show()
            return
        self.message_bar.show_info("The render you started before the new picture has finished: it is in the "
                                   "history, and Undo brings back its canvas with it.")

    def _no_live_render_of_the_painting_on_show(self) -> None:
        """The painting brought back is of the canvas as it is: the live preview the undo set off (canvas.changed
        comes first) would take it off show a moment later and grey Keep and Export (with Best quality on, until
        Render). Seen under Xvfb after undoing New canvas, with live preview on as it ships."""
        self._preview_timer.stop()
        self._full_timer.stop()
        if self._preview_job is not None:
            self._preview_job.cancel()

    def _clear_result(self) -> None:
        self.painting = None
        self.result_view.show_image(None)
        self._enable_actions(painting=False, picture=False)

    def _on_canvas_history_moved(self, index: int) -> None:
        if self._replaced_step is None:
            return
        step, painting = self._replaced_step
        stack = self.canvas.undo_stack
        if index < stack.count() and stack.command(index) is step and self.painting is None:
            self._show_painting(painting)  # the new picture undone, and nothing else put on show since
            self._no_live_render_of_the_painting_on_show()
        elif index > 0 and stack.command(index - 1) is step and self.painting is painting:
            self._clear_result()  # and redone

    def _bring_back_a_painting_of_the_canvas(self) -> None:
        """After Undo or Redo: a painting on show lately (the one on show, or one in the history), of the canvas as
        it is now and with the settings as they are, is on show, and no preview or render after a pause paints the
        canvas again. Seen under Xvfb: a fill on a Surprise pick's sketch, undone, and the sketch was painted again
        as a plain picture, nothing like the pick beside it."""
        settings, size = self._settings_now(), (self.canvas.image.height(), self.canvas.image.width())
        alike = [painting for painting, then in self._shown if then == settings and painting.source.shape[:2] == size
                 and (painting is self.painting or painting.history_id is not None)]
        if not alike:
            return
        pixels = self.canvas.pixels()  # tens of ms at 2048 px: after an undo only, and only for a painting this size
        for painting in reversed(alike):
            if np.array_equal(painting.source, pixels):
                if painting is not self.painting:
                    self._show_painting(painting)
                self._no_live_render_of_the_painting_on_show()
                return

    def _settings_now(self) -> tuple:
        """What a render of the canvas would be painted with: the style, the seed, Best quality and the sliders."""
        style = self.current_style()
        return (style.path if style is not None else None, self.controls.seed_spin.value(),
                self.controls.best_check.isChecked(), tuple(sorted(self.controls.render_settings().items())))

    # History, keep, export ---------------------------------------------------------------------

    def refresh_history(self) -> None:
        self.history_strip.refresh()

    def restore(self, entry: QListWidgetItem) -> JobHandle | None:
        try:
            found = self.history_strip.entry(entry)
        except ValueError as error:
            self.message_bar.show_error(f"This history entry cannot be restored: {error}.")
            return None
        if found is None:
            return None
        item_id, recipe, (saved_path, source_path) = found

        def restored(entry: jobs.OpenedPicture) -> None:
            assert entry.painting is not None  # a history entry is always a painting
            self.show_painting_with_settings(entry.painting, "Restore from history", entry.canvas)

        self._stop_automatic_renders()
        return self.run_job("Restoring", jobs.read_history_entry(item_id, recipe, saved_path, source_path), restored,
                            lambda _message: self._on_canvas_changed())

    def remove_from_history(self, item_id: int) -> bool:
        """Remove a history entry and its files, once the user confirms. The painting on show stays on show (it is
        in memory), as a render not kept: Keep saves it again."""
        item = self.store.item(item_id)
        if item is None:
            return False
        answer = QMessageBox.question(self, "Remove from history",
                                      f"Remove “{item.title}” from the history? Its picture and canvas are deleted.")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.history_strip.remove(item_id)
        if self.painting is not None and self.painting.history_id == item_id:
            self.painting.history_id = None
            self.painting.saved_path = self.painting.source_path = None
        return True

    def show_painting_with_settings(self, painting: Painting, undo_text: str, canvas: QImage | None = None) -> None:
        """Its canvas on the canvas (`canvas` when a job has made it already), its recipe's settings in the
        controls, the painting as the result."""
        outliving = self._let_go_of_renders()  # a render of the canvas before would replace this painting
        # A saved painting whose canvas file is gone comes with itself as its canvas: not a scene's sketch.
        canvas_gone = painting.saved_path is not None and painting.source_path is None
        self.canvas.replace_image(canvas if canvas is not None else array_to_image(painting.source), undo_text,
                                  None if canvas_gone else painting.recipe.canvas_scene)
        if outliving is not None:
            stack = self.canvas.undo_stack
            self._outliving[outliving.id] = stack.command(stack.index() - 1)
        self.controls.show_recipe(painting.recipe)
        self._preview_timer.stop()
        self._full_timer.stop()
        self._show_painting(painting)

    def keep_current(self) -> bool:
        if self.painting is None:
            return False
        if self.painting.history_id is None:
            self._add_to_history(self.painting, starred=True)
        else:
            self.history_strip.star(self.painting.history_id)
        self.message_bar.show_info("Kept: starred in the history.", topic=KEPT)
        return True

    def _canvas_painted(self) -> bool:
        """Whether the painting on show is of the canvas as it is now."""
        return self.painting is not None and np.array_equal(self.painting.source, self.canvas.pixels())

    def unsaved_work(self) -> str:
        if not self._canvas_painted():
            # Strokes (or a photo) since the last render, or none yet: closing lost them without a word.
            return "" if self.canvas.is_blank() else "the canvas has changes not rendered yet"
        if self.painting is self.history_strip.unsaved:
            # A render after a pause is on show but not in the history until kept; closing deletes its files.
            return "the painting on show is not in the history"
        return ""

    def keep_unsaved_work(self) -> JobHandle | None:
        """The painting on show into the history; or the canvas rendered into it first (Render)."""
        if not self._canvas_painted():
            if self.canvas.is_blank():
                return None
            # The window waits for this render alone: a live preview queued before it held the close up for
            # minutes at load 15 (under Xvfb).
            self._stop_automatic_renders()
            return self.render()
        if self.painting is self.history_strip.unsaved:
            self.keep_current()
        return None

    def _add_to_history(self, painting: Painting, how: str = "", starred: bool = False) -> None:
        titles = {entry.name: entry.title for entry in self.controls.style_entries()}
        self.history_strip.add(painting, titles.get(painting.recipe.style, painting.recipe.style), how, starred)

    def choose_export(self) -> JobHandle | None:
        if self.painting is None:
            return None
        name = f"{self.painting.recipe.style}-seed{self.painting.recipe.seed}.png"
        path, chosen = QFileDialog.getSaveFileName(self, "Export painting", str(dialog_folder(Place.PicturesLocation) / name),
                                                   "PNG with recipe (*.png);;JPEG (*.jpg)")
        if not path:
            return None
        remember_folder(path)
        # Qt's dialog gives a name typed without a suffix back as typed, the type chosen beside it apart: "JPEG" and
        # "sunset" wrote a PNG. A name without a picture suffix takes the chosen type's ("sunset v1.2.jpg").
        if "*.jpg" in chosen and Path(path).suffix.lower() not in (".jpg", ".jpeg", ".png"):
            path = f"{path}.jpg"
        return self.export_to(Path(path), self.result_actions.scale())

    def export_to(self, path: Path, scale: float = 1.0) -> JobHandle | None:
        if self.painting is None:
            return None
        painting = self.painting

        def exported(written: Path) -> None:
            self.message_bar.show_info(f"Exported {written.name}.")
            self.file_used.emit(written)
            if painting.history_id is None:
                self._add_to_history(painting, "exported")

        return self.run_job(f"Exporting {path.name}", jobs.export(self.painting, path, scale), exported)

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
        self._bring_back_a_painting_of_the_canvas()
        return True

    def redo(self) -> bool:
        if not self.canvas.undo_stack.canRedo():
            return False
        self.canvas.undo_stack.redo()
        self._bring_back_a_painting_of_the_canvas()
        return True

    def copy(self) -> bool:
        return self.copy_result()

    def shutdown(self) -> None:
        self.history_strip.forget_unsaved()
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
