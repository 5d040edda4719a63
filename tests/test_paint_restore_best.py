"""Bringing back a Best quality painting leaves the Palette slider where the user set it.

Session 16, under Xvfb (/work/helpers/firsthour4/shots/14-mywaves.png): after clicking a Best quality render in the
history, the slider stood at 0 (Best quality records palette 0: it paints with the painter's colours), and every
render after Best quality was turned off again was made, and labelled, "palette 0".
"""

from __future__ import annotations


def test_restoring_a_best_quality_recipe_keeps_the_palette_slider(paint):
    controls = paint.controls
    controls.palette_slider.setValue(70)
    controls.best_check.setChecked(True)
    best = paint._recipe(preview=False)
    assert best.quality == "best" and best.palette == 0.0
    controls.best_check.setChecked(False)
    controls.palette_slider.setValue(40)
    controls.show_recipe(best)
    assert controls.best_check.isChecked() and controls.palette_slider.value() == 40
    controls.best_check.setChecked(False)
    assert paint._recipe(preview=False).palette == 0.4
    fast = paint._recipe(preview=False).replace(palette=0.9)
    controls.show_recipe(fast)  # a render's own palette still comes back with it
    assert controls.palette_slider.value() == 90
