"""The diffusers engine: one loaded pipeline per worker, turning an EngineJob into encoded clips.

`DiffusersEngine.load(...)` loads (or, for `tiny`, builds once) the model and keeps it warm; `run` plans the
render passes for the job's action, runs them with per-step progress and cancel, then encodes exactly the
asked length and size. It does not queue, bill or talk to chat platforms.

How each action uses the model (LTX-Video's LTXConditionPipeline; other families support a subset):
- create: text to video; clips longer than one pass are chained segments (below). `loop` closes the seam.
- animate: the image is a condition on frame 0 (and on the frame after the last when `loop` is set).
- remix: the clip's frames are VAE-encoded, re-noised by `strength` and denoised under the new prompt.
- blend: A's last frames condition the start, B's first frames the end; the model makes the transition.
- recut: a trim is cut from the source without the model (frame-exact); `extend` keeps the whole clip and
  appends frames conditioned on its last frames.
- loop: the clip's opening is kept and its ending replaced by a bridge conditioned on the frames before the
  cut (start) and the clip's first frames (end), so the last frame flows into the first.
- storyboard: one segment per card, each conditioned on the previous segment's last frames, each with its
  card's prompt (LTXConditionPipeline takes one prompt per pass, so cards are passes).
Every join of generated frames onto real frames is eased (engine/frames.py) so no cut shows even where the
model only approximates its conditions.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from engine import frames as fr
from engine import video_io as vio
from engine.presets import Preset, choose_auto, get_preset, preset_for_pipeline_class
from engine.renderers import Condition, Renderer, RenderPass, renderer_for
from engine.spec import CancelledFn, Clip, EngineCancelled, EngineInputError, EngineJob, ProgressFn

log = logging.getLogger(__name__)

ACTIONS = ("create", "animate", "remix", "blend", "recut", "loop", "storyboard")
MAX_PROMPT_CHARS = 2000
MAX_SECONDS = 60
MAX_SIDE = 4096
MAX_VARIATIONS = 8
MAX_CARDS = 24
DEFAULT_REMIX_STRENGTH = 0.6
#: share of the progress bar given to denoising; decoding and encoding fill the rest
DENOISE_SHARE = 0.9
_PASS_SEED_STRIDE = 7919

_LOAD_OPTIONS = {
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


class DiffusersEngine:
    """A ClipEngine over a diffusers video pipeline. Create once per worker; `run` is thread-safe (one job at
    a time: a lock serialises callers)."""

    def __init__(
        self,
        pipe: Any,
        preset: Preset,
        *,
        name: str | None = None,
        device: str = "cpu",
        steps: int | None = None,
        max_batch: int | None = None,
        encoder_preset: str | None = None,
    ) -> None:
        self.pipe = pipe
        self.preset = preset
        self.name = name or preset.name
        self.device = device
        self.steps = steps or preset.steps
        self.max_batch = max(1, max_batch or preset.max_batch)
        self.encoder_preset = encoder_preset or preset.encoder_preset
        self.renderer: Renderer = renderer_for(pipe, preset)
        #: seconds spent rendering (model) and writing (encode, poster) in the last finished job
        self.last_timings: dict[str, float] = {}
        self._lock = threading.Lock()

    # ----------------------------------------------------------------------------------------- loading

    @classmethod
    def load(
        cls,
        preset_name_or_path: str = "auto",
        data_dir: str | Path = "data",
        device: str | None = None,
        **options: Any,
    ) -> DiffusersEngine:
        """Load a preset by name (`auto`, `tiny`, `ltx-2b-distilled`, ...) or a local diffusers folder.

        `auto` picks the best preset for the CUDA GPU's memory, `tiny` without CUDA. The tiny model is built
        into `<data_dir>/models/tiny` on first use. Options: offload ("none"|"model"|"sequential"|"group"),
        fp8, compile, first_block_cache (True or a threshold), vae_tiling, dtype, max_batch, steps,
        encoder_preset, tune_allocator. Real presets download their weights through the Hugging Face cache.
        Raises KeyError for an unknown preset, TypeError for an unknown option.
        """
        unknown = set(options) - _LOAD_OPTIONS
        if unknown:
            raise TypeError(f"unknown engine options: {', '.join(sorted(unknown))}")
        import torch

        from engine.tiny_model import ensure_tiny_model, is_tiny_model_dir

        cuda = torch.cuda.is_available()
        device = device or ("cuda" if cuda else "cpu")
        name = preset_name_or_path or "auto"
        if name == "auto":
            memory = None  # no CUDA device to run on: the tiny model
            if cuda and device.startswith("cuda"):
                index = torch.device(device).index or 0
                memory = torch.cuda.get_device_properties(index).total_memory / 2**30
            choice = choose_auto(memory)
            log.info("auto model: %s (%s)", choice.preset, choice.reason)
            name = choice.preset
            options.setdefault("offload", choice.offload)
            options.setdefault("fp8", choice.fp8)

        path = Path(name)
        if name == "tiny" or is_tiny_model_dir(path):
            preset = get_preset("tiny")
            source = str(ensure_tiny_model(data_dir) if name == "tiny" else path)
        elif (path / "model_index.json").is_file():
            class_name = json.loads((path / "model_index.json").read_text())["_class_name"]
            preset = preset_for_pipeline_class(class_name)
            preset = replace(
                preset, name=path.name, model_id=str(path), pipeline=class_name, single_file=None
            )
            source = str(path)
        else:
            preset = get_preset(name)
            source = preset.model_id

        if device == "cpu" and options.get("tune_allocator", True):
            _tune_allocator()
        _quiet_library_output()
        dtype_name = options.get("dtype") or (preset.dtype if device != "cpu" else "float32")
        t0 = time.monotonic()
        pipe = _load_pipeline(preset, source, getattr(torch, dtype_name))
        _optimise(pipe, preset, device, getattr(torch, dtype_name), options)
        log.info("loaded %s from %s on %s in %.1f s", preset.name, source, device, time.monotonic() - t0)
        return cls(
            pipe,
            preset,
            name=preset.name,
            device=device,
            steps=options.get("steps"),
            max_batch=options.get("max_batch"),
            encoder_preset=options.get("encoder_preset"),
        )

    # ----------------------------------------------------------------------------------------- running

    def run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn) -> Clip:
        """Render `job`. Returns the Clip (one MP4 + poster per variation, exactly job.seconds long at
        job.fps and job.width x job.height; a trim is exactly its range).

        Raises EngineInputError for unusable input, EngineCancelled once `cancelled()` turns true (checked
        after every denoising step). Memory is released after every job, failed or not.
        """
        t0 = time.monotonic()
        check_job(job, self.preset)
        with self._lock:
            failed = True
            try:
                clip = self._run(job, on_progress, cancelled, t0)
                failed = False
                return clip
            except BaseException:
                self._reset_pipeline()
                raise
            finally:
                _release_memory(self.device, collect=failed)

    def _run(self, job: EngineJob, on_progress: ProgressFn, cancelled: CancelledFn, t0: float) -> Clip:
        if cancelled():
            raise EngineCancelled()
        seed = job.seed if job.seed is not None else secrets.randbelow(2**31 - MAX_VARIATIONS)
        rw, rh = self.preset.render_size(job.width, job.height)
        work = _Work(
            job=job,
            seeds=[seed + i for i in range(job.variations)],
            width=rw,
            height=rh,
            steps=job.steps or self.steps,
            progress=_Progress(on_progress, cancelled),
        )
        handler: Callable[[_Work], list[_Timeline]] = getattr(self, f"_{job.action}")
        timelines = handler(work)
        t1 = time.monotonic()
        clip = self._write(work, timelines, t0, seed)
        self.last_timings = {"render_s": t1 - t0, "write_s": time.monotonic() - t1}
        log.info(
            "job %s: %s rendered in %.1f s, written in %.1f s",
            job.job_id,
            job.action,
            t1 - t0,
            self.last_timings["write_s"],
        )
        return clip

    # ----------------------------------------------------------------------------------------- actions

    def _create(self, w: _Work) -> list[_Timeline]:
        job = w.job
        n = self.preset.native_frames(job.seconds)
        clips = self._generate(w, [_Segment(job.prompt, n)])
        if job.loop:
            clips = [fr.close_loop(c, _loop_fade(n, self.preset.fps)) for c in clips]
        return [_Timeline([self._to_output_fps(c, w)]) for c in clips]

    def _animate(self, w: _Work) -> list[_Timeline]:
        job = w.job
        image = vio.fit_frame(vio.load_image(job.images[0]), w.width, w.height)[None]
        n = self.preset.native_frames(job.seconds)
        p = self.preset
        if job.loop and self.renderer.end_conditions and p.valid_frames(n + 1) <= p.max_frames:
            render = self._pass(
                w, job.prompt, p.valid_frames(n + 1), [Condition(image, 0), Condition(image, n)]
            )
            w.progress.plan(self._batched_steps(render, len(w.seeds)))
            clips = [c[:n] for c in self._render_batched(w, render)]
        else:
            clips = self._generate(w, [_Segment(job.prompt, n, first=image)])
        if job.loop:
            clips = [fr.close_loop(c, _loop_fade(n, p.fps)) for c in clips]
        return [_Timeline([self._to_output_fps(c, w)]) for c in clips]

    def _remix(self, w: _Work) -> list[_Timeline]:
        job = w.job
        n = self.preset.native_frames(job.seconds)
        frames = self.preset.valid_frames(n)
        if frames > self.preset.max_frames:
            raise EngineInputError(
                "too_long_for_model", f"remix renders at most {self.preset.max_frames} frames"
            )
        source = self._read_source(job.videos[0], w, seconds=frames / self.preset.fps)
        render = self._pass(w, job.prompt, frames, [])
        render.init_frames = fr.pad_to(source, frames)
        render.strength = job.strength if job.strength is not None else DEFAULT_REMIX_STRENGTH
        w.progress.plan(self.renderer.steps_run(render) * len(w.seeds))
        clips = [self._render(w, render, [seed])[0][:n] for seed in w.seeds]
        return [_Timeline([self._to_output_fps(c, w)]) for c in clips]

    def _blend(self, w: _Work) -> list[_Timeline]:
        job = w.job
        p = self.preset
        n = p.native_frames(job.seconds)
        frames = p.valid_frames(n)
        if frames > p.max_frames:
            raise EngineInputError("too_long_for_model", f"blend renders at most {p.max_frames} frames")
        a_info = vio.probe_video(job.videos[0])
        a = self._read_source(job.videos[0], w, start=max(0.0, a_info.seconds - 2.0))
        b = self._read_source(job.videos[1], w, seconds=2.0)
        c = _context_length(
            min(len(a), len(b), (frames - 1) // 2), self.renderer.context_frames, p.frame_step
        )
        head, tail = a[-c:], b[:c]
        end = frames - c
        render = self._pass(w, job.prompt, frames, [Condition(head, 0), Condition(tail, end)])
        w.progress.plan(self._batched_steps(render, len(w.seeds)))
        out = []
        for g in self._render_batched(w, render):
            ease = min(8, max(1, (end - c) // 3))
            middle = fr.ease_seam(g[c:end], head[-1], g[c - 1], ease)
            middle = fr.ease_into(middle, tail[0], g[end], ease)
            clip = np.concatenate([head, middle, tail])[:n]
            out.append(_Timeline([self._to_output_fps(clip, w)]))
        return out

    def _recut(self, w: _Work) -> list[_Timeline]:
        job = w.job
        source = job.videos[0]
        info = vio.probe_video(source)
        if job.extend:
            return self._extend(w, source, info)
        start = job.trim_start or 0.0
        end = job.trim_end if job.trim_end is not None else info.seconds
        if not (0.0 <= start < end <= info.seconds + 0.5 / job.fps):
            raise EngineInputError("bad_trim", f"{start:g}..{end:g} s outside 0..{info.seconds:.2f} s")
        count = round((end - start) * job.fps)
        if count < 1:
            raise EngineInputError("bad_trim", "range shorter than one frame")
        w.output_frames = count
        w.progress.plan(0)
        span = _Span(Path(source), start, end)
        return [_Timeline([span]) for _ in w.seeds[:1]]

    def _extend(self, w: _Work, source: Path, info: vio.VideoInfo) -> list[_Timeline]:
        job = w.job
        if not self.preset.supports("extend"):
            raise EngineInputError("unsupported_action", f"{self.preset.name} cannot extend clips")
        kept = round(info.seconds * job.fps)
        new_out = job.seconds * job.fps - kept
        if new_out <= 0:
            raise EngineInputError(
                "bad_extend", f"the clip is already {info.seconds:.1f} s of {job.seconds} s"
            )
        tail_s = (self.renderer.context_frames + 2) / self.preset.fps
        context = self._read_source(source, w, start=max(0.0, info.seconds - tail_s))
        context = context[
            -_context_length(len(context), self.renderer.context_frames, self.preset.frame_step) :
        ]
        new_native = math.ceil(new_out / job.fps * self.preset.fps - 1e-9)
        clips = self._generate(w, [_Segment(job.prompt, new_native)], context=context)
        span = _Span(Path(source), 0.0, None)
        return [_Timeline([span, fr.resample(c, self.preset.fps, job.fps, new_out)]) for c in clips]

    def _loop(self, w: _Work) -> list[_Timeline]:
        job = w.job
        p = self.preset
        if not self.renderer.end_conditions:
            raise EngineInputError("unsupported_action", f"{p.name} cannot condition the end of a clip")
        n = p.native_frames(job.seconds)
        source = self._read_source(job.videos[0], w, seconds=job.seconds)
        c = _context_length(len(source) // 2, self.renderer.context_frames, p.frame_step)
        # The render is [c frames before the cut][bridge][the clip's first c frames]; the output is the clip
        # up to the cut followed by the bridge, which therefore runs on into the clip's first frame.
        bridge = p.valid_frames(2 * c + max(p.fps // 2, n // 4)) - 2 * c
        keep = min(n - bridge, len(source))
        if keep < c:
            raise EngineInputError("bad_loop", "the clip is too short to loop at this length")
        bridge = n - keep
        frames = p.valid_frames(2 * c + bridge)
        if frames > p.max_frames:
            raise EngineInputError("too_long_for_model", f"loop bridge needs {frames} frames")
        before, opening = source[keep - c : keep], source[:c]
        end = frames - c
        render = self._pass(w, job.prompt, frames, [Condition(before, 0), Condition(opening, end)])
        w.progress.plan(self._batched_steps(render, len(w.seeds)))
        keep_out = round(keep * job.fps / p.fps)
        total_out = job.seconds * job.fps
        kept = _Span(Path(job.videos[0]), 0.0, keep_out / job.fps)
        out = []
        for g in self._render_batched(w, render):
            ease = min(8, max(1, bridge // 3))
            new = fr.ease_seam(g[c : c + bridge], before[-1], g[c - 1], ease)
            new = fr.fade_to(new, opening[0], _loop_fade(bridge + c, p.fps))
            out.append(_Timeline([kept, fr.resample(new, p.fps, job.fps, total_out - keep_out)]))
        return out

    def _storyboard(self, w: _Work) -> list[_Timeline]:
        job = w.job
        fps = self.preset.fps
        total = self.preset.native_frames(job.seconds)
        cards = sorted(job.cards, key=lambda card: float(card["at"]))
        marks: list[tuple[int, str]] = []
        if not cards or round(float(cards[0]["at"]) * fps) > 0:
            marks.append((0, job.prompt))
        for card in cards:
            at = min(total - 1, round(float(card["at"]) * fps))
            prompt = str(card.get("prompt") or job.prompt)
            if marks and marks[-1][0] == at:
                marks[-1] = (at, prompt)  # two cards at the same time: the later one wins
            else:
                marks.append((at, prompt))
        segments = [
            _Segment(prompt, (marks[i + 1][0] if i + 1 < len(marks) else total) - at)
            for i, (at, prompt) in enumerate(marks)
        ]
        first = None
        if job.images:
            first = vio.fit_frame(vio.load_image(job.images[0]), w.width, w.height)[None]
        segments[0].first = first
        clips = self._generate(w, segments)
        return [_Timeline([self._to_output_fps(c, w)]) for c in clips]

    # ----------------------------------------------------------------------------------------- passes

    def _generate(
        self, w: _Work, segments: list[_Segment], context: np.ndarray | None = None
    ) -> list[np.ndarray]:
        """New frames (native fps, render size) for each seed, following `context` if given.

        One segment that fits one pass and follows nothing renders all variations in batches; anything
        longer is a chain of passes, each conditioned on the last frames rendered before it.
        """
        p = self.preset
        if context is None and len(segments) == 1 and p.valid_frames(segments[0].frames) <= p.max_frames:
            seg = segments[0]
            conditions = [Condition(seg.first, 0)] if seg.first is not None else []
            render = self._pass(w, seg.prompt, p.valid_frames(seg.frames), conditions)
            w.progress.plan(self._batched_steps(render, len(w.seeds)))
            return [c[: seg.frames] for c in self._render_batched(w, render)]
        if not self.preset.supports("extend") and (context is not None or len(segments) > 1):
            raise EngineInputError("too_long_for_model", f"{p.name} renders at most {p.max_frames} frames")
        plan = self._chain_plan(segments, context is not None)
        w.progress.plan(sum(w.steps for _ in plan) * len(w.seeds))
        return [self._chain(w, plan, context, seed) for seed in w.seeds]

    def _chain_plan(self, segments: list[_Segment], has_context: bool) -> list[_Segment]:
        """Split segments so every pass fits max_frames (context frames included)."""
        p, c = self.preset, self.renderer.context_frames
        room = (p.max_frames - 1) // p.frame_step * p.frame_step + 1 - c  # new frames after c of context
        plan: list[_Segment] = []
        for seg in segments:
            left = seg.frames
            while left > 0:
                follows = has_context or bool(plan)
                take = min(left, room if follows else room + c)
                plan.append(_Segment(seg.prompt, take, first=None if follows else seg.first))
                left -= take
        return plan

    def _chain(self, w: _Work, plan: list[_Segment], context: np.ndarray | None, seed: int) -> np.ndarray:
        p, c_max = self.preset, self.renderer.context_frames
        out: list[np.ndarray] = []
        for k, seg in enumerate(plan):
            pass_seed = seed + _PASS_SEED_STRIDE * k  # variations use seed + i: keep their passes apart
            if context is None:
                conditions = [Condition(seg.first, 0)] if seg.first is not None else []
                render = self._pass(w, seg.prompt, p.valid_frames(seg.frames), conditions)
                new = self._render(w, render, [pass_seed])[0][: seg.frames]
            else:
                c = len(context)
                render = self._pass(w, seg.prompt, p.valid_frames(c + seg.frames), [Condition(context, 0)])
                g = self._render(w, render, [pass_seed])[0]
                new = fr.ease_seam(g[c : c + seg.frames], context[-1], g[c - 1], min(8, seg.frames))
            out.append(new)
            joined = np.concatenate([context, new]) if context is not None else new
            context = joined[-_context_length(len(joined), c_max, p.frame_step) :]
        return np.concatenate(out)

    def _pass(self, w: _Work, prompt: str, frames: int, conditions: list[Condition]) -> RenderPass:
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
        )

    def _batched_steps(self, render: RenderPass, count: int) -> int:
        batches = math.ceil(count / (1 if render.init_frames is not None else self.max_batch))
        return self.renderer.steps_run(render) * batches

    def _render_batched(self, w: _Work, render: RenderPass) -> list[np.ndarray]:
        size = 1 if render.init_frames is not None else self.max_batch
        out: list[np.ndarray] = []
        for i in range(0, len(w.seeds), size):
            out.extend(self._render(w, render, w.seeds[i : i + size]))
        return out

    def _render(self, w: _Work, render: RenderPass, seeds: list[int]) -> np.ndarray:
        w.progress.check()
        return self.renderer.render(render, seeds, w.progress.step)

    # ----------------------------------------------------------------------------------------- io

    def _read_source(
        self, path: Path, w: _Work, *, start: float = 0.0, seconds: float | None = None
    ) -> np.ndarray:
        """A source clip at render size and the model's fps."""
        end = None if seconds is None else start + seconds
        return vio.read_video(path, width=w.width, height=w.height, fps=self.preset.fps, start=start, end=end)

    def _to_output_fps(self, clip: np.ndarray, w: _Work) -> np.ndarray:
        count = round(len(clip) * w.job.fps / self.preset.fps)
        if self.preset.fps == w.job.fps:
            return clip
        return fr.resample(clip, self.preset.fps, w.job.fps, count)

    def _write(self, w: _Work, timelines: list[_Timeline], t0: float, seed: int) -> Clip:
        job = w.job
        count = w.output_frames or job.seconds * job.fps
        stem = job.out_name or job.job_id
        meta = vio.provenance(
            self.name,
            job.job_id,
            job.prompt,
            {**job.metadata, "reelbot_action": job.action, "reelbot_seed": seed},
        )
        paths, posters = [], []
        for i, timeline in enumerate(timelines):
            w.progress.check()
            path = Path(job.out_dir) / (f"{stem}.mp4" if i == 0 else f"{stem}-{i + 1}.mp4")
            encoded = vio.encode_video(
                _replayable(timeline, job.fps),
                path,
                width=job.width,
                height=job.height,
                fps=job.fps,
                frame_count=count,
                metadata=meta,
                watermark=job.watermark,
                max_bytes=job.max_bytes,
                preset=self.encoder_preset,
            )
            assert encoded.poster_frame is not None
            posters.append(vio.write_poster(encoded.poster_frame, path.with_suffix(".jpg"), meta))
            paths.append(path)
            w.progress.encoded(i + 1, len(timelines))
        return Clip(
            paths=paths,
            posters=posters,
            frames=count,
            fps=job.fps,
            width=job.width,
            height=job.height,
            seconds=count / job.fps,
            wall_s=time.monotonic() - t0,
            model=self.name,
            seed=seed,
        )

    def _reset_pipeline(self) -> None:
        """After a cancel or error: clear the interrupt flag and stateful hooks (caches, offload)."""
        try:
            self.pipe._interrupt = False
            self.pipe.maybe_free_model_hooks()
        except Exception:  # never mask the original error
            log.exception("could not reset the pipeline")


