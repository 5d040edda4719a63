"""The stroke renderer: a photo or a sketch painted stroke by stroke in a painter's manner.

`render_strokes(image, stroke_style, StrokeParams(...))` paints; `StrokeStyle` holds what was learned
from the painter's paintings (fitting.py learns it). See docs/style-engine.md.
"""

from .render import StrokeParams, render_strokes, stroke_render_job
from .stroke_style import StrokeStyle

__all__ = ["StrokeParams", "StrokeStyle", "render_strokes", "stroke_render_job"]
