"""Model presets: which weights, which diffusers pipeline, and the rules each model's renders obey.

Plain data and arithmetic only (no torch import: the CLI imports this to list presets). The engine reads a
preset to pick render sizes and frame counts; `choose_auto` maps a GPU's memory to the best preset that fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Every operation a preset can support. "recut" trims without the model; extending needs conditioning.
ALL_OPERATIONS: frozenset[str] = frozenset(
    {"create", "animate", "remix", "blend", "recut", "loop", "storyboard", "extend"}
)


@dataclass(frozen=True)
class Preset:
    """A named model set-up. Sizes are render sizes; the encoder scales them to the exact output size."""

    name: str
    family: str  # "ltx" (LTXConditionPipeline) | "wan" (WanPipeline / WanImageToVideoPipeline)
    model_id: (
        str  # Hugging Face repo id (diffusers layout), or "tiny" (built offline, see engine/tiny_model.py)
    )
    pipeline: str  # diffusers pipeline class name
    dtype: str  # "bfloat16" | "float16" | "float32"
    fps: int  # the frame rate the model was trained at; clips are resampled to the job's fps
    frame_step: int  # frames must be frame_step * k + 1 (LTX 8, Wan 4)
    size_multiple: int  # render width and height must be multiples of this (LTX 32, Wan 16)
    max_render_pixels: int  # render sizes are scaled down (aspect kept) to at most this many pixels
    max_frames: int  # longest single pass; longer clips are rendered as chained segments
    steps: int
    guidance: float
    vram_gb: float  # GPU memory for a 5 s clip with everything resident (bf16, VAE tiling)
    min_vram_gb: float  # the same with model offload + fp8 layerwise casting
    operations: frozenset[str]
    #: custom sigma schedule (x1000) for timestep-distilled models; None = the pipeline's default schedule
    timesteps: tuple[float, ...] | None = None
    #: one .safetensors file holding transformer + VAE; model_id then supplies text encoder, tokenizer, scheduler
    single_file: str | None = None
    decode_timestep: float = 0.0
    decode_noise_scale: float | None = None
    image_cond_noise_scale: float = 0.0
    max_sequence_length: int = 128
    flow_shift: float | None = None  # Wan: UniPC flow shift (3.0 for 480p, 5.0 for 720p)
    #: FirstBlockCache threshold used when the cache is switched on; None = the model does not support it
    first_block_cache: float | None = 0.05
    max_batch: int = 1  # variations rendered in one batch (num_videos_per_prompt)
    #: x264 speed preset for this model's clips (smooth real footage encodes fast at "veryfast")
    encoder_preset: str = "veryfast"
    negative: str = ""
    description: str = ""
    rank: int = 0  # `auto` prefers the highest rank that fits

    def supports(self, operation: str) -> bool:
        return operation in self.operations

    def render_size(self, width: int, height: int) -> tuple[int, int]:
        """Render (width, height) for an output size: same aspect, within max_render_pixels, multiples of
        size_multiple, rounded to the nearest multiple (the encoder scales and crops to the exact size)."""
        if width <= 0 or height <= 0:
            raise ValueError(f"bad size {width}x{height}")
        scale = min(1.0, math.sqrt(self.max_render_pixels / (width * height)))
        m = self.size_multiple
        rw = max(m, round(width * scale / m) * m)
        rh = max(m, round(height * scale / m) * m)
        return rw, rh

    def valid_frames(self, frames: int) -> int:
        """The smallest frame count >= frames the model accepts (k * frame_step + 1)."""
        frames = max(1, frames)
        k = math.ceil((frames - 1) / self.frame_step)
        return k * self.frame_step + 1

    def native_frames(self, seconds: float) -> int:
        """Frames at the model's own fps that cover `seconds`."""
        return max(1, math.ceil(seconds * self.fps - 1e-9))


