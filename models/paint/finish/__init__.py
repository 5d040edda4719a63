"""The finish: a small network, trained adversarially per style, that turns a stroke render into the
painter's surface (paint texture, stroke edges, canvas). See apply.py and docs/style-engine.md."""
