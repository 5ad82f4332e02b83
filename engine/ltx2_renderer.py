"""LTX-2.x's render pass (LTX2ConditionPipeline: one model for picture and synchronized sound): frame
conditions at latent-aligned indices, re-noising a source clip for remix, and the distilled two-stage recipe
(8 sigmas at half size, latent upsample x2 with LTX2LatentUpsamplePipeline, 3 refining sigmas at full size,
the sound carried from stage 1 into stage 2).

The pipeline returns latents; this decodes the picture straight into uint8 frames and the sound through the
audio VAE and the vocoder. It plans nothing and writes no files.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from engine.conditioning import warn_if_truncated
from engine.footage import Footage
from engine.presets import Preset
from engine.renderers import Condition, OnStep, Renderer, RenderPass, linear_sigmas, video_to_uint8

log = logging.getLogger(__name__)

#: guidance off for a distilled model: no CFG, no spatio-temporal or modality guidance, no rescale
_NO_GUIDANCE: dict[str, float] = {
    "stg_scale": 0.0,
    "audio_stg_scale": 0.0,
    "modality_scale": 1.0,
    "audio_modality_scale": 1.0,
    "guidance_rescale": 0.0,
    "audio_guidance_rescale": 0.0,
}


class _GeneratorListFilter(logging.Filter):
    """LTX2ConditionPipeline warns on every call given one generator per variation; it uses the list for the
    noise (what fixes each variation's seed) and the first generator only to encode conditions."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "does not support using a list of generators" not in record.getMessage()


def _quiet_generator_warning() -> None:
    target = logging.getLogger("diffusers.pipelines.ltx2.pipeline_ltx2_condition")
    if not any(isinstance(f, _GeneratorListFilter) for f in target.filters):
        target.addFilter(_GeneratorListFilter())


class LTX2Renderer(Renderer):
    context_frames = 17  # 3 latent frames
    end_conditions = True
    init_video = True
    batches_keyframes = True  # keyframe tokens are expanded across the batch by the pipeline
    timed_prompts = True  # trained on chronological captions: a storyboard's cards are one pass, no chaining

    def __init__(self, pipe: Any, preset: Preset, upsampler: Any = None) -> None:
        super().__init__(pipe, preset)
        self.upsampler = upsampler
        self.two_stage = upsampler is not None
        self.temporal = int(getattr(pipe, "vae_temporal_compression_ratio", 8))
        _quiet_generator_warning()

    def keyframe_index(self, latest: int) -> int:
        """Conditions start on a latent frame: pixel 0, or 8k + 1."""
        if latest < 1:
            return 0
        return (latest - 1) // self.temporal * self.temporal + 1

    def render(self, p: RenderPass, seeds: list[int], on_step: OnStep) -> list[Footage]:
        import torch

        warn_if_truncated(getattr(self.pipe, "tokenizer", None), p.prompt, self.preset.max_sequence_length)
        generator = self._generators(seeds)
        two = p.two_stage and self.two_stage and p.init_frames is None
        with torch.inference_mode():
            if p.init_frames is not None:
                schedule = self.preset.renoise_schedule(p.strength, p.steps) or [p.strength]
                latents = self._encode(p.init_frames, p.frames)
                video, audio = self._denoise(p, p.width, p.height, generator, on_step, schedule, latents)
            elif not two:
                schedule = self.preset.schedule(p.steps) or linear_sigmas(p.steps)
                video, audio = self._denoise(p, p.width, p.height, generator, on_step, schedule)
            else:
                schedule = self.preset.schedule(p.steps) or linear_sigmas(p.steps)
                video, audio = self._denoise(p, p.width // 2, p.height // 2, generator, on_step, schedule)
                video = self._upsample(video)
                video, audio = self._denoise(p, p.width, p.height, generator, on_step,
                                             list(self.preset.stage2_sigmas), video, audio)  # fmt: skip
            frames = self._decode_video(video, generator)
            if not p.audio:
                return self._footage(frames)
            wave, rate = self._decode_audio(audio)
            return self._footage(frames, wave, rate)

    def _denoise(
        self,
        p: RenderPass,
        width: int,
        height: int,
        generator: Any,
        on_step: OnStep,
        sigmas: list[float],
        latents: Any = None,
        audio_latents: Any = None,
    ) -> tuple[Any, Any]:
        """One LTX2ConditionPipeline call. Given latents (unnormalised, as the VAE or upsampler makes them)
        are noised to sigmas[0] first. Returns (video latents (B, C, F, h, w), audio latents (B, C, L, M)),
        both unnormalised."""
        count = len(generator) if isinstance(generator, list) else 1
        kwargs: dict[str, Any] = {
            "prompt": p.prompt,
            "negative_prompt": p.negative or None,
            "width": width,
            "height": height,
            "num_frames": p.frames,
            "frame_rate": float(self.preset.fps),
            "sigmas": sigmas,
            "noise_scale": sigmas[0],
            "guidance_scale": p.guidance,
            "audio_guidance_scale": p.guidance,
            "num_videos_per_prompt": count,
            "generator": generator,
            "output_type": "latent",
            "return_dict": False,
            "max_sequence_length": self.preset.max_sequence_length,
            "callback_on_step_end": self._callback(on_step),
            **_NO_GUIDANCE,
        }
        if p.conditions:
            kwargs["conditions"] = [self._condition(c) for c in p.conditions]
        if latents is not None:
            kwargs["latents"] = latents
        if audio_latents is not None:
            kwargs["audio_latents"] = audio_latents
        video, audio = self.pipe(**kwargs)
        return video, audio

    def _condition(self, c: Condition) -> Any:
        from diffusers.pipelines.ltx2.pipeline_ltx2_condition import LTX2VideoCondition

        if c.index and (c.index - 1) % self.temporal:
            raise ValueError(f"LTX-2 conditions start on a latent frame (0 or 8k + 1), not {c.index}")
        latent_index = 0 if c.index == 0 else (c.index - 1) // self.temporal + 1
        frames = np.ascontiguousarray(c.frames)
        # single images are H.264-compressed by the pipeline itself at this CRF, as the model was trained
        return LTX2VideoCondition(
            frames=frames, index=latent_index, strength=c.strength, crf=self.preset.image_crf
        )

    def _upsample(self, latents: Any) -> Any:
        """Stage-1 video latents upsampled x2 in space (unnormalised in and out)."""
        from diffusers import LTX2LatentUpsamplePipeline

        up: Any = LTX2LatentUpsamplePipeline(vae=self.pipe.vae, latent_upsampler=self.upsampler)
        up.set_progress_bar_config(disable=True)
        return up(latents=latents, latents_normalized=False, output_type="latent", return_dict=False)[0]

    def _decode_video(self, latents: Any, generator: Any) -> np.ndarray:
        """Unnormalised video latents -> uint8 frames (the timestep-conditioned decoder, where the VAE has one,
        at the preset's decode timestep with its share of noise from the same generator)."""
        import torch
        from diffusers.utils.torch_utils import randn_tensor

        vae = self.pipe.vae
        latents = latents.to(vae.dtype)
        timestep = None
        if vae.config.timestep_conditioning:
            t = self.preset.decode_timestep
            scale = self.preset.decode_noise_scale if self.preset.decode_noise_scale is not None else t
            mean = vae.latents_mean.view(1, -1, 1, 1, 1).to(latents.device, latents.dtype)
            std = vae.latents_std.view(1, -1, 1, 1, 1).to(latents.device, latents.dtype)
            noise = randn_tensor(
                latents.shape, generator=generator, device=latents.device, dtype=latents.dtype
            )
            # the noise is mixed in the normalised space, as the pipeline does
            latents = ((1.0 - scale) * (latents - mean) / std + scale * noise) * std + mean
            timestep = torch.full((latents.shape[0],), t, device=latents.device, dtype=latents.dtype)
        video = vae.decode(latents, timestep, return_dict=False)[0]
        return video_to_uint8(video, channels_first=True, signed=True)

    def _decode_audio(self, latents: Any) -> tuple[np.ndarray, int]:
        """Audio latents -> waveforms (B, channels, samples) float32 and their sample rate."""
        audio_vae, vocoder = self.pipe.audio_vae, self.pipe.vocoder
        mel = audio_vae.decode(latents.to(audio_vae.dtype), return_dict=False)[0]
        wave = vocoder(mel.to(vocoder.dtype))
        rate = int(vocoder.config.output_sampling_rate)
        return wave.detach().to("cpu", dtype=_float32()).numpy(), rate

    def _encode(self, frames: np.ndarray, count: int) -> Any:
        """Source frames -> unnormalised VAE latents (the pipeline normalises given latents itself)."""
        import torch

        vae = self.pipe.vae
        x = torch.from_numpy(np.ascontiguousarray(frames[:count])).permute(3, 0, 1, 2).unsqueeze(0)
        x = x.to(self._device(), vae.dtype).div_(127.5).sub_(1.0)
        return vae.encode(x).latent_dist.mode().float()


def _float32() -> Any:
    import torch

    return torch.float32
