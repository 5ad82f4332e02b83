"""LTX-Video's render pass (LTXConditionPipeline, the silent draft tier): image and video conditions at any frame
index, re-noising a source clip for remix, and the two-stage recipe for large sizes (half size, latent
upsample x2 with LTXLatentUpsamplePipeline, a short refine at full size).

Schedules come from the preset (engine/preset.py): the distilled sigmas, a subset of them for fewer steps, and
for remix a start at sigma = strength. It plans nothing and writes no files.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.conditioning import prepare_image, warn_if_truncated
from engine.footage import Footage
from engine.presets import Preset
from engine.renderers import Condition, OnStep, Renderer, RenderPass, pil, video_to_uint8


def cut_schedule(sigmas: list[float]) -> tuple[list[float], float]:
    """Timesteps and the `denoise_strength` that make LTXConditionPipeline start its noise and its steps at
    sigmas[0]: it cuts int(n * strength) steps from the front and noises the latents to the first sigma
    left, so a dummy 1000 goes first and the strength cuts exactly that one."""
    timesteps = [1000.0] + [s * 1000.0 for s in sigmas]
    n = len(timesteps)
    return timesteps, (n - 0.5) / n


class LTXRenderer(Renderer):
    context_frames = 17  # 3 latent frames: enough motion for the continuation to pick up
    end_conditions = True
    init_video = True
    # LTXConditionPipeline encodes conditions at batch 1 and concatenates them with the batch's latents:
    # variations with a condition past frame 0 render one per call
    batches_keyframes = False

    def __init__(self, pipe: Any, preset: Preset, upsampler: Any = None) -> None:
        super().__init__(pipe, preset)
        self.upsampler = upsampler
        self.two_stage = upsampler is not None

    def render(self, p: RenderPass, seeds: list[int], on_step: OnStep) -> list[Footage]:
        import torch

        warn_if_truncated(getattr(self.pipe, "tokenizer", None), p.prompt, self.preset.max_sequence_length)
        generator = self._generators(seeds)
        two = p.two_stage and self.two_stage and p.init_frames is None
        with torch.inference_mode():
            if not two:
                latents = self._denoise(p, p.width, p.height, seeds, generator, on_step, self._stage1(p))
            else:
                half = self._denoise(
                    p, p.width // 2, p.height // 2, seeds, generator, on_step, self._stage1(p)
                )
                latents = self._refine(p, self._upsample(half), seeds, generator, on_step)
            return self._footage(self._decode(latents, generator))

    def _stage1(self, p: RenderPass) -> dict[str, Any]:
        schedule = self.preset.schedule(p.steps)
        if p.init_frames is not None:
            renoise = self.preset.renoise_schedule(p.strength, p.steps)
            latents = self._encode(p.init_frames, p.frames)
            if renoise is None:  # no trained schedule: the pipeline's own, cut by the strength
                return {"latents": latents, "num_inference_steps": p.steps,
                        "denoise_strength": max(1.0 / p.steps, min(1.0, p.strength))}  # fmt: skip
            timesteps, strength = cut_schedule(renoise)
            return {"latents": latents, "timesteps": timesteps, "denoise_strength": strength}
        if schedule is None:
            return {"num_inference_steps": p.steps}
        return {"timesteps": [s * 1000.0 for s in schedule]}

    def _denoise(
        self,
        p: RenderPass,
        width: int,
        height: int,
        seeds: list[int],
        generator: Any,
        on_step: OnStep,
        schedule: dict[str, Any],
    ) -> Any:
        """One LTXConditionPipeline call at width x height. Returns normalised latents (B, C, F, h, w)."""
        if p.init_frames is not None and len(seeds) != 1:
            raise ValueError("re-noising a source renders one variation per pass")
        preset = self.preset
        kwargs: dict[str, Any] = {
            "prompt": p.prompt,
            "negative_prompt": p.negative or None,
            "width": width,
            "height": height,
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
            **schedule,
        }
        if p.conditions:
            kwargs["conditions"] = [self._condition(c) for c in p.conditions]
        return self.pipe(**kwargs).frames

    def _condition(self, c: Condition) -> Any:
        from diffusers.pipelines.ltx.pipeline_ltx_condition import LTXVideoCondition

        if len(c.frames) == 1:
            image = prepare_image(c.frames[0], self.preset.image_crf, self.preset.image_blur)
            return LTXVideoCondition(image=pil(image), frame_index=c.index, strength=c.strength)
        return LTXVideoCondition(video=[pil(f) for f in c.frames], frame_index=c.index, strength=c.strength)

    def _upsample(self, latents: Any) -> Any:
        """Stage-1 latents upsampled x2 in space (normalised in and out), matched in statistics (AdaIN)."""
        from diffusers import LTXLatentUpsamplePipeline

        up: Any = LTXLatentUpsamplePipeline(vae=self.pipe.vae, latent_upsampler=self.upsampler)
        up.set_progress_bar_config(disable=True)
        return up(latents=latents, adain_factor=1.0, output_type="latent").frames

    def _refine(self, p: RenderPass, latents: Any, seeds: list[int], generator: Any, on_step: OnStep) -> Any:
        """Stage 2: the upsampled latents re-noised to the refine schedule's first sigma and denoised at full
        size under the same prompt and conditions."""
        timesteps, strength = cut_schedule(list(self.preset.stage2_sigmas))
        stage2 = {"latents": latents, "timesteps": timesteps, "denoise_strength": strength}
        if len(seeds) == 1:
            return self._denoise(p, p.width, p.height, seeds, generator, on_step, stage2)
        # the pipeline noises given latents with one generator per batch: refine each variation alone
        parts = [
            self._denoise(
                p,
                p.width,
                p.height,
                [s],
                self._generators([s]),
                on_step,
                {**stage2, "latents": latents[i : i + 1]},
            )  # fmt: skip
            for i, s in enumerate(seeds)
        ]
        import torch

        return torch.cat(parts)

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
