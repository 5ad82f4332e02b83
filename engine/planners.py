"""One planner per action: which passes a job needs, and how their footage joins the source's into each
variation's timeline. `PLANNERS` maps every generative action to its planner (the engine's dispatch table).

How each action uses the model (LTX-2's and LTX-Video's condition pipelines; other families do a subset), and
what becomes of the sound (on a model that makes sound, and unless the job asks for silence):
- create: text to video with its own sound (long clips: see "Past one pass" below). `loop` renders the
  clip, then closes the seam with the loop bridge (below).
- animate: the image is a condition on frame 0; `loop` closes the seam with the loop bridge.
- remix: the clip's frames are VAE-encoded, re-noised to sigma = `strength` and denoised under the new prompt
  (1 - strength of the source is kept); the source's own sound is kept (none if it had none).
- blend: A's last frames condition the start, B's first frames the end; the model makes the transition and
  its sound; A's and B's own sound play under their frames.
- recut: a trim is cut from the source (picture and sound) without the model; with no trim it keeps the
  first `seconds`; `extend` keeps the whole clip and appends frames (and sound) conditioned on its last
  frames.
- loop: the clip's opening is kept and its ending replaced by a bridge conditioned on the frames before the
  cut (start) and the clip's first frames (end), so the last frame flows into the first; the sound is the
  opening's own, then the bridge's, crossfaded into the opening's start so it loops too.
- storyboard: on a model that reads timed prompts (LTX-2) and a clip that fits one pass, ONE pass whose prompt
  tells each card at its time (engine/conditioning.py), so cards follow one another in latent space with one
  sound track and nothing drifts; otherwise one segment per card, rendered as below.
Past one pass, or several cards on a model without timed prompts (engine/passes.py Passes.generate):
- LTX-Video (the draft tier): ONE latent sequence in sliding windows (LTXI2VLongMultiPromptPipeline over the
  renderer's own weights, engine/windows.py): each window is denoised under its card's prompt, conditioned on
  the last latent frames of the window before and cross-faded into them, its statistics pulled toward the
  first window's, an animate image on frame 0; nothing is decoded until the end, so colour and detail do not
  drift. A card starts within about one window of its time (windows are uniform: no longer than the
  shortest card plus the overlap).
- LTX-2: no chaining happens within the contract: one pass holds 20 s (481 frames, MAX_SECONDS is 20), so
  long clips and storyboards are one pass. diffusers 0.42.1 gives it no latent continuation to fall back on:
  LTX2VideoCondition holds pixel `frames` only (pipeline_ltx2_condition.py:145), every condition, keyframes
  at latent indexes included, is VAE-encoded from pixels (:1149), and given `latents` are all noised alike to
  `noise_scale` (:1233); it has no long or multi-prompt pipeline (LTX2DFRPipeline is LTX-2.5's fidelity
  pass). A model with a shorter pass chains in pixel space as below.
- pixel space, where a model has no latent path (Wan, LTX-2 past its pass), and for `extend` on every model
  (the long pipeline cannot start from a clip's frames): a chain of passes, each conditioned on the last
  frames before it (the first on the uploaded clip's own, later ones on decoded frames).
Every join of generated frames onto real frames is eased by their difference (engine/frames.py) so no cut
shows even where the model only approximates its conditions. Planners render through engine/passes.py and
write no files.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import numpy as np

from engine import frames as fr
from engine.conditioning import storyboard_prompt
from engine.decoder import VideoInfo, load_image, probe_video
from engine.fitting import fit_frame
from engine.footage import Footage, join
from engine.passes import Passes, Segment, Work, context_length
from engine.renderers import Condition
from engine.spec import EngineInputError
from engine.timeline import Span, Timeline

DEFAULT_REMIX_STRENGTH: Final = 0.6

#: plans one job: (passes of the loaded model, the job in flight) -> one timeline per variation
Planner = Callable[[Passes, Work], list[Timeline]]


def plan_create(ps: Passes, w: Work) -> list[Timeline]:
    """Text to video; `loop` closes the seam with a bridge."""
    job = w.job
    n = ps.preset.native_frames(job.seconds)
    clips = ps.generate(w, [Segment(job.prompt, n)])
    if job.loop:
        return _close_loops(ps, w, clips)
    return [Timeline([ps.to_output_fps(c, w)]) for c in clips]


def plan_animate(ps: Passes, w: Work) -> list[Timeline]:
    """The image on frame 0; `loop` closes the seam with a bridge."""
    job = w.job
    image = _image(job.images[0], w)
    n = ps.preset.native_frames(job.seconds)
    clips = ps.generate(w, [Segment(job.prompt, n, first=image)])
    if job.loop:
        return _close_loops(ps, w, clips)
    return [Timeline([ps.to_output_fps(c, w)]) for c in clips]


def plan_remix(ps: Passes, w: Work) -> list[Timeline]:
    """The source re-noised by `strength` and denoised under the new prompt, one seed per pass; the source's
    sound is kept."""
    job, p = w.job, ps.preset
    n = p.native_frames(job.seconds)
    frames = p.valid_frames(n)
    if frames > p.max_frames:
        raise EngineInputError("too_long_for_model", f"remix renders at most {p.max_frames} frames")
    source = ps.read_source(job.videos[0], w, seconds=frames / p.fps)
    render = ps.make(w, job.prompt, frames, [])
    render.init_frames = fr.pad_to(source.frames, frames)
    render.strength = job.strength if job.strength is not None else DEFAULT_REMIX_STRENGTH
    render.two_stage = False  # the source is the structure: one stage at the render size
    render.audio = False
    w.progress.plan(ps.renderer.steps_run(render) * len(w.seeds))
    out = []
    for seed in w.seeds:
        new = ps.render(w, render, [seed])[0].cut(0, n)
        sound = source.audio[:, : new.sample(n)] if source.audio is not None else None
        out.append(Timeline([ps.to_output_fps(Footage(new.frames, new.fps, sound), w)]))
    return out


def plan_blend(ps: Passes, w: Work) -> list[Timeline]:
    """A's tail, a rendered transition, B's head (each with its own sound)."""
    job, p, r = w.job, ps.preset, ps.renderer
    n = p.native_frames(job.seconds)
    a_info = probe_video(job.videos[0])
    a = ps.read_source(job.videos[0], w, start=max(0.0, a_info.seconds - 2.0))
    b = ps.read_source(job.videos[1], w, seconds=2.0)
    frames = p.valid_frames(n)
    c = context_length(min(len(a), len(b), (frames - 1) // 2), r.context_frames, p.frame_step)
    while r.keyframe_index(frames - c) - c < n - 2 * c + 1:  # room for the whole transition
        frames += p.frame_step
    if frames > p.max_frames:
        raise EngineInputError("too_long_for_model", f"blend renders at most {p.max_frames} frames")
    head, tail = a.cut(len(a) - c), b.cut(0, c)
    end = r.keyframe_index(frames - c)
    render = ps.make(w, job.prompt, frames, [Condition(head.frames, 0), Condition(tail.frames, end)])
    w.progress.plan(ps.batched_steps(render, len(w.seeds)))
    # the output is A's c frames, the transition, and B's first c - 1 frames (as LTX-Video lays it out with
    # the tail at the render's end); where conditions start on latent frames the rendered transition is a
    # frame or so longer, and is retimed to fit
    between = n - 2 * c + 1
    out = []
    for g in ps.render_batched(w, render):
        ease = min(8, max(1, (end - c) // 3))
        middle = fr.ease_seam(g.frames[c:end], head.frames[-1], g.frames[c - 1], ease)
        middle = fr.ease_into(middle, tail.frames[0], g.frames[end], ease)
        if len(middle) != between:
            middle = fr.interpolate(middle, len(middle), between, between)
        transition = Footage(middle, g.fps, g.cut(c, end).audio).at_fps(g.fps, between)
        clip = join([head, transition, tail.cut(0, c - 1)])
        out.append(Timeline([ps.to_output_fps(clip, w)]))
    return out


def plan_recut(ps: Passes, w: Work) -> list[Timeline]:
    """A frame-exact cut of the source (no model), or an extension when `extend` is set.

    The range is trim_start..trim_end; a missing end keeps `seconds` from the start (the CLI contract:
    `--seconds S` and no trim keeps the first S seconds), never past the clip's end.
    Raises EngineInputError("bad_trim") for a range outside the clip or shorter than a frame.
    """
    job = w.job
    source = job.videos[0]
    info = probe_video(source)
    if job.extend:
        return _extend(ps, w, source, info)
    start = job.trim_start or 0.0
    end = job.trim_end if job.trim_end is not None else min(start + job.seconds, info.seconds)
    if not (0.0 <= start < end <= info.seconds + 0.5 / job.fps):
        raise EngineInputError("bad_trim", f"{start:g}..{end:g} s outside 0..{info.seconds:.2f} s")
    count = round((end - start) * job.fps)
    if count < 1:
        raise EngineInputError("bad_trim", "range shorter than one frame")
    w.output_frames = count
    w.progress.plan(0)
    return [Timeline([Span(Path(source), start, end)]) for _ in w.seeds[:1]]


def _extend(ps: Passes, w: Work, source: Path, info: VideoInfo) -> list[Timeline]:
    """The whole clip, then new frames (and sound) conditioned on its last ones, up to `seconds`."""
    job, p = w.job, ps.preset
    if not p.supports("extend"):
        raise EngineInputError("unsupported_action", f"{p.name} cannot extend clips")
    kept = round(info.seconds * job.fps)
    new_out = job.seconds * job.fps - kept
    if new_out <= 0:
        raise EngineInputError("bad_extend", f"the clip is already {info.seconds:.1f} s of {job.seconds} s")
    tail_s = (ps.renderer.context_frames + 2) / p.fps
    context = ps.read_source(source, w, start=max(0.0, info.seconds - tail_s))
    context = context.cut(
        len(context) - context_length(len(context), ps.renderer.context_frames, p.frame_step)
    )
    new_native = math.ceil(new_out / job.fps * p.fps - 1e-9)
    clips = ps.generate(w, [Segment(job.prompt, new_native)], context=context)
    span = Span(Path(source), 0.0, None)
    return [Timeline([span, c.at_fps(job.fps, new_out)]) for c in clips]


def plan_loop(ps: Passes, w: Work) -> list[Timeline]:
    """The clip's opening, then a bridge that runs on into its first frame."""
    job, p = w.job, ps.preset
    if not ps.renderer.end_conditions:
        raise EngineInputError("unsupported_action", f"{p.name} cannot condition the end of a clip")
    source = ps.read_source(job.videos[0], w, seconds=job.seconds)
    return _bridge(ps, w, source, w.seeds, Path(job.videos[0]))


