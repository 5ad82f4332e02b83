"""LTX-Video's render pass (LTXConditionPipeline, the silent draft tier): image and video conditions at any frame
index, re-noising a source clip for remix, the two-stage recipe for large sizes (half size, latent upsample x2
with LTXLatentUpsamplePipeline, a short refine at full size), and long clips and storyboards as ONE latent
sequence in sliding windows, one prompt each (LTXI2VLongMultiPromptPipeline over the same components).

Schedules come from the preset (engine/preset.py): the distilled sigmas, a subset of them for fewer steps, and
for remix a start at sigma = strength. It plans nothing and writes no files.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.conditioning import prepare_image, warn_if_truncated
from engine.footage import Footage
from engine.presets import Preset
from engine.renderers import Condition, OnStep, Renderer, RenderPass, linear_sigmas, pil, video_to_uint8

#: how strongly a window is held to the latent frames it shares with the one before (1 = copied, 0 = free):
#: the pipeline's default, which leaves the new prompt room to take over across the overlap
OVERLAP_STRENGTH = 0.5
#: how far each later window's latent statistics are pulled toward the first window's (AdaIN): what keeps
#: colour and exposure from drifting across windows (the pipeline's default)
ADAIN_FACTOR = 0.25


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
    sliding_windows = True  # LTXI2VLongMultiPromptPipeline: one latent sequence, a prompt per window

    def __init__(self, pipe: Any, preset: Preset, upsampler: Any = None) -> None:
        super().__init__(pipe, preset)
        self.upsampler = upsampler
        self.two_stage = upsampler is not None
        self._long: Any = None

    def render(self, p: RenderPass, seeds: list[int], on_step: OnStep) -> list[Footage]:
        import torch

        warn_if_truncated(getattr(self.pipe, "tokenizer", None), p.prompt, self.preset.max_sequence_length)
        generator = self._generators(seeds)
        two = p.two_stage and self.two_stage and p.init_frames is None
        with torch.inference_mode():
            if p.windows is not None:
                return self._footage(self._decode(self._windows(p, seeds, on_step, two), generator))
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

    def _windows(self, p: RenderPass, seeds: list[int], on_step: OnStep, two: bool) -> Any:
        """The whole clip denoised in sliding windows (p.windows), each under its own prompt, every window
        after the first conditioned on the previous one's last latent frames and cross-faded into them in
        latent space; an image on frame 0 is the first frame's condition (and each window's reference). Two
        stages: the windows at half size, then the latents upsampled x2 (no refine: the long pipeline cannot
        re-noise given latents). Returns normalised latents (1, C, F, h, w). Raises ValueError for more than
        one seed (the pipeline renders one) or a condition other than a first-frame image."""
        win = p.windows
        assert win is not None
        if len(seeds) != 1:
            raise ValueError("a windowed render makes one variation per call")
        images = [c for c in p.conditions if c.index == 0 and len(c.frames) == 1]
        if len(images) != len(p.conditions):
            raise ValueError("a windowed render takes only an image on frame 0")
        for prompt in dict.fromkeys(win.prompts):
            warn_if_truncated(getattr(self.pipe, "tokenizer", None), prompt, self.preset.max_sequence_length)
        width, height = (p.width // 2, p.height // 2) if two else (p.width, p.height)
        step = self.preset.frame_step
        kwargs: dict[str, Any] = {
            "prompt": win.prompts[0],
            "prompt_segments": win.segments(),
            "negative_prompt": p.negative or None,
            "width": width,
            "height": height,
            "num_frames": win.frames,
            "frame_rate": self.preset.fps,
            "guidance_scale": p.guidance,
            # the trained sigmas as they are (no shift), ending on the clean 0 the scheduler steps to
            "sigmas": [*(self.preset.schedule(p.steps) or linear_sigmas(p.steps)), 0.0],
            "skip_steps_sigma_threshold": None,
            "seed": int(seeds[0]),  # each window draws its noise from seed + its first latent frame
            "temporal_tile_size": win.tile * step,
            "temporal_overlap": win.overlap * step,
            "temporal_overlap_cond_strength": OVERLAP_STRENGTH,
            "adain_factor": ADAIN_FACTOR,
            "output_type": "latent",
            "max_sequence_length": self.preset.max_sequence_length,
            "callback_on_step_end": self._callback(on_step),
        }
        if images:
            c = images[0]
            image = prepare_image(c.frames[0], self.preset.image_crf, self.preset.image_blur)
            kwargs["cond_image"] = pil(image)
            kwargs["cond_strength"] = c.strength
        latents = self._long_pipeline()(**kwargs).frames
        if latents.shape[2] != win.latent:
            raise RuntimeError(f"the long pipeline made {latents.shape[2]} latent frames, not {win.latent}")
        return self._upsample(latents) if two else latents

    def _long_pipeline(self) -> Any:
        """LTXI2VLongMultiPromptPipeline over this renderer's own transformer, VAE and text encoder (no second
        copy of the weights), with a deterministic Euler step (the ancestral scheduler at eta 0, which takes
        the sigmas as given)."""
        if self._long is None:
            from diffusers import LTXEulerAncestralRFScheduler, LTXI2VLongMultiPromptPipeline

            pipe = self.pipe
            scheduler = LTXEulerAncestralRFScheduler(
                num_train_timesteps=pipe.scheduler.config.num_train_timesteps, eta=0.0
            )
            self._long = LTXI2VLongMultiPromptPipeline(
                scheduler=scheduler,
                vae=pipe.vae,
                text_encoder=pipe.text_encoder,
                tokenizer=pipe.tokenizer,
                transformer=pipe.transformer,
            )
            self._long.set_progress_bar_config(disable=True)
        return self._long

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
