"""The tool in use stands out from the others in both themes.

Session 14, used as a new user would: in the dark theme (the default) the checked Brush looked exactly like Eraser,
Fill and Pick colour (Fusion darkens a checked button by 10%, nothing on a dark grey), so the tool in use could
not be seen (/work/helpers/firsthour/tools_dark_light.png: dark above, light below).
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from app.tabs.images import image_to_array
from app.tabs.paint.canvas import Tool
from app.tabs.paint.controls import PaintControls
from app.theme import apply_theme


@pytest.fixture(params=[True, False], ids=["dark", "light"])
def themed_controls(request, qtbot):
    app = QApplication.instance()
    palette, style = app.palette(), app.style().name()
    apply_theme(app, request.param)
    controls = PaintControls()
    qtbot.addWidget(controls)
    controls.show()
    qtbot.waitExposed(controls)
    yield controls
    app.setStyle(style)
    app.setPalette(palette)


def face(button) -> np.ndarray:
    """The button's mean colour inside its frame."""
    pixels = image_to_array(button.grab().toImage()).astype(float)
    h, w = pixels.shape[:2]
    return pixels[h // 4: 3 * h // 4, w // 8: 7 * w // 8].reshape(-1, 3).mean(axis=0)


def test_the_checked_tool_differs_from_the_others(themed_controls):
    buttons = themed_controls.tool_buttons
    assert buttons[Tool.BRUSH].isChecked()
    checked = face(buttons[Tool.BRUSH])
    for tool in (Tool.ERASER, Tool.FILL):
        assert np.abs(checked - face(buttons[tool])).max() > 30
    themed_controls.choose_tool(Tool.ERASER)
    assert np.abs(face(buttons[Tool.ERASER]) - face(buttons[Tool.BRUSH])).max() > 30