# --------------------------------------------------------------------------------------------- job checks


def check_job(job: EngineJob, preset: Preset | None = None) -> None:
    """Reject a job the engine cannot render, before any work. Raises EngineInputError."""
    if job.action not in ACTIONS:
        raise EngineInputError("unsupported_action", f"unknown action {job.action!r}")
    if len(job.prompt) > MAX_PROMPT_CHARS:
        raise EngineInputError("prompt_too_long", f"{len(job.prompt)} > {MAX_PROMPT_CHARS} characters")
    if job.negative is not None and len(job.negative) > MAX_PROMPT_CHARS:
        raise EngineInputError("prompt_too_long", "negative prompt")
    if not (2 <= job.width <= MAX_SIDE and 2 <= job.height <= MAX_SIDE) or job.width % 2 or job.height % 2:
        raise EngineInputError("bad_size", f"{job.width}x{job.height}: even sides up to {MAX_SIDE}")
    if not (1 <= job.seconds <= MAX_SECONDS) or not (1 <= job.fps <= 60):
        raise EngineInputError("bad_length", f"{job.seconds} s at {job.fps} fps")
    if not (1 <= job.variations <= MAX_VARIATIONS):
        raise EngineInputError("bad_variations", f"{job.variations}")
    if job.steps is not None and not (1 <= job.steps <= 100):
        raise EngineInputError("bad_steps", f"{job.steps}")
    if job.strength is not None and not (0.0 < job.strength <= 1.0):
        raise EngineInputError("bad_strength", f"{job.strength}")
    needs = {"animate": (1, 0), "remix": (0, 1), "blend": (0, 2), "recut": (0, 1), "loop": (0, 1)}
    images, videos = needs.get(job.action, (0, 0))
    if len(job.images) < images or len(job.videos) < videos:
        raise EngineInputError("missing_input", f"{job.action} needs {images} image(s) and {videos} video(s)")
    if job.action == "storyboard":
        _check_cards(job)
    if preset is not None:
        op = "extend" if job.action == "recut" and job.extend else job.action
        if not preset.supports(op):
            raise EngineInputError("unsupported_action", f"{preset.name} cannot {op}")


