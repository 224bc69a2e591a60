"""What every benchmark script shares: the machine description and writing results."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path


def machine() -> dict:
    """Python version, CPU count and today's date, stored with every result."""
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d")}


def write_results(path: Path, result: dict) -> None:
    """Write ``result`` as indented JSON to ``path`` and print it."""
    text = json.dumps(result, indent=2, ensure_ascii=False)
    path.parent.mkdir(exist_ok=True)
    path.write_text(text + "\n", "utf-8")
    print(text)
