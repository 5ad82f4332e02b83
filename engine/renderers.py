"""One render pass through a diffusers pipeline: prompt + frame conditions (+ a source video to re-noise) in,
uint8 frames out. One class per pipeline family; the engine plans passes, these only run them.

Progress and cancel go through `callback_on_step_end`: `on_step` is called after every denoising step and
raises EngineCancelled to stop the pipeline within that step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.presets import Preset

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


class Renderer:
    """What the engine needs from a pipeline family."""

    #: frames of the previous clip a continuation is conditioned on (extend, long clips, storyboard)
    context_frames: int = 1
    #: can a condition sit anywhere but frame 0 (blend end, loop end)
    end_conditions: bool = False
    #: can a source video be re-noised (remix)
    init_video: bool = False

    def __init__(self, pipe: Any, preset: Preset) -> None:
        self.pipe = pipe
        self.preset = preset

    def steps_run(self, p: RenderPass) -> int:
        """Denoising steps the pass will actually run (fewer when re-noising a source)."""
        if p.init_frames is None:
            return p.steps
        return max(1, min(p.steps, int(p.steps * p.strength)))

    def render(self, p: RenderPass, seeds: list[int], on_step: OnStep) -> np.ndarray:
        """Run the pass once per seed (batched). Returns uint8 frames (len(seeds), p.frames, H, W, 3)."""
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


def _pil(frame: np.ndarray) -> Any:
    from PIL import Image

    return Image.fromarray(np.ascontiguousarray(frame), "RGB")


class LTXRenderer(Renderer):
    """LTXConditionPipeline: image and video conditions at any frame index, and re-noising a source clip
    (`latents` + `denoise_strength`) for remix."""

    context_frames = 17  # 3 latent frames: enough motion for the continuation to pick up
    end_conditions = True
    init_video = True

    def render(self, p: RenderPass, seeds: list[int], on_step: OnStep) -> np.ndarray:
        import torch
        from diffusers.pipelines.ltx.pipeline_ltx_condition import LTXVideoCondition

        preset = self.preset
        generator = self._generators(seeds)
        kwargs: dict[str, Any] = {
            "prompt": p.prompt,
            "negative_prompt": p.negative or None,
            "width": p.width,
            "height": p.height,
            "num_frames": p.frames,
            "frame_rate": preset.fps,
            "guidance_scale": p.guidance,
            "num_videos_per_prompt": len(seeds),
            "generator": generator,
            # Latents out, decoded below straight into uint8 frames: the pipeline's own float post-processing
            # makes two more full-size copies of the clip, which costs more than the denoising of a small model.
            "output_type": "latent",
            "image_cond_noise_scale": preset.image_cond_noise_scale,
            "max_sequence_length": preset.max_sequence_length,
            "callback_on_step_end": self._callback(on_step),
        }
        if preset.timesteps is not None and p.steps == len(preset.timesteps):
            kwargs["timesteps"] = list(preset.timesteps)
        else:
            kwargs["num_inference_steps"] = p.steps
        if p.conditions:
            kwargs["conditions"] = [
                LTXVideoCondition(image=_pil(c.frames[0]), frame_index=c.index, strength=c.strength)
                if len(c.frames) == 1
                else LTXVideoCondition(
                    video=[_pil(f) for f in c.frames], frame_index=c.index, strength=c.strength
                )
                for c in p.conditions
            ]
        if p.init_frames is not None:
            if len(seeds) != 1:
                raise ValueError("re-noising a source renders one variation per pass")
            kwargs["latents"] = self._encode(p.init_frames, p.frames)
            kwargs["denoise_strength"] = max(1.0 / p.steps, min(1.0, p.strength))
        with torch.inference_mode():
            latents = self.pipe(**kwargs).frames
            return self._decode(latents, generator)

    def _decode(self, latents: Any, generator: Any) -> np.ndarray:
        """Normalised latents -> uint8 frames, as LTXConditionPipeline decodes them: undo the latent
        normalisation and, for the timestep-conditioned VAE (0.9.1+), decode at `decode_timestep` after
        mixing in `decode_noise_scale` of noise (drawn from the same generator, so a seed still fixes it)."""
        import torch
        from diffusers.utils.torch_utils import randn_tensor

        vae = self.pipe.vae
        latents = latents.to(vae.dtype)
        mean = vae.latents_mean.view(1, -1, 1, 1, 1).to(latents.device, latents.dtype)
        std = vae.latents_std.view(1, -1, 1, 1, 1).to(latents.device, latents.dtype)
        latents = latents * std / vae.config.scaling_factor + mean
        timestep = None
        if vae.config.timestep_conditioning:
            count = latents.shape[0]
            t = self.preset.decode_timestep
            scale = self.preset.decode_noise_scale if self.preset.decode_noise_scale is not None else t
            noise = randn_tensor(
                latents.shape, generator=generator, device=latents.device, dtype=latents.dtype
            )
            latents = (1.0 - scale) * latents + scale * noise
            timestep = torch.full((count,), t, device=latents.device, dtype=latents.dtype)
        video = vae.decode(latents, timestep, return_dict=False)[0]  # (B, C, F, H, W) in -1..1
        return video_to_uint8(video, channels_first=True, signed=True)

    def _encode(self, frames: np.ndarray, count: int) -> Any:
        """Source frames -> normalised VAE latents (the space the pipeline denoises in)."""
        import torch

        vae = self.pipe.vae
        frames = frames[:count]
        x = torch.from_numpy(np.ascontiguousarray(frames)).permute(3, 0, 1, 2).unsqueeze(0)
        x = x.to(self._device(), vae.dtype).div_(127.5).sub_(1.0)
        with torch.inference_mode():
            z = vae.encode(x).latent_dist.mode()
        mean = vae.latents_mean.view(1, -1, 1, 1, 1).to(z.device, z.dtype)
        std = vae.latents_std.view(1, -1, 1, 1, 1).to(z.device, z.dtype)
        return ((z - mean) * vae.config.scaling_factor / std).float()


class WanRenderer(Renderer):
    """WanPipeline (text to video; remix through WanVideoToVideoPipeline on the same weights) and
    WanImageToVideoPipeline (first-frame image; continuations condition on the previous last frame)."""

    context_frames = 1
    end_conditions = False

    def __init__(self, pipe: Any, preset: Preset) -> None:
        super().__init__(pipe, preset)
        self.image_to_video = type(pipe).__name__ == "WanImageToVideoPipeline"
        self.init_video = not self.image_to_video
        self._v2v: Any = None

    def render(self, p: RenderPass, seeds: list[int], on_step: OnStep) -> np.ndarray:
        import torch

        kwargs: dict[str, Any] = {
            "prompt": p.prompt,
            "negative_prompt": p.negative or None,
            "width": p.width,
            "height": p.height,
            "num_inference_steps": p.steps,
            "guidance_scale": p.guidance,
            "num_videos_per_prompt": len(seeds),
            "generator": self._generators(seeds),
            "output_type": "pt",
            "max_sequence_length": self.preset.max_sequence_length,
            "callback_on_step_end": self._callback(on_step),
        }
        pipe = self.pipe
        if p.init_frames is not None:
            if self._v2v is None:
                from diffusers import WanVideoToVideoPipeline

                self._v2v = WanVideoToVideoPipeline.from_pipe(self.pipe)
            pipe = self._v2v
            kwargs["video"] = [_pil(f) for f in p.init_frames[: p.frames]]
            kwargs["strength"] = p.strength
            # Encode the prompt with the text-to-video pipeline: WanVideoToVideoPipeline's own prompt cleaning
            # calls ftfy unconditionally and fails where ftfy is not installed.
            positive, negative = self.pipe.encode_prompt(
                prompt=kwargs.pop("prompt"),
                negative_prompt=kwargs.pop("negative_prompt"),
                do_classifier_free_guidance=p.guidance > 1.0,
                num_videos_per_prompt=len(seeds),
                max_sequence_length=self.preset.max_sequence_length,
                device=self._device(),
            )
            kwargs.update(prompt_embeds=positive, negative_prompt_embeds=negative, num_videos_per_prompt=1)
        else:
            kwargs["num_frames"] = p.frames
        if self.image_to_video:
            firsts = [c for c in p.conditions if c.index == 0]
            if not firsts:
                raise ValueError("image-to-video needs a first-frame condition")
            kwargs["image"] = _pil(firsts[0].frames[-1])
        elif p.conditions:
            raise ValueError("text-to-video takes no frame conditions")
        with torch.inference_mode():
            video = pipe(**kwargs).frames
            return video_to_uint8(video)


def renderer_for(pipe: Any, preset: Preset) -> Renderer:
    if preset.family == "ltx":
        return LTXRenderer(pipe, preset)
    if preset.family == "wan":
        return WanRenderer(pipe, preset)
    raise ValueError(f"no renderer for family {preset.family!r}")