_LTX_OPS = ALL_OPERATIONS
_LTX_DISTILLED_TIMESTEPS = (1000.0, 993.0, 987.0, 981.0, 975.0, 909.0, 725.0, 0.03)

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            name="tiny",
            family="ltx",
            model_id="tiny",
            pipeline="LTXConditionPipeline",
            dtype="float32",
            fps=24,
            frame_step=8,
            size_multiple=32,
            max_render_pixels=864 * 480,
            max_frames=257,
            steps=8,
            guidance=1.0,
            vram_gb=0.0,
            min_vram_gb=0.0,
            operations=_LTX_OPS,
            decode_timestep=0.05,
            decode_noise_scale=0.025,
            image_cond_noise_scale=0.0,
            max_sequence_length=64,
            max_batch=4,
            # noise-like frames are the encoder's worst case: "superfast" halves that cost, files still fit caps
            encoder_preset="superfast",
            description="LTX-Video architecture with random weights and tiny dimensions, built offline; "
            "makes noise-like clips in seconds on a CPU to exercise the whole path",
            rank=0,
        ),
        Preset(
            name="ltx-2b-distilled",
            family="ltx",
            model_id="Lightricks/LTX-Video-0.9.5",
            single_file="https://huggingface.co/Lightricks/LTX-Video/blob/main/ltxv-2b-0.9.8-distilled.safetensors",
            pipeline="LTXConditionPipeline",
            dtype="bfloat16",
            fps=24,
            frame_step=8,
            size_multiple=32,
            max_render_pixels=1216 * 704,
            max_frames=257,
            steps=8,
            guidance=1.0,
            timesteps=_LTX_DISTILLED_TIMESTEPS,
            vram_gb=20.0,
            min_vram_gb=10.0,
            operations=_LTX_OPS,
            decode_timestep=0.05,
            decode_noise_scale=0.025,
            image_cond_noise_scale=0.0,
            max_batch=2,
            negative="worst quality, inconsistent motion, blurry, jittery, distorted",
            description="LTX-Video 0.9.8 2B distilled (8 steps, no CFG); T5 text encoder from LTX-Video-0.9.5",
            rank=20,
        ),
        Preset(
            name="ltx-13b-distilled",
            family="ltx",
            model_id="Lightricks/LTX-Video-0.9.8-13B-distilled",
            pipeline="LTXConditionPipeline",
            dtype="bfloat16",
            fps=24,
            frame_step=8,
            size_multiple=32,
            max_render_pixels=1216 * 704,
            max_frames=257,
            steps=8,
            guidance=1.0,
            timesteps=_LTX_DISTILLED_TIMESTEPS,
            vram_gb=48.0,
            min_vram_gb=24.0,
            operations=_LTX_OPS,
            decode_timestep=0.05,
            decode_noise_scale=0.025,
            image_cond_noise_scale=0.0,
            max_batch=2,
            negative="worst quality, inconsistent motion, blurry, jittery, distorted",
            description="LTX-Video 0.9.8 13B distilled (8 steps, no CFG)",
            rank=30,
        ),
        Preset(
            name="wan2.1-t2v-1.3b",
            family="wan",
            model_id="Wan-AI/Wan2.1-T2V-1.3B-Diffusers",
            pipeline="WanPipeline",
            dtype="bfloat16",
            fps=16,
            frame_step=4,
            size_multiple=16,
            max_render_pixels=832 * 480,
            max_frames=81,
            steps=30,
            guidance=5.0,
            vram_gb=16.0,
            min_vram_gb=8.5,
            operations=frozenset({"create", "remix", "recut"}),
            max_sequence_length=512,
            flow_shift=3.0,
            first_block_cache=0.05,
            negative="blurry, low quality, static, distorted, watermark, text",
            description="Wan 2.1 text-to-video 1.3B at 480p, 16 fps (resampled to 24); up to ~5 s per clip",
            rank=10,
        ),
        Preset(
            name="wan2.1-i2v-14b-480p",
            family="wan",
            model_id="Wan-AI/Wan2.1-I2V-14B-480P-Diffusers",
            pipeline="WanImageToVideoPipeline",
            dtype="bfloat16",
            fps=16,
            frame_step=4,
            size_multiple=16,
            max_render_pixels=832 * 480,
            max_frames=81,
            steps=30,
            guidance=5.0,
            vram_gb=60.0,
            min_vram_gb=24.0,
            operations=frozenset({"animate", "recut", "extend"}),
            max_sequence_length=512,
            flow_shift=3.0,
            first_block_cache=0.05,
            negative="blurry, low quality, static, distorted, watermark, text",
            description="Wan 2.1 image-to-video 14B at 480p, 16 fps; animate, and extend by the last frame",
            rank=5,
        ),
    )
}

#: Presets `auto` may pick: only those that can do every action the bot offers.
AUTO_CANDIDATES: tuple[str, ...] = ("ltx-13b-distilled", "ltx-2b-distilled")


@dataclass(frozen=True)
class AutoChoice:
    """What `auto` picked and with which memory options."""

    preset: str
    offload: str  # "none" | "model" | "group"
    fp8: bool
    reason: str


def choose_auto(cuda_memory_gb: float | None) -> AutoChoice:
    """The best preset for a CUDA GPU with this much memory (None: no CUDA -> tiny)."""
    if cuda_memory_gb is None:
        return AutoChoice("tiny", "none", False, "no CUDA GPU: the offline tiny model")
    ranked = sorted((PRESETS[n] for n in AUTO_CANDIDATES), key=lambda p: -p.rank)
    for p in ranked:
        if p.vram_gb <= cuda_memory_gb:
            return AutoChoice(p.name, "none", False, f"{cuda_memory_gb:.0f} GB fits {p.name} resident")
    for p in ranked:
        if p.min_vram_gb <= cuda_memory_gb:
            return AutoChoice(
                p.name, "model", True, f"{cuda_memory_gb:.0f} GB fits {p.name} with offload + fp8"
            )
    return AutoChoice("tiny", "none", False, f"{cuda_memory_gb:.0f} GB is too small for a real preset")


def get_preset(name: str) -> Preset:
    """The preset called `name`; KeyError with the known names otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown preset {name!r}; known: {', '.join(sorted(PRESETS))}, auto") from None


def preset_for_pipeline_class(class_name: str) -> Preset:
    """Defaults for a local diffusers folder whose model_index.json names `class_name`."""
    if class_name.startswith("LTX"):
        return PRESETS["ltx-2b-distilled"]
    if class_name == "WanImageToVideoPipeline":
        return PRESETS["wan2.1-i2v-14b-480p"]
    if class_name.startswith("Wan"):
        return PRESETS["wan2.1-t2v-1.3b"]
    raise KeyError(f"no engine support for pipeline class {class_name!r}")
