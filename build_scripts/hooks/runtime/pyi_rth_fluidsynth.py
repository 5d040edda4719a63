"""Runtime hook: make `ctypes.util.find_library("fluidsynth")` return the libfluidsynth inside the bundle.

pyfluidsynth (and Atelier's own check for FluidSynth) locate the library with find_library, which
only searches the system (ldconfig), never the bundle. The spec copies libfluidsynth.so.* into the
bundle's top folder; when it is there, every fluidsynth-like name resolves to it. When it is not
(a build machine without libfluidsynth3), the system's library is used if any, and otherwise the
app plays melodies with its built-in synthesizer and says so.
"""


def _install() -> None:
    import ctypes.util
    import glob
    import os
    import sys

    bundled = sorted(glob.glob(os.path.join(sys._MEIPASS, "libfluidsynth.so*")))
    if not bundled:
        return
    system_find_library = ctypes.util.find_library

    def find_library(name: str):
        if "fluidsynth" in name:
            return bundled[0]
        return system_find_library(name)

    ctypes.util.find_library = find_library


_install()
del _install
