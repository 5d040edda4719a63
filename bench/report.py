"""How every benchmark hands in its result: indented JSON on stdout, and in a file when asked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def publish(result: dict[str, Any], out: Path | None, echo: bool = True) -> None:
    text = json.dumps(result, indent=2)
    if echo:
        print(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
