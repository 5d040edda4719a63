"""Atelier's desktop app and command line: Qt widgets, worker threads, persistence."""

from models import __version__

__all__ = ["__version__"]
