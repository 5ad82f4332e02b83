"""One render pass through a diffusers pipeline: prompt + frame conditions (+ a source video to re-noise) in,
footage (uint8 frames, and sound where the model makes it) out. One class per pipeline family
(engine/ltx2_renderer.py, engine/ltx_renderer.py, engine/wan_renderer.py); the engine plans passes, these only
run them.

Progress and cancel go through `callback_on_step_end`: `on_step` is called after every denoising step and
raises EngineCancelled to stop the pipeline within that step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import audio as au
from engine.footage import Footage
from engine.presets import Preset
from engine.windows import Windows

OnStep = Callable[[], None]


@dataclass
class Condition:
    """Frames the render must contain: `frames` (n, H, W, 3) at render size land at frame `index`."""

    frames: np.ndarray
    index: int
    strength: float = 1.0


@dataclass
class RenderPass:
    prompt: str
    negative: str | None
    width: int
    height: int
    frames: int  # valid for the model (k * frame_step + 1)
    steps: int
    guidance: float
    conditions: list[Condition] = field(default_factory=list)
    #: remix: a source video (frames, H, W, 3) that is re-noised by `strength` and denoised again
    init_frames: np.ndarray | None = None
    strength: float = 1.0
    #: render at half size, upsample the latents x2 and refine at full size (the model's large-size recipe)
    two_stage: bool = False
    #: decode the sound too (where the model makes sound)
    audio: bool = True
    #: denoise the clip as one latent sequence in sliding windows, one prompt each (renderers with
    #: `sliding_windows`): `frames` is then windows.frames, and the only condition an image on frame 0
    windows: Windows | None = None


class Renderer:
    """What the engine needs from a pipeline family."""

    #: frames of the previous clip a continuation is conditioned on (extend, long clips, storyboard)
    context_frames: int = 1
    #: can a condition sit anywhere but frame 0 (blend end, loop end)
    end_conditions: bool = False
    #: can a source video be re-noised (remix)
    init_video: bool = False
    #: can variations share one call when a condition sits past frame 0 (the pipeline expands it per batch)
    batches_keyframes: bool = True
    #: can this renderer refine two-stage (a latent upsampler is loaded)
    two_stage: bool = False
    #: does the model follow a prompt that tells what happens when (a storyboard renders in one pass)
    timed_prompts: bool = False
    #: can a clip longer than one pass, or under several prompts, be denoised as one latent sequence in
    #: sliding windows (RenderPass.windows), so no decoded frames are encoded again between passes
    sliding_windows: bool = False

    def __init__(self, pipe: Any, preset: Preset) -> None:
        self.pipe = pipe
        self.preset = preset

    def steps_run(self, p: RenderPass) -> int:
        """Denoising steps the pass will actually run (fewer when re-noising a source; more in two stages;
        every window's own in sliding windows)."""
        if p.windows is not None:
            return len(self.preset.schedule(p.steps) or range(p.steps)) * len(p.windows.prompts)
        if p.init_frames is not None:
            schedule = self.preset.renoise_schedule(p.strength, p.steps)
            if schedule is not None:
                return len(schedule)
            return max(1, min(p.steps, int(p.steps * p.strength)))
        stage1 = len(self.preset.schedule(p.steps) or range(p.steps))
        return stage1 + (len(self.preset.stage2_sigmas) if p.two_stage and self.two_stage else 0)

    def keyframe_index(self, latest: int) -> int:
        """The last frame index at or before `latest` where a condition may start."""
        return max(0, latest)

    def render(self, p: RenderPass, seeds: list[int], on_step: OnStep) -> list[Footage]:
        """Run the pass once per seed (batched). Returns one Footage per seed: p.frames frames at the model's
        fps, with the sound under them when the model makes it and p.audio asks for it."""
        raise NotImplementedError

    # shared helpers

    def _generators(self, seeds: list[int]) -> Any:
        import torch

        device = "cpu" if self._device().type == "mps" else self._device()
        gens = [torch.Generator(device=device).manual_seed(int(s)) for s in seeds]
        return gens[0] if len(gens) == 1 else gens

    def _device(self) -> Any:
        return self.pipe._execution_device

    def _callback(self, on_step: OnStep) -> Callable[..., dict[str, Any]]:
        def callback(pipe: Any, step: int, timestep: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
            try:
                on_step()
            except BaseException:
                pipe._interrupt = True  # if anything swallowed the exception, the loop still stops
                raise
            return {}

        return callback

    def _footage(self, video: np.ndarray, audio: np.ndarray | None = None, rate: int = 0) -> list[Footage]:
        """One Footage per clip of the batch; sound is brought to the output rate and layout here, so every
        Footage a planner joins has the same (48 kHz stereo), cut or padded to its frames' length."""
        fps = self.preset.fps
        if audio is None:
            return [Footage(v, fps) for v in video]
        out = []
        for v, a in zip(video, audio, strict=True):
            track = au.as_channels(au.resample(np.asarray(a, dtype=np.float32), rate))
            out.append(Footage(v, fps, au.fit(track, round(len(v) / fps * au.OUTPUT_RATE))))
        return out


def video_to_uint8(video: Any, *, channels_first: bool = False, signed: bool = False) -> np.ndarray:
    """A float video tensor to uint8 (B, F, H, W, 3), one frame at a time (no second full-size float copy).

    Layout (B, F, C, H, W) with values 0..1 (diffusers output_type="pt"), or with channels_first
    (B, C, F, H, W) and signed values -1..1 (what a VAE decodes)."""
    import torch

    if channels_first:
        video = video.transpose(1, 2)
    b, f, _, h, w = video.shape
    scale, offset = (127.5, 127.5 + 0.5) if signed else (255.0, 0.5)
    out = torch.empty((b, f, h, w, 3), dtype=torch.uint8)
    for i in range(b):
        for j in range(f):
            frame = video[i, j].detach().to("cpu", torch.float32)
            out[i, j] = frame.mul(scale).add_(offset).clamp_(0, 255).to(torch.uint8).permute(1, 2, 0)
    return out.numpy()


def linear_sigmas(steps: int) -> list[float]:
    """`steps` evenly spaced sigmas from 1 (pure noise) down to 1 / steps: the schedule of a model without a
    trained one."""
    return [float(s) for s in np.linspace(1.0, 1.0 / steps, steps)]


def pil(frame: np.ndarray) -> Any:
    from PIL import Image

    return Image.fromarray(np.ascontiguousarray(frame), "RGB")


def renderer_for(pipe: Any, preset: Preset, upsampler: Any = None) -> Renderer:
    """The renderer of `preset`'s family over `pipe` (and its latent upsampler, for two-stage renders)."""
    if preset.family == "ltx2":
        from engine.ltx2_renderer import LTX2Renderer

        return LTX2Renderer(pipe, preset, upsampler)
    if preset.family == "ltx":
        from engine.ltx_renderer import LTXRenderer

        return LTXRenderer(pipe, preset, upsampler)
    if preset.family == "wan":
        from engine.wan_renderer import WanRenderer

        return WanRenderer(pipe, preset)
    raise ValueError(f"no renderer for family {preset.family!r}")
