"""Turn an exception into a sentence for the user: what happened and what to do next.

The traceback goes to the log file; the user reads only the sentence.
"""

from __future__ import annotations

import errno

from models.jobs import JobError


def user_message(error: BaseException) -> str:
    if isinstance(error, JobError):  # checkpoint and store errors too: already a sentence
        return str(error)
    if isinstance(error, MemoryError):
        return "The computer ran out of memory. Try a smaller size, or close other programs and try again."
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return "The disk is full. Free some space and try again; nothing was lost."
        if error.errno in (errno.EACCES, errno.EPERM):
            return f"Atelier may not write to {error.filename or 'that place'}. Choose another folder."
        if error.errno == errno.ENOENT:
            return f"{error.filename or 'A file'} does not exist any more. Choose another file."
        return f"A file could not be read or written ({error.strerror or error}). Check the disk and try again."
    # The exception's name means nothing to a user; its message may, and the log has the rest.
    detail = f" ({error})" if str(error) else ""
    return f"Something went wrong{detail}. The details are in the log file (Help ▸ Open Log Folder)."