def _check_cards(job: EngineJob) -> None:
    if len(job.cards) > MAX_CARDS:
        raise EngineInputError("bad_cards", f"{len(job.cards)} cards > {MAX_CARDS}")
    for card in job.cards:
        try:
            at = float(card["at"])
        except (KeyError, TypeError, ValueError):
            raise EngineInputError("bad_cards", f"card without a time: {card!r}"[:200]) from None
        if not (0.0 <= at < job.seconds) or not math.isfinite(at):
            raise EngineInputError("bad_cards", f"card at {at:g} s outside 0..{job.seconds} s")
        if len(str(card.get("prompt") or "")) > MAX_PROMPT_CHARS:
            raise EngineInputError("prompt_too_long", "storyboard card")


# --------------------------------------------------------------------------------------------- plumbing


@dataclass
class _Segment:
    prompt: str
    frames: int  # new frames (native fps)
    first: np.ndarray | None = None  # image condition on the segment's first frame


@dataclass
class _Span:
    """Frames cut straight from a source file at encode time (exact, no model, no copy in memory)."""

    path: Path
    start: float
    end: float | None

    def frames(self, fps: int) -> Iterator[np.ndarray]:
        return vio.read_frames(self.path, fps=fps, start=self.start, end=self.end)


@dataclass
class _Timeline:
    """One variation's output: arrays (render size, output fps) and source spans, played in order."""

    chunks: list[np.ndarray | _Span]

    def frames(self, fps: int) -> Iterator[np.ndarray]:
        for chunk in self.chunks:
            if isinstance(chunk, _Span):
                yield from chunk.frames(fps)
            else:
                yield from chunk


