"""The scene composer: a subject in words and a seed -> a sketch of rough colour shapes with a horizon, a
subject and a composition learned from the painter (see composer.py, and docs/scenes.md)."""
