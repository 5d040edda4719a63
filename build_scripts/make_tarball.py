"""Add the desktop entry and icon to the built bundle, then pack it as dist/atelier-VERSION-PLATFORM-VARIANT.tar.gz.

    python build_scripts/make_tarball.py [dist/atelier]

VERSION is Atelier's, PLATFORM is e.g. linux-x86_64, VARIANT is `cpu` or `cudaXY` (read from the
bundled torch). Run by `make package` after the smoke test passed; prints the tarball's path and size.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def atelier_version() -> str:
    text = (REPO / "models" / "__init__.py").read_text()
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def torch_variant(bundle: Path) -> str:
    """`cpu`, or `cuda` and the CUDA version, from the torch/version.py the bundle carries."""
    version_files = list(bundle.glob("_internal/torch/version.py")) + list(bundle.glob("torch/version.py"))
    if not version_files:
        raise SystemExit(f"no torch/version.py in {bundle}: is it an Atelier bundle?")
    match = re.search(r"^cuda\s*(?::\s*\S+)?\s*=\s*'([^']+)'", version_files[0].read_text(), re.MULTILINE)
    return f"cuda{match.group(1).replace('.', '')}" if match else "cpu"


def add_desktop_files(bundle: Path) -> None:
    share = bundle / "share"
    share.mkdir(exist_ok=True)
    shutil.copy2(REPO / "build_scripts" / "atelier.desktop", share / "atelier.desktop")
    shutil.copy2(REPO / "resources" / "icons" / "atelier.png", share / "atelier.png")
    shutil.copy2(REPO / "build_scripts" / "install-desktop-entry.sh", bundle / "install-desktop-entry.sh")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, nargs="?", default=REPO / "dist" / "atelier")
    args = parser.parse_args()
    bundle = args.bundle.resolve()
    if not (bundle / "atelier").is_file():
        raise SystemExit(f"{bundle}/atelier does not exist: run make package")
    add_desktop_files(bundle)
    system = platform.system().lower()
    name = f"atelier-{atelier_version()}-{system}-{platform.machine()}-{torch_variant(bundle)}"
    tarball = bundle.parent / f"{name}.tar.gz"
    start = time.perf_counter()
    with tarfile.open(tarball, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=name)  # unpacks to a versioned folder, never over another version
    print(f"{tarball} {tarball.stat().st_size / 2**20:.0f} MiB ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