@dataclass
class _Work:
    job: EngineJob
    seeds: list[int]
    width: int  # render size
    height: int
    steps: int
    progress: _Progress
    output_frames: int | None = None  # set when the output length is not job.seconds (a trim)


class _Progress:
    """Turns denoising steps into on_progress(fraction, eta) calls and checks for cancel at each one."""

    def __init__(self, on_progress: ProgressFn, cancelled: CancelledFn) -> None:
        self.on_progress = on_progress
        self.cancelled = cancelled
        self.total = 0
        self.done = 0
        self.started = time.monotonic()
        self.fraction = 0.0

    def plan(self, steps: int) -> None:
        self.total += steps

    def check(self) -> None:
        if self.cancelled():
            raise EngineCancelled()

    def step(self) -> None:
        self.check()
        self.done += 1
        self._report(DENOISE_SHARE * min(1.0, self.done / max(1, self.total)))

    def encoded(self, index: int, files: int) -> None:
        share = DENOISE_SHARE if self.total else 0.0
        self._report(share + (1.0 - share) * index / files)

    def _report(self, fraction: float) -> None:
        if fraction <= self.fraction:
            return
        self.fraction = fraction
        elapsed = time.monotonic() - self.started
        eta = elapsed * (1.0 - fraction) / fraction if fraction < 1.0 else 0.0
        self.on_progress(fraction, eta)


