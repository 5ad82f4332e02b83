"""Build the tiny offline models (random weights, fixed seed) into a data dir: `tiny` (LTX-2's architecture,
picture and sound) and `tiny-ltxv` (LTX-Video 0.9.8's, the draft tier).

    .venv/bin/python scripts/build_tiny_model.py [--name tiny|tiny-ltxv|all] [--data-dir DIR] [--out DIR] [--force]

The engine does this by itself on first use of a tiny preset; this script is for preparing a data dir ahead
of time (images, CI caches) or for rebuilding after a tiny model's version changes. Nothing is downloaded.
Prints each folder, its size and its build time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.tiny_model import TINY_MODELS, ensure_tiny_model, save_tiny_model, tiny_model_dir  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--name", choices=(*TINY_MODELS, "all"), default="tiny", help="which tiny model")
    parser.add_argument("--data-dir", type=Path, default=Path("data"), help="builds into DIR/models/NAME")
    parser.add_argument("--out", type=Path, default=None, help="build into this folder instead (one model)")
    parser.add_argument("--force", action="store_true", help="rebuild even if a current copy exists")
    ns = parser.parse_args()
    names = list(TINY_MODELS) if ns.name == "all" else [ns.name]
    if ns.out is not None and len(names) > 1:
        print("--out takes one model: pass --name", file=sys.stderr)
        return 1
    for name in names:
        started = time.monotonic()
        if ns.out is not None:
            if ns.out.exists() and any(ns.out.iterdir()):
                if not ns.force:
                    print(f"{ns.out} is not empty (use --force to replace it)", file=sys.stderr)
                    return 1
                shutil.rmtree(ns.out)
            folder = save_tiny_model(ns.out, name)
        else:
            if ns.force:
                shutil.rmtree(tiny_model_dir(ns.data_dir, name), ignore_errors=True)
            folder = ensure_tiny_model(ns.data_dir, name)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(f"{name}: {folder}  {size / 1024:.0f} KiB  ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
