"""One model preset: which weights and pipeline, and the rules its renders obey (sizes, frame counts, the
trained step schedules, one or two stages, sound).

Plain data and arithmetic only (no torch import: the CLI reads presets to list them). The table of presets is
engine/presets.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Every operation a preset can support. "recut" trims without the model; extending needs conditioning.
ALL_OPERATIONS: frozenset[str] = frozenset(
    {"create", "animate", "remix", "blend", "recut", "loop", "storyboard", "extend"}
)
#: what a two-stage render's full-size stage may be at most (1080p rounded up to the 64-pixel grid)
MAX_TWO_STAGE_PIXELS = 1920 * 1088


@dataclass(frozen=True)
class Preset:
    """A named model set-up. Sizes are render sizes; the encoder scales them to the exact output size.
    Step schedules are sigmas (1.0 = pure noise, 0.0 = clean)."""

    name: str
    family: str  # "ltx2" (LTX2ConditionPipeline) | "ltx" (LTXConditionPipeline) | "wan" (Wan pipelines)
    model_id: str  # Hugging Face repo id (diffusers layout), or "tiny" / "tiny-ltxv" (built offline)
    pipeline: str  # diffusers pipeline class name
    dtype: str  # "bfloat16" | "float16" | "float32"
    fps: int  # the frame rate the model was trained at; clips are converted to the job's fps
    frame_step: int  # frames must be frame_step * k + 1 (LTX 8, Wan 4)
    size_multiple: int  # render width and height must be multiples of this (LTX 32, Wan 16)
    max_render_pixels: int  # one-stage render sizes are scaled down (aspect kept) to at most this many pixels
    max_frames: int  # longest single pass; longer clips are rendered as chained segments
    steps: int
    guidance: float
    vram_gb: float  # GPU memory for a 5 s clip with everything resident (bf16, VAE tiling)
    min_vram_gb: float  # the least GPU memory it runs in (fp8 weights, offload)
    operations: frozenset[str]
    licence: str = ""
    audio: bool = False  # the model makes sound with the picture
    max_resolution: str = "1080p"
    #: the distilled sigma schedule the model was trained on; None = the pipeline's default schedule
    sigmas: tuple[float, ...] | None = None
    #: re-noising a source (remix): the trained sigmas below the start point (start = the strength)
    renoise_sigmas: tuple[float, ...] | None = None
    #: two-stage renders (half size, latent upsample x2, refine): from this many output pixels up; None = never
    two_stage_from: int | None = None
    stage2_sigmas: tuple[float, ...] = ()
    #: the spatial latent upsampler: a Hub repo (or "" = inside the model folder) and its subfolder
    upsampler: str | None = None
    upsampler_subfolder: str = "latent_upsampler"
    #: one .safetensors file holding transformer + VAE; model_id then supplies text encoder, tokenizer, scheduler
    single_file: str | None = None
    decode_timestep: float = 0.0
    decode_noise_scale: float | None = None
    image_cond_noise_scale: float = 0.0
    #: an image condition is H.264-compressed at this CRF first (the model was trained on compressed frames);
    #: 0 = as uploaded
    image_crf: int = 0
    #: ... and blurred by this Gaussian radius in pixels (LTX-Video's own image-to-video preprocessing)
    image_blur: float = 0.0
    max_sequence_length: int = 128
    flow_shift: float | None = None  # Wan: UniPC flow shift (3.0 for 480p, 5.0 for 720p)
    #: FirstBlockCache threshold used when the cache is switched on; None = the model does not support it
    first_block_cache: float | None = 0.05
    max_batch: int = 1  # variations rendered in one batch (num_videos_per_prompt)
    #: x264 speed preset for this model's clips (smooth real footage encodes fast at "veryfast")
    encoder_preset: str = "veryfast"
    negative: str = ""
    description: str = ""

    def supports(self, operation: str) -> bool:
        return operation in self.operations

    def two_stage(self, width: int, height: int) -> bool:
        """Whether an output of this size renders in two stages (the model's own recipe for large sizes)."""
        return self.two_stage_from is not None and width * height >= self.two_stage_from

    def render_cap(self, width: int, height: int) -> int:
        """The most pixels a render for this output size may have."""
        return MAX_TWO_STAGE_PIXELS if self.two_stage(width, height) else self.max_render_pixels

    def render_size(self, width: int, height: int) -> tuple[int, int]:
        """Render (width, height) for an output size: same aspect, rounded to the nearest multiple of
        size_multiple (two stages: of twice that, so the half-size stage is valid too), within
        max_render_pixels (two stages: MAX_TWO_STAGE_PIXELS). The encoder scales and crops to the exact size."""
        if width <= 0 or height <= 0:
            raise ValueError(f"bad size {width}x{height}")
        cap = self.render_cap(width, height)
        m = self.size_multiple * (2 if self.two_stage(width, height) else 1)
        scale = min(1.0, math.sqrt(cap / (width * height)))
        rw = max(m, round(width * scale / m) * m)
        rh = max(m, round(height * scale / m) * m)
        while rw * rh > cap * 1.1:  # rounding up both sides can overshoot the cap: step the longer one down
            if rw >= rh:
                rw -= m
            else:
                rh -= m
        return rw, rh

    def valid_frames(self, frames: int) -> int:
        """The smallest frame count >= frames the model accepts (k * frame_step + 1)."""
        frames = max(1, frames)
        k = math.ceil((frames - 1) / self.frame_step)
        return k * self.frame_step + 1

    def native_frames(self, seconds: float) -> int:
        """Frames at the model's own fps that cover `seconds`."""
        return max(1, math.ceil(seconds * self.fps - 1e-9))

    def schedule(self, steps: int) -> list[float] | None:
        """The sigmas of a `steps`-step render: the trained distilled schedule, or `steps` of its entries
        (first and last kept, the rest evenly picked) when fewer are asked; more than it has is the whole
        schedule (a distilled model was trained on exactly these). None for a model without one."""
        if self.sigmas is None:
            return None
        full = list(self.sigmas)
        if steps >= len(full):
            return full
        if steps <= 1:
            return full[:1]
        picks = [round(i * (len(full) - 1) / (steps - 1)) for i in range(steps)]
        return [full[i] for i in picks]

    def renoise_schedule(self, strength: float, steps: int) -> list[float] | None:
        """Sigmas for re-noising a source by `strength` (0..1): start at sigma = strength, so 1 - strength
        of the source is kept, then the model's trained sigmas below it. None without a trained schedule."""
        tail = self.renoise_sigmas or tuple(self.schedule(steps) or ())
        if not tail:
            return None
        start = min(1.0, max(0.02, strength))
        return [start] + [s for s in tail if s < start - 0.02]