def _replayable(timeline: _Timeline, fps: int) -> Callable[[], Iterator[np.ndarray]]:
    def frames() -> Iterator[np.ndarray]:
        return timeline.frames(fps)

    return frames


def _context_length(available: int, wanted: int, step: int) -> int:
    """Largest k * step + 1 <= min(available, wanted) (at least 1)."""
    n = max(1, min(available, wanted))
    return (n - 1) // step * step + 1


def _loop_fade(frames: int, fps: int) -> int:
    return max(1, min(frames // 4, fps // 2))


def _load_pipeline(preset: Preset, source: str, dtype: Any) -> Any:
    """from_pretrained (and from_single_file for one-file checkpoints). Downloads for real presets."""
    import diffusers

    cls = getattr(diffusers, preset.pipeline)
    kwargs: dict[str, Any] = {"dtype": dtype}
    if preset.single_file:
        kwargs["transformer"] = diffusers.LTXVideoTransformer3DModel.from_single_file(
            preset.single_file, dtype=dtype
        )
        kwargs["vae"] = diffusers.AutoencoderKLLTXVideo.from_single_file(preset.single_file, dtype=dtype)
    if preset.family == "wan":
        import torch

        # Wan's VAE is kept in float32 (as its authors recommend); the transformer runs in `dtype`.
        kwargs["vae"] = diffusers.AutoencoderKLWan.from_pretrained(
            source, subfolder="vae", dtype=torch.float32
        )
    pipe = cls.from_pretrained(source, **kwargs)
    if preset.flow_shift is not None:
        pipe.scheduler = diffusers.UniPCMultistepScheduler.from_config(
            pipe.scheduler.config, flow_shift=preset.flow_shift
        )
    pipe.set_progress_bar_config(disable=True)
    return pipe


def _optimise(pipe: Any, preset: Preset, device: str, dtype: Any, options: dict[str, Any]) -> None:
    """Memory and speed options, in the order diffusers expects: casting, cache, placement, compile."""
    import torch

    transformer = pipe.transformer
    if options.get("fp8"):
        transformer.enable_layerwise_casting(storage_dtype=torch.float8_e4m3fn, compute_dtype=dtype)
    fbc = options.get("first_block_cache")
    if fbc:
        threshold = preset.first_block_cache if fbc is True else float(fbc)
        blocks = len(getattr(transformer, "transformer_blocks", getattr(transformer, "blocks", [])))
        if threshold is None or not hasattr(transformer, "enable_cache") or blocks < 2:
            log.warning("FirstBlockCache is not available for %s; running without it", preset.name)
        else:
            from diffusers.hooks import FirstBlockCacheConfig

            transformer.enable_cache(FirstBlockCacheConfig(threshold=threshold))
    offload = options.get("offload", "none") or "none"
    if offload != "none" and not device.startswith("cuda"):
        log.warning("offload=%s needs a CUDA device; ignored on %s", offload, device)
        offload = "none"
    if offload == "model":
        pipe.enable_model_cpu_offload(device=device)
    elif offload == "sequential":
        pipe.enable_sequential_cpu_offload(device=device)
    elif offload == "group":
        pipe.enable_group_offload(
            onload_device=torch.device(device), offload_type="leaf_level", use_stream=True
        )
    elif offload == "none":
        pipe.to(device)
    else:
        raise ValueError(f"unknown offload mode {offload!r}")
    tiling = options.get("vae_tiling")
    if tiling or (tiling is None and device.startswith("cuda") and preset.model_id != "tiny"):
        pipe.vae.enable_tiling()
    if options.get("compile"):
        if hasattr(transformer, "compile_repeated_blocks"):
            transformer.compile_repeated_blocks(fullgraph=True)
        else:
            pipe.transformer = torch.compile(transformer, fullgraph=True)


def _quiet_library_output() -> None:
    """A worker logs through `logging`: no tqdm bars from diffusers / transformers on stderr, and not the
    warning FlowMatchEulerDiscreteScheduler gives on every LTXConditionPipeline call (the pipeline always
    passes explicit timesteps; that schedule is the intended one)."""
    import diffusers
    import transformers

    diffusers.utils.logging.disable_progress_bar()
    transformers.utils.logging.disable_progress_bar()

    class _Filter(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            return "were passed without `sigmas`" not in record.getMessage()

    target = logging.getLogger("diffusers.schedulers.scheduling_flow_match_euler_discrete")
    if not any(type(f).__name__ == "_Filter" for f in target.filters):
        target.addFilter(_Filter())


_ALLOCATOR_TUNED = False


def _tune_allocator() -> None:
    """On glibc, keep large freed blocks in the heap instead of returning them to the OS at once: the VAE
    allocates and frees tensors of hundreds of MB per frame block, and re-faulting those pages costs as
    much as the convolutions on a small CPU. Memory is handed back after each job (`_release_memory`)."""
    global _ALLOCATOR_TUNED
    if _ALLOCATOR_TUNED:
        return
    _ALLOCATOR_TUNED = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 1 << 30)
        libc.mallopt(m_trim_threshold, 1 << 30)
    except (OSError, AttributeError):
        pass


def _release_memory(device: str, collect: bool) -> None:
    """Hand freed memory back: after a failure also collect the cycles a traceback holds (the frames of the
    pipeline call and their tensors); a full collection costs ~0.3 s, so successful jobs skip it."""
    if collect:
        gc.collect()
    if device.startswith("cuda"):
        import torch

        torch.cuda.empty_cache()
    elif _ALLOCATOR_TUNED:
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass
