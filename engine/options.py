"""The engine's load options (what `DiffusersEngine.load` takes), the operator's `REELBOT_ENGINE_*` settings that
map onto them, and which combinations work: an impossible one is refused at start with a message that says
what to change, never found out by the first member's job.

Plain data and checks (no torch import); bot/settings.py reads the environment and calls `engine_options`.
"""

from __future__ import annotations

from typing import Any, Final

#: the options `DiffusersEngine.load` takes, and what each does
LOAD_OPTIONS: Final = frozenset(
    {
        "offload",  # "none" | "model" | "sequential" | "group"
        "fp8",  # fp8 (e4m3) layerwise weight casting of the transformer
        "compile",  # torch.compile the transformer's repeated blocks
        "first_block_cache",  # True (preset threshold) or a float threshold
        "vae_tiling",  # None = on for CUDA
        "dtype",  # override the preset's dtype
        "max_batch",  # variations per batch
        "steps",  # default denoising steps
        "encoder_preset",  # x264 preset
        "tune_allocator",  # glibc malloc tuning for large CPU tensors (CPU only)
    }
)
OFFLOAD_MODES: Final = ("none", "model", "sequential", "group")

#: the operator's settings (environment or .env) and the load option each sets
ENGINE_SETTINGS: Final = {
    "REELBOT_ENGINE_OFFLOAD": "offload: none | model | sequential | group (empty: what `auto` picks, else none)",
    "REELBOT_ENGINE_FP8": "fp8: true | false (empty: what `auto` picks, else false)",
    "REELBOT_ENGINE_COMPILE": "compile: true | false (default false; not with fp8, caching or per-layer offload)",
    "REELBOT_ENGINE_CACHE": "first_block_cache: off | on | a threshold such as 0.05 (default off)",
}

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def check_options(options: dict[str, Any]) -> None:
    """Returns None; raises TypeError naming any option `DiffusersEngine.load` does not know."""
    unknown = set(options) - LOAD_OPTIONS
    if unknown:
        raise TypeError(f"unknown engine options: {', '.join(sorted(unknown))}")


def check_compatible(options: dict[str, Any]) -> None:
    """Refuse options that cannot work together. Returns None; raises ValueError saying which settings
    clash and what to change.

    torch.compile compiles each transformer block as one graph (fullgraph): FirstBlockCache decides per step
    whether to run the blocks at all, fp8 layerwise casting re-casts weights in hooks around every layer,
    and per-layer offload ("sequential", "group") moves weights in such hooks; each breaks that graph at the
    first job. Whole-model offload ("model") moves the model between uses and works with compile."""
    offload = options.get("offload") or "none"
    if offload not in OFFLOAD_MODES:
        raise ValueError(f"REELBOT_ENGINE_OFFLOAD={offload!r}: use one of {', '.join(OFFLOAD_MODES)}")
    if not options.get("compile"):
        return
    clashes = []
    if options.get("first_block_cache"):
        clashes.append("REELBOT_ENGINE_CACHE (FirstBlockCache)")
    if options.get("fp8"):
        clashes.append("REELBOT_ENGINE_FP8 (fp8 layerwise casting)")
    if offload in ("sequential", "group"):
        clashes.append(f"REELBOT_ENGINE_OFFLOAD={offload}")
    if clashes:
        raise ValueError(
            "REELBOT_ENGINE_COMPILE=true cannot be combined with "
            + " or ".join(clashes)
            + ": torch.compile(fullgraph) breaks on their per-layer hooks. Turn compile off, or turn those off "
            "(offload=model works with compile)."
        )


def engine_options(
    offload: str | None = None,
    fp8: str | bool | None = None,
    compile: str | bool | None = None,
    cache: str | float | bool | None = None,
) -> dict[str, Any]:
    """The `DiffusersEngine.load` options the `REELBOT_ENGINE_*` settings ask for (values as read from the
    environment, or already typed). An empty or None value is left out, so `auto` may fill it in.
    Raises ValueError for a value it cannot read or a combination that cannot work."""
    out: dict[str, Any] = {}
    if offload not in (None, ""):
        out["offload"] = str(offload).strip().lower()
    if fp8 not in (None, ""):
        out["fp8"] = _flag("REELBOT_ENGINE_FP8", fp8)
    if compile not in (None, ""):
        out["compile"] = _flag("REELBOT_ENGINE_COMPILE", compile)
    if cache not in (None, ""):
        out["first_block_cache"] = _cache(cache)
    check_compatible(out)
    return out


def _flag(name: str, value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{name}={value!r}: use true or false")


def _cache(value: str | float | bool) -> bool | float:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        threshold = float(value)
    else:
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        try:
            threshold = float(text)
        except ValueError:
            raise ValueError(
                f"REELBOT_ENGINE_CACHE={value!r}: use off, on or a threshold like 0.05"
            ) from None
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"REELBOT_ENGINE_CACHE={value!r}: a threshold is between 0 and 1")
    return threshold
