"""`reelbot generate`: one job straight through the engine (no bot, no queue), printing the clip as one JSON
line. bot/cli.py mounts `add_arguments` and bot/cli_commands.py calls `main`; `python -m engine.generate`
runs it standalone.

torch and diffusers are imported inside `main` only, so importing this module (as every CLI command does)
stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from engine.presets import PRESETS
from engine.spec import EngineCancelled, EngineInputError, EngineJob
from reel.contract import (
    ACTIONS,
    ASPECTS,
    DEFAULT_ASPECT,
    DEFAULT_RESOLUTION,
    DEFAULT_SECONDS,
    FPS,
    GENERATIVE_ACTIONS,
    OUTPUT_SIZES,
    RESOLUTIONS,
    VARIATIONS,
)

#: the actions `--action` offers: the contract's generative ones, in its order
CLI_ACTIONS = tuple(a for a in ACTIONS if a in GENERATIVE_ACTIONS)


#: Fallback only: which plans get the visible watermark. The billing plan table is the real source; the
#: CLI wiring may replace this through `parser.set_defaults(watermark=...)`.
PLAN_WATERMARK = {"free": True, "plus": True, "pro": False}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `generate` options to `parser` (defaults: model auto, data dir ./data; the caller may
    override them with parser.set_defaults(model=..., data_dir=...) from its settings)."""
    parser.add_argument("prompt", nargs="?", default="", help="what the clip shows")
    parser.add_argument(
        "--action",
        choices=CLI_ACTIONS,
        default=None,
        help="default: inferred (an image animates, two videos blend, --trim/--extend recut, --cards storyboard)",
    )
    parser.add_argument(
        "--image", type=Path, action="append", default=[], metavar="FILE", help="image to animate"
    )
    parser.add_argument(
        "--video", type=Path, nargs="+", action="extend", default=[], metavar="FILE", help="source clip(s)"
    )
    parser.add_argument(
        "--seconds",
        type=int,
        default=DEFAULT_SECONDS,
        help=f"output length in seconds (default {DEFAULT_SECONDS}); a recut with no --trim keeps the first S",
    )
    parser.add_argument("--resolution", choices=RESOLUTIONS, default=DEFAULT_RESOLUTION)
    parser.add_argument("--aspect", choices=ASPECTS, default=DEFAULT_ASPECT)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--plan", choices=tuple(PLAN_WATERMARK), default="free", help="decides the watermark")
    parser.add_argument(
        "--model",
        default=None,
        help=f"auto (default), a preset ({', '.join(PRESETS)}) or a local diffusers model folder",
    )
    parser.add_argument("--data-dir", dest="data_dir", type=Path, default=None, help="default ./data")
    parser.add_argument("--device", default=None, help="cuda, cuda:1, cpu (default: cuda when present)")
    parser.add_argument(
        "--trim", nargs=2, type=float, metavar=("START", "END"), help="recut: keep START..END s"
    )
    parser.add_argument("--extend", action="store_true", help="recut: continue the clip to --seconds")
    parser.add_argument("--loop", action="store_true", help="create/animate: make the clip loop")
    parser.add_argument("--strength", type=float, default=None, help="remix: how far to re-noise (0..1)")
    parser.add_argument(
        "--cards",
        default=None,
        metavar="JSON",
        help='storyboard: \'[{"at": 0, "prompt": "..."}]\' or @file.json',
    )
    parser.add_argument("--variations", type=int, choices=VARIATIONS, default=1)
    parser.add_argument(
        "--no-audio", dest="audio", action="store_false", help="no sound track (where the model makes sound)"
    )
    parser.add_argument("--steps", type=int, default=None, help="denoising steps (default: the model's)")
    parser.add_argument("--negative", default=None, help="negative prompt")
    parser.add_argument("--max-bytes", dest="max_bytes", type=int, default=None, help="cap each file's size")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE", help="output .mp4 (poster: .jpg)")


