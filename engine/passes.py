"""The denoising passes of one job: building a RenderPass, batching variations, long clips and several prompts
as one latent sequence in sliding windows where the renderer has them (else chained passes), and reading
source clips (picture and sound) at render size and the model's frame rate.

The planners (engine/planners.py) decide which passes an action needs; this module runs them through the
renderer, with progress and cancel at every step. It writes no files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from engine import audio as au
from engine import frames as fr
from engine.decoder import read_audio, read_video
from engine.footage import Footage, join
from engine.presets import Preset
from engine.progress import Progress
from engine.renderers import Condition, Renderer, RenderPass
from engine.spec import EngineInputError, EngineJob
from engine.windows import plan_windows

#: seed offset between chained passes: variations use seed + i, so their passes must not collide
PASS_SEED_STRIDE: Final = 7919


@dataclass
class Segment:
    """A stretch of new frames to render under one prompt."""

    prompt: str
    frames: int  # new frames (native fps)
    first: np.ndarray | None = None  # image condition on the segment's first frame


@dataclass
class Work:
    """One job in flight: its seeds (one per variation), render size, steps and progress."""

    job: EngineJob
    seeds: list[int]
    width: int  # render size
    height: int
    steps: int
    progress: Progress
    output_frames: int | None = None  # set when the output length is not job.seconds (a trim)
    two_stage: bool = False  # render in two stages (set from the output size)


def context_length(available: int, wanted: int, step: int) -> int:
    """Largest k * step + 1 <= min(available, wanted) (at least 1): a frame count the model can take as a
    condition."""
    n = max(1, min(available, wanted))
    return (n - 1) // step * step + 1


class Passes:
    """Runs passes for one job on one model: `preset` plans the frame counts, `renderer` renders."""

    def __init__(self, renderer: Renderer, preset: Preset, max_batch: int) -> None:
        self.renderer = renderer
        self.preset = preset
        self.max_batch = max_batch

    def generate(self, w: Work, segments: list[Segment], context: Footage | None = None) -> list[Footage]:
        """New footage (native fps, render size) for each seed, following `context` if given.

        One segment that fits one pass and follows nothing renders all variations in batches. Following
        nothing, anything longer (or several segments) is one latent sequence in sliding windows, a segment's
        prompt on its windows, where the renderer has them; otherwise, and after `context`, a chain of passes,
        each conditioned on the last frames rendered (decoded) before it.
        Raises EngineInputError("too_long_for_model") when the model cannot chain.
        """
        p = self.preset
        if context is None and len(segments) == 1 and p.valid_frames(segments[0].frames) <= p.max_frames:
            seg = segments[0]
            conditions = [Condition(seg.first, 0)] if seg.first is not None else []
            render = self.make(w, seg.prompt, p.valid_frames(seg.frames), conditions)
            w.progress.plan(self.batched_steps(render, len(w.seeds)))
            return [c.cut(0, seg.frames) for c in self.render_batched(w, render)]
        if context is None and self.renderer.sliding_windows:
            return self.windowed(w, segments)
        if not p.supports("extend") and (context is not None or len(segments) > 1):
            raise EngineInputError("too_long_for_model", f"{p.name} renders at most {p.max_frames} frames")
        plan = self.chain_plan(segments, context is not None)
        w.progress.plan(
            sum(self.renderer.steps_run(self.make(w, s.prompt, 1, [])) for s in plan) * len(w.seeds)
        )
        return [self.chain(w, plan, context, seed) for seed in w.seeds]

    def windowed(self, w: Work, segments: list[Segment]) -> list[Footage]:
        """`segments` one after another as one latent sequence (no decoded frame is encoded again), each
        segment's prompt on the windows over its frames; one call per variation."""
        p = self.preset
        marks, at = [], 0
        for seg in segments:
            marks.append((at, seg.prompt))
            at += seg.frames
        windows = plan_windows(marks, at, p.max_frames, p.frame_step)
        first = segments[0].first
        conditions = [Condition(first, 0)] if first is not None else []
        render = self.make(w, segments[0].prompt, windows.frames, conditions)
        render.windows = windows
        w.progress.plan(self.batched_steps(render, len(w.seeds)))
        return [c.cut(0, at) for c in self.render_batched(w, render)]

    def chain_plan(self, segments: list[Segment], has_context: bool) -> list[Segment]:
        """Split segments so every pass fits max_frames (context frames included)."""
        p, c = self.preset, self.renderer.context_frames
        room = (p.max_frames - 1) // p.frame_step * p.frame_step + 1 - c  # new frames after c of context
        plan: list[Segment] = []
        for seg in segments:
            left = seg.frames
            while left > 0:
                follows = has_context or bool(plan)
                take = min(left, room if follows else room + c)
                plan.append(Segment(seg.prompt, take, first=None if follows else seg.first))
                left -= take
        return plan

    def chain(self, w: Work, plan: list[Segment], context: Footage | None, seed: int) -> Footage:
        """Render `plan` pass after pass for one seed; each pass is conditioned on the frames before it."""
        p, c_max = self.preset, self.renderer.context_frames
        out: list[Footage] = []
        for k, seg in enumerate(plan):
            pass_seed = seed + PASS_SEED_STRIDE * k
            if context is None:
                conditions = [Condition(seg.first, 0)] if seg.first is not None else []
                render = self.make(w, seg.prompt, p.valid_frames(seg.frames), conditions)
                new = self.render(w, render, [pass_seed])[0].cut(0, seg.frames)
            else:
                c = len(context)
                render = self.make(
                    w, seg.prompt, p.valid_frames(c + seg.frames), [Condition(context.frames, 0)]
                )
                g = self.render(w, render, [pass_seed])[0]
                new = g.cut(c, c + seg.frames)
                eased = fr.ease_seam(new.frames, context.frames[-1], g.frames[c - 1], min(8, seg.frames))
                new = new.with_frames(eased)
            out.append(new)
            joined = join([context, new]) if context is not None else new
            context = joined.cut(len(joined) - context_length(len(joined), c_max, p.frame_step))
        return join(out)

    def make(self, w: Work, prompt: str, frames: int, conditions: list[Condition]) -> RenderPass:
        """A RenderPass at the job's render size and steps, with the preset's guidance and negative."""
        job = w.job
        return RenderPass(
            prompt=prompt,
            negative=job.negative if job.negative is not None else self.preset.negative,
            width=w.width,
            height=w.height,
            frames=frames,
            steps=w.steps,
            guidance=self.preset.guidance,
            conditions=conditions,
            two_stage=w.two_stage,
            audio=job.audio and self.preset.audio,
        )

    def batch_size(self, render: RenderPass) -> int:
        """Variations per renderer call: one when re-noising a source, in sliding windows, or when a condition
        sits past frame 0 on a pipeline that cannot expand it across the batch."""
        keyframes = any(c.index != 0 for c in render.conditions)
        if render.init_frames is not None or render.windows is not None:
            return 1
        if keyframes and not self.renderer.batches_keyframes:
            return 1
        return self.max_batch

    def batched_steps(self, render: RenderPass, count: int) -> int:
        """Denoising steps `count` variations of `render` take in batches."""
        return self.renderer.steps_run(render) * math.ceil(count / self.batch_size(render))

    def render_batched(self, w: Work, render: RenderPass, seeds: list[int] | None = None) -> list[Footage]:
        """`render` once per seed, up to batch_size seeds per call."""
        seeds = w.seeds if seeds is None else seeds
        size = self.batch_size(render)
        out: list[Footage] = []
        for i in range(0, len(seeds), size):
            out.extend(self.render(w, render, seeds[i : i + size]))
        return out

    def render(self, w: Work, render: RenderPass, seeds: list[int]) -> list[Footage]:
        """One renderer call for `seeds`: one Footage each. Raises EngineCancelled."""
        w.progress.check()
        return self.renderer.render(render, seeds, w.progress.step)

    def read_source(
        self, path: Path, w: Work, *, start: float = 0.0, seconds: float | None = None
    ) -> Footage:
        """A source clip from `start` (for `seconds`, or to its end) at render size and the model's fps, with
        its sound (48 kHz) when it has one and the job wants sound."""
        end = None if seconds is None else start + seconds
        frames = read_video(path, width=w.width, height=w.height, fps=self.preset.fps, start=start, end=end)
        sound = read_audio(path, start=start, end=end, rate=au.OUTPUT_RATE) if w.job.audio else None
        footage = Footage(frames, self.preset.fps, sound, au.OUTPUT_RATE)
        if sound is not None:
            footage.audio = au.fit(sound, footage.sample(len(frames)))
        return footage

    def to_output_fps(self, clip: Footage, w: Work) -> Footage:
        """Rendered footage (model fps) shown at the job's fps (frames interpolated when the rates differ)."""
        if self.preset.fps == w.job.fps:
            return clip
        return clip.at_fps(w.job.fps)
