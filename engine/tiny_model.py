"""The tiny offline models, saved once and found again: `tiny` (LTX-2's architecture, picture and sound; the
default without a GPU) and `tiny-ltxv` (LTX-Video 0.9.8's, the silent draft tier's code path), each with a
tiny spatial latent upsampler for the two-stage recipe.

Built from code with a fixed seed (engine/tiny_ltx2.py, engine/tiny_ltxv.py; nothing downloaded), saved under
`<data_dir>/models/<name>` and loaded with `from_pretrained` afterwards. Their clips are noise-like; they exist
so the whole path (queue, engine, encode, upload) runs on any machine in seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Final

#: Bump when an architecture or a vocabulary changes: an older saved copy is then rebuilt.
TINY_VERSION: Final = 3
TINY_SEED: Final = 20261125
MARKER: Final = "reelbot_tiny.json"
#: the tiny models by name: (pipeline class, builder module)
TINY_MODELS: Final = {
    "tiny": ("LTX2ConditionPipeline", "engine.tiny_ltx2"),
    "tiny-ltxv": ("LTXConditionPipeline", "engine.tiny_ltxv"),
}
UPSAMPLER_DIR: Final = "latent_upsampler"


def build_tiny_pipeline(name: str = "tiny") -> Any:
    """A fresh tiny pipeline (eval mode, float32). Same weights for the same TINY_SEED."""
    return build_tiny(name)[0]


def build_tiny(name: str = "tiny") -> tuple[Any, Any]:
    """A fresh tiny pipeline and its latent upsampler. Raises KeyError for a name that is not a tiny model."""
    import importlib

    _, module = TINY_MODELS[name]
    return importlib.import_module(module).build_pipeline(TINY_SEED)  # type: ignore[no-any-return]


def tiny_model_dir(data_dir: str | Path, name: str = "tiny") -> Path:
    return Path(data_dir) / "models" / name


def tiny_name(path: str | Path) -> str | None:
    """Which tiny model a folder holds (saved by this version of the code), or None."""
    marker = Path(path) / MARKER
    try:
        info = json.loads(marker.read_text())
    except (OSError, ValueError):
        return None
    name = info.get("name", "tiny-ltxv")  # version-1 folders held the LTX-Video build
    return name if info.get("version") == TINY_VERSION and name in TINY_MODELS else None


def is_tiny_model_dir(path: str | Path) -> bool:
    """True when `path` holds a tiny model saved by this version of the code."""
    return tiny_name(path) is not None


def ensure_tiny_model(data_dir: str | Path, name: str = "tiny") -> Path:
    """Build and save the tiny model `name` under `<data_dir>/models/<name>` unless a current copy is there.

    Returns the folder. The save goes to a temporary sibling first and is renamed into place, so two
    workers starting at once never load a half-written model.
    """
    target = tiny_model_dir(data_dir, name)
    if tiny_name(target) == name:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
    try:
        save_tiny_model(tmp, name)
        tmp.chmod(0o755)  # mkdtemp makes it private; the model folder is as readable as the data dir
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if tiny_name(target) != name:  # lost a race to another worker only if theirs is complete
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def save_tiny_model(path: str | Path, name: str = "tiny") -> Path:
    """Build the tiny model `name` and save it (safetensors) into `path`, its upsampler in
    `latent_upsampler/`. Returns the path."""
    path = Path(path)
    pipe, upsampler = build_tiny(name)
    pipe.save_pretrained(path, safe_serialization=True)
    upsampler.save_pretrained(path / UPSAMPLER_DIR, safe_serialization=True)
    (path / MARKER).write_text(
        json.dumps(
            {"version": TINY_VERSION, "name": name, "seed": TINY_SEED, "built_by": "engine/tiny_model.py"},
            indent=2,
        )
    )
    return path
