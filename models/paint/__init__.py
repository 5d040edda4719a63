"""The style engine: render a sketch or a photo in a painter's style, learn a style from a few paintings.

No Qt here. The CLI, the Paint tab, the tests and the benchmarks call the same functions:
`load_style`, `render_in_style`, `train_style` (a job generator) and `load_image`.
"""
