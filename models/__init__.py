"""Atelier's engines: plain torch and numpy, no Qt. The app, the CLI, the tests and the benchmarks call them."""

__version__ = "0.1.0"
