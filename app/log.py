"""The log file: tracebacks go here, never to the user. Rotates so it never fills the disk."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from app.paths import logs_dir

LOG_FILE_NAME = "atelier.log"
_MAX_BYTES = 2 * 1024 * 1024
_BACKUPS = 3

logger = logging.getLogger("atelier")


def log_file_path() -> Path:
    return logs_dir() / LOG_FILE_NAME


def setup_logging() -> Path:
    """Send the `atelier` logger to a rotating file in the data folder; returns the file's path.

    When the file cannot be opened (a read-only or full data folder) the log goes to standard error
    instead and the OSError is raised for the caller to say so."""
    path = log_file_path()
    for handler in list(logger.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            if Path(handler.baseFilename) == path:
                return path
            logger.removeHandler(handler)
            handler.close()
    try:
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
        )
    except OSError:  # a read-only or full data folder: the app still runs, and the log goes to stderr
        if not any(type(h) is logging.StreamHandler for h in logger.handlers):
            fallback = logging.StreamHandler()
            fallback.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            logger.addHandler(fallback)
        logger.setLevel(logging.INFO)
        raise
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    logger.addHandler(file_handler)
    logger.setLevel(logging.INFO)
    return path
