"""Leaving PortAudio alone when the JACK server it joined has gone: at exit, and a JACK stream on stop.

`import sounddevice` starts PortAudio, and PortAudio's JACK host joins a running JACK server as a client (so JACK
outputs can be chosen). If the user stops that server while Atelier runs, sounddevice's exit handler ends PortAudio,
PortAudio's JACK host fails to close its client and asserts (`pa_jack.c:820`): the app aborts on quitting (exit 134).
At exit, before sounddevice's own handler (atexit runs handlers last-registered first), this asks JACK whether
PortAudio's client is still there; when it is not, sounddevice's handler is dropped. Nothing is lost: the process is
ending and the system takes back what PortAudio held. A stream playing on JACK when the server went cannot be
aborted either (Pa_AbortStream waits forever for JACK's process thread): `portaudio_jack_gone` tells the player so.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
from collections.abc import Callable

from app.log import logger

JACK_NO_START_SERVER = 0x01  # JackOptions: never start a server just to look
JACK_HOST_API = "JACK Audio Connection Kit"  # PortAudio's name for it
_joined_as: str | None = None  # PortAudio's JACK client name, set once sounddevice is imported


def guard_portaudio_exit() -> None:
    """Call once, after `import sounddevice` succeeded."""
    global _joined_as
    _joined_as = portaudio_jack_client_name()
    if _joined_as is not None:  # PortAudio joined a JACK server
        atexit.register(skip_portaudio_exit_if_gone, _joined_as, jack_client_present)


def portaudio_jack_gone() -> bool:
    """Whether PortAudio joined a JACK server at its start and its client is no longer in a running one."""
    return _joined_as is not None and not jack_client_present(_joined_as)


def portaudio_jack_client_name() -> str | None:
    """The name PortAudio's JACK host has in the JACK server; None when it joined none."""
    import sounddevice

    # Asked first: without a JACK host, PaJack_GetClientName prints an error on stderr at every start.
    if not any(host_api["name"] == JACK_HOST_API for host_api in sounddevice.query_hostapis()):
        return None
    path = ctypes.util.find_library("portaudio")  # the library sounddevice loaded (the same search)
    if path is None:
        return None
    get_client_name = getattr(ctypes.CDLL(path), "PaJack_GetClientName", None)  # absent: built without JACK
    name = ctypes.c_char_p()
    if get_client_name is None or get_client_name(ctypes.byref(name)) != 0 or not name.value:  # joined no server
        return None
    return name.value.decode()


def jack_client_present(client_name: str) -> bool:
    """Whether a JACK server is running with a client of this name (a restarted server has lost it)."""
    path = ctypes.util.find_library("jack")
    if path is None:
        return False
    jack = ctypes.CDLL(path)
    jack.jack_client_open.restype = ctypes.c_void_p
    jack.jack_client_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    jack.jack_get_uuid_for_client_name.restype = ctypes.c_void_p
    jack.jack_get_uuid_for_client_name.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    jack.jack_free.argtypes = [ctypes.c_void_p]
    jack.jack_client_close.argtypes = [ctypes.c_void_p]
    status = ctypes.c_int()
    probe = jack.jack_client_open(b"atelier-exit-check", JACK_NO_START_SERVER, ctypes.byref(status))
    if not probe:
        return False
    uuid = jack.jack_get_uuid_for_client_name(probe, client_name.encode())
    if uuid:
        jack.jack_free(uuid)
    jack.jack_client_close(probe)
    return bool(uuid)


def skip_portaudio_exit_if_gone(client_name: str, present: Callable[[str], bool]) -> None:
    if present(client_name):
        return
    import sounddevice

    logger.info("the JACK server PortAudio joined has gone: PortAudio is left to the system at exit")
    atexit.unregister(sounddevice._exit_handler)  # its Pa_Terminate would abort in PortAudio's JACK host
