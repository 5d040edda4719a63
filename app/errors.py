"""Turn an exception into a sentence for the user: what happened and what to do next.

The traceback goes to the log file; the user reads only the sentence.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from models.jobs import JobError

DATA_DIR_VARIABLE = "ATELIER_DATA_DIR"


def read_only_sentence(folder: str | os.PathLike, consequence: str = "nothing can be saved there") -> str:
    """A folder Atelier cannot write to: which, what that means, and where to point it instead."""
    return (
        f"The folder {folder} is read-only, so {consequence}. Point {DATA_DIR_VARIABLE} at a folder you can "
        "write to (or choose another data folder in Preferences) and try again."
    )


def disk_full_sentence(kept: str = "nothing was lost") -> str:
    """The disk is full: say so, and what was kept (e.g. "the old file is unchanged")."""
    return f"The disk is full: {kept}. Free some space and try again."


def cannot_write_to(folder: Path, consequence: str) -> str:
    """ "" when a file can be written in `folder` (made if missing), else a sentence saying why not and what then.

    Long jobs ask before they start, so that a read-only or full disk is said at once, not after an hour."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        if error.errno == errno.ENOSPC:
            return disk_full_sentence(f"{consequence}, so nothing was started")
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return read_only_sentence(folder, consequence)
        return f"Atelier cannot write in {folder} ({error.strerror or error}), so {consequence}."
    return ""


def not_written(path: Path, error: OSError, option: str = "-o") -> str:
    """A file could not be written (atomically): why, and that nothing half-made was left in its place."""
    kept = f"{path} was not written" + (" (the file already there is unchanged)" if path.exists() else "")
    if error.errno == errno.ENOSPC:
        return disk_full_sentence(kept)
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"Atelier may not write in {path.parent} (read-only, or not yours): {kept}. Choose another place with {option}."
    return f"{kept} ({error.strerror or error}). Check the disk and try again."


# Failures that come from the user's files and disk, not from Atelier: the sentence says all there is to say.
_EXPECTED_ERRNOS = (errno.ENOENT, errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM)


def expected(error: BaseException) -> bool:
    """Whether `error` is one a user's files or disk cause (a corrupt image, an odd MIDI file, a missing file, a
    full disk): logged as its sentence on one line. Anything else is Atelier's own fault: logged with its traceback."""
    return isinstance(error, JobError) or (isinstance(error, OSError) and error.errno in _EXPECTED_ERRNOS)


def user_message(error: BaseException) -> str:
    if isinstance(error, JobError):  # checkpoint and store errors too: already a sentence
        return str(error)
    if isinstance(error, MemoryError):
        return "The computer ran out of memory. Try a smaller size, or close other programs and try again."
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return disk_full_sentence()
        if error.errno == errno.EROFS:
            folder = Path(error.filename).parent if error.filename else "that place"
            return read_only_sentence(folder)
        if error.errno in (errno.EACCES, errno.EPERM):
            return f"Atelier may not write to {error.filename or 'that place'}. Choose another folder."
        if error.errno == errno.ENOENT:
            return f"{error.filename or 'A file'} does not exist any more. Choose another file."
        return f"A file could not be read or written ({error.strerror or error}). Check the disk and try again."
    # The exception's name means nothing to a user; its message may, and the log has the rest.
    detail = f" ({error})" if str(error) else ""
    return f"Something went wrong{detail}. The details are in the log file (Help ▸ Open log folder)."