def main(ns: argparse.Namespace) -> int:
    """Run the job described by `ns`. Prints one JSON line (Clip.to_dict()) on stdout and returns 0;
    returns 2 with a message on stderr for bad input, 1 when the engine fails, 130 when interrupted."""
    try:
        job = job_from_args(ns)
    except EngineInputError as exc:
        return _fail(exc)
    from engine.checks import check_job
    from engine.video_engine import DiffusersEngine

    try:
        check_job(job)  # before loading a model: bad input should not cost a model load
        engine = DiffusersEngine.load(
            ns.model or "auto", data_dir=ns.data_dir or Path("data"), device=ns.device
        )
        clip = engine.run(job, _progress_printer(ns.quiet), lambda: False)
    except EngineInputError as exc:
        return _fail(exc)
    except (EngineCancelled, KeyboardInterrupt):
        print("reelbot generate: interrupted", file=sys.stderr)
        return 130
    except (KeyError, OSError) as exc:
        print(f"reelbot generate: {exc}", file=sys.stderr)
        return 1
    if not ns.quiet:
        print(file=sys.stderr)
    print(json.dumps(clip.to_dict()))
    return 0


def job_from_args(ns: argparse.Namespace) -> EngineJob:
    """The EngineJob the options describe. Raises EngineInputError for contradictory options."""
    out = Path(ns.out)
    if out.suffix.lower() != ".mp4":
        raise EngineInputError("bad_output", "--out must name an .mp4 file")
    action = ns.action or _infer_action(ns)
    width, height = OUTPUT_SIZES[(ns.resolution, ns.aspect)]
    trim_start, trim_end = (ns.trim or (None, None))[:2]
    watermark = getattr(ns, "watermark", None)
    if watermark is None:
        watermark = PLAN_WATERMARK[ns.plan]
    return EngineJob(
        job_id=f"cli-{uuid.uuid4().hex[:10]}",
        action=action,
        prompt=ns.prompt or "",
        width=width,
        height=height,
        seconds=ns.seconds,
        fps=FPS,
        seed=ns.seed,
        variations=ns.variations,
        negative=ns.negative,
        watermark=bool(watermark),
        loop=ns.loop,
        cards=_cards(ns.cards),
        images=list(ns.image),
        videos=list(ns.video),
        trim_start=trim_start,
        trim_end=trim_end,
        extend=ns.extend,
        strength=ns.strength,
        out_dir=out.parent if str(out.parent) else Path("."),
        out_name=out.stem,
        metadata={"reelbot_plan": ns.plan},
        max_bytes=ns.max_bytes,
        steps=ns.steps,
        audio=ns.audio,
    )


def _infer_action(ns: argparse.Namespace) -> str:
    if ns.cards:
        return "storyboard"
    if ns.trim or ns.extend:
        return "recut"
    if len(ns.video) >= 2:
        return "blend"
    if ns.video:
        return "loop" if ns.loop else "remix"
    if ns.image:
        return "animate"
    return "create"


def _cards(value: str | None) -> list[dict[str, Any]]:
    if not value:
        return []
    try:
        text = Path(value[1:]).read_text() if value.startswith("@") else value
        cards = json.loads(text)
    except (OSError, ValueError) as exc:
        raise EngineInputError("bad_cards", f"--cards: {exc}") from None
    if not isinstance(cards, list) or not all(isinstance(c, dict) for c in cards):
        raise EngineInputError("bad_cards", '--cards wants a JSON list like [{"at": 0, "prompt": "..."}]')
    return cards


def _fail(exc: EngineInputError) -> int:
    print(f"reelbot generate: error: {exc.code}" + (f": {exc.detail}" if exc.detail else ""), file=sys.stderr)
    return 2


def _progress_printer(quiet: bool) -> Any:
    started = time.monotonic()

    def show(fraction: float, eta: float | None) -> None:
        if quiet:
            return
        left = f", {eta:.0f} s left" if eta is not None else ""
        elapsed = time.monotonic() - started
        print(f"\r{fraction * 100:5.1f}% ({elapsed:.0f} s{left})   ", end="", file=sys.stderr, flush=True)

    return show


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(
        prog="reelbot generate", description="Render one clip with the engine alone and print it as JSON."
    )
    add_arguments(_parser)
    sys.exit(main(_parser.parse_args()))