def _close_loops(ps: Passes, w: Work, clips: list[Footage]) -> list[Timeline]:
    """Each rendered clip made into a loop by the bridge (one bridge pass per variation: its conditions are
    that variation's own frames)."""
    if not ps.renderer.end_conditions:  # a family that cannot condition an end: cross-fade the seam
        return [Timeline([ps.to_output_fps(c.with_frames(fr.close_loop(c.frames, _loop_fade(len(c), c.fps))), w)],
                         loop_audio=True) for c in clips]  # fmt: skip
    out: list[Timeline] = []
    for clip, seed in zip(clips, w.seeds, strict=True):
        out.extend(_bridge(ps, w, clip, [seed + 1_000_003], None))
    return out


def _bridge(ps: Passes, w: Work, source: Footage, seeds: list[int], path: Path | None) -> list[Timeline]:
    """`source`'s opening up to a cut, then a bridge rendered between the frames before the cut and the
    opening's first frames, so the clip's last frame flows into its first. `path` given: the opening is cut
    from that file (exact, no re-encode); else it is `source` itself."""
    job, p, r = w.job, ps.preset, ps.renderer
    n = p.native_frames(job.seconds)
    c = context_length(len(source) // 2, r.context_frames, p.frame_step)
    # the render is [c frames before the cut][bridge][the opening's first c frames]: the bridge must end
    # exactly where the opening's condition starts, so its last frame is followed by the opening's first
    needed = max(p.fps // 2, n // 4, n - len(source))  # half a second, a quarter of the clip, or more
    frames = p.valid_frames(2 * c + needed)
    while r.keyframe_index(frames - c) - c < needed:
        frames += p.frame_step
    end = r.keyframe_index(frames - c)
    bridge = end - c
    keep = n - bridge
    if keep < c:
        raise EngineInputError("bad_loop", "the clip is too short to loop at this length")
    if frames > p.max_frames:
        raise EngineInputError("too_long_for_model", f"loop bridge needs {frames} frames")
    before, opening = source.cut(keep - c, keep), source.cut(0, c)
    render = ps.make(w, job.prompt, frames, [Condition(before.frames, 0), Condition(opening.frames, end)])
    w.progress.plan(ps.batched_steps(render, len(seeds)))
    keep_out = round(keep * job.fps / p.fps)
    total_out = job.seconds * job.fps
    kept: Footage | Span = ps.to_output_fps(source.cut(0, keep), w) if path is None else \
        Span(path, 0.0, keep_out / job.fps)  # fmt: skip
    out = []
    for g in ps.render_batched(w, render, seeds):
        ease = min(8, max(1, bridge // 3))
        new = fr.ease_seam(g.frames[c : c + bridge], before.frames[-1], g.frames[c - 1], ease)
        # the frame after the bridge is the opening's first: ease toward it by the model's own miss of it
        new = fr.ease_into(new, opening.frames[0], g.frames[c + bridge], ease)
        tail = g.cut(c + bridge, end + c)  # the model's sound under its version of the opening, for the seam
        piece = g.cut(c, c + bridge).with_frames(new).at_fps(job.fps, total_out - keep_out)
        out.append(Timeline([kept, piece], loop_audio=True, tail_audio=tail.audio))
    return out


def plan_storyboard(ps: Passes, w: Work) -> list[Timeline]:
    """The cards in one pass under a timed prompt where the model reads one, else one segment per card (the
    job's prompt fills any time before the first card)."""
    job, p = w.job, ps.preset
    total = p.native_frames(job.seconds)
    marks = card_marks(job.cards, job.prompt, p.fps, total)
    if ps.renderer.timed_prompts and p.valid_frames(total) <= p.max_frames:
        segments = [Segment(storyboard_prompt(marks, total, p.fps), total)]
    else:
        segments = [
            Segment(prompt, (marks[i + 1][0] if i + 1 < len(marks) else total) - at)
            for i, (at, prompt) in enumerate(marks)
        ]
    if job.images:
        segments[0].first = _image(job.images[0], w)
    clips = ps.generate(w, segments)
    return [Timeline([ps.to_output_fps(c, w)]) for c in clips]


def card_marks(cards: list[dict[str, Any]], prompt: str, fps: int, total: int) -> list[tuple[int, str]]:
    """(first native frame, prompt) of each card in time order: a card at `at` seconds starts on frame
    round(at * fps) (at most the last frame); `prompt` fills the time before the first card and stands in for
    a card without one; of two cards on one frame the later wins."""
    ordered = sorted(cards, key=lambda card: float(card["at"]))
    marks: list[tuple[int, str]] = []
    if not ordered or round(float(ordered[0]["at"]) * fps) > 0:
        marks.append((0, prompt))
    for card in ordered:
        at = min(total - 1, round(float(card["at"]) * fps))
        text = str(card.get("prompt") or prompt)
        if marks and marks[-1][0] == at:
            marks[-1] = (at, text)
        else:
            marks.append((at, text))
    return marks


#: the engine's dispatch table: every generative action of reel/contract.py, and nothing else
PLANNERS: Final[Mapping[str, Planner]] = MappingProxyType(
    {
        "create": plan_create,
        "animate": plan_animate,
        "remix": plan_remix,
        "blend": plan_blend,
        "recut": plan_recut,
        "loop": plan_loop,
        "storyboard": plan_storyboard,
    }
)


def _image(path: Path, w: Work) -> np.ndarray:
    """An uploaded image as a one-frame condition at render size."""
    return fit_frame(load_image(path), w.width, w.height)[None]


def _loop_fade(frames: int, fps: float) -> int:
    return max(1, min(frames // 4, int(fps) // 2))
