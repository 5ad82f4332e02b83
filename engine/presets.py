"""The model presets Reelbot ships (which weights, which pipeline, what each can do, its licence), `auto`'s
choice by GPU memory, and the `reelbot presets` listing.

Plain data only (no torch import: the CLI imports this to list presets). The rules a preset's renders obey
are engine/preset.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from engine.preset import ALL_OPERATIONS, Preset

__all__ = ["PRESETS", "Preset", "AutoChoice", "choose_auto", "get_preset", "presets_json"]

#: LTX-2.x distilled: the eight trained sigmas of stage 1 and the three of the refining stage 2
#: (diffusers.pipelines.ltx2.utils.DISTILLED_SIGMA_VALUES / STAGE_2_DISTILLED_SIGMA_VALUES)
LTX2_SIGMAS: Final = (1.0, 0.99375, 0.9875, 0.98125, 0.975, 0.909375, 0.725, 0.421875)
LTX2_STAGE2_SIGMAS: Final = (0.909375, 0.725, 0.421875)
#: LTX-Video 0.9.8 distilled: the published timesteps [1000, 993, 987, 981, 975, 909, 725, 0.03] as sigmas,
#: and its video-to-video / refine schedule [1000, 909, 725, 421, 0] below the start
LTXV_SIGMAS: Final = (1.0, 0.993, 0.987, 0.981, 0.975, 0.909, 0.725, 0.00003)
LTXV_REFINE_SIGMAS: Final = (0.909, 0.725, 0.421, 0.0)
LTXV_NEGATIVE: Final = "worst quality, inconsistent motion, blurry, jittery, distorted"
WAN_NEGATIVE: Final = "blurry, low quality, static, distorted, watermark, text"

LTX2_LICENCE: Final = (
    "LTX-2 Community License: free below the revenue threshold it sets, with use restrictions an operator "
    "must pass on to members; larger commercial use needs a paid licence from Lightricks"
)
LTXV_LICENCE: Final = "LTX-Video Open Weights License (0.9.8): use restrictions an operator must pass on"
APACHE: Final = "Apache-2.0"
#: what the tiny models are: Reelbot's own random weights, built in code
TINY_LICENCE: Final = "Apache-2.0 (Reelbot's own random weights, built offline)"

_WAN_T2V_OPS: Final = frozenset({"create", "remix", "recut"})

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            name="tiny",
            family="ltx2",
            model_id="tiny",
            pipeline="LTX2ConditionPipeline",
            dtype="float32",
            fps=24,
            frame_step=8,
            size_multiple=32,
            max_render_pixels=864 * 480,
            max_frames=481,  # LTX-2 makes up to 20 s in one pass: no chained passes to drift
            steps=8,
            guidance=1.0,
            vram_gb=0.0,
            min_vram_gb=0.0,
            operations=ALL_OPERATIONS,
            licence=TINY_LICENCE,
            audio=True,
            sigmas=LTX2_SIGMAS,
            renoise_sigmas=LTX2_STAGE2_SIGMAS,
            two_stage_from=1280 * 720,
            stage2_sigmas=LTX2_STAGE2_SIGMAS,
            upsampler="",
            image_crf=18,
            max_sequence_length=128,
            first_block_cache=None,  # diffusers 0.42.1's FirstBlockCache has no hook for LTX-2's blocks
            max_batch=4,
            # noise-like frames are the encoder's worst case: "superfast" halves that cost, files still fit caps
            encoder_preset="superfast",
            description="LTX-2 architecture (joint video + audio) with random weights and tiny dimensions, built "
            "offline; makes noise-like clips with noise-like sound in seconds on a CPU to exercise the whole path",
        ),
        Preset(
            name="tiny-ltxv",
            family="ltx",
            model_id="tiny-ltxv",
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
            operations=ALL_OPERATIONS,
            licence=TINY_LICENCE,
            two_stage_from=1920 * 1080,
            stage2_sigmas=LTXV_REFINE_SIGMAS,
            upsampler="",
            decode_timestep=0.05,
            decode_noise_scale=0.025,
            image_crf=29,
            image_blur=0.5,
            max_sequence_length=64,
            max_batch=4,
            encoder_preset="superfast",
            description="LTX-Video 0.9.8 architecture (silent) with random weights and tiny dimensions, built "
            "offline: the draft tier's code path on a CPU",
        ),
        Preset(
            name="ltx-2.5-distilled",
            family="ltx2",
            model_id="Lightricks/LTX-2.5-Diffusers",
            pipeline="LTX2ConditionPipeline",
            dtype="bfloat16",
            fps=24,
            frame_step=8,
            size_multiple=32,
            max_render_pixels=864 * 480,
            max_frames=481,  # LTX-2 makes up to 20 s in one pass: no chained passes to drift
            steps=8,
            guidance=1.0,
            vram_gb=80.0,
            min_vram_gb=24.0,
            operations=ALL_OPERATIONS,
            licence=LTX2_LICENCE,
            audio=True,
            sigmas=LTX2_SIGMAS,
            renoise_sigmas=LTX2_STAGE2_SIGMAS,
            two_stage_from=1280 * 720,
            stage2_sigmas=LTX2_STAGE2_SIGMAS,
            upsampler="Lightricks/LTX-2.5-Diffusers",
            image_crf=18,
            max_sequence_length=1024,
            first_block_cache=None,  # diffusers 0.42.1's FirstBlockCache has no hook for LTX-2's blocks
            description="LTX-2.5 distilled: picture and synchronized sound in one pass, 8 steps without CFG; "
            "720p and 1080p in two stages (half size, latent upsample x2, 3 refining steps). Gated on the Hub: "
            "accept its licence and set HF_TOKEN",
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
            # T5-XXL's encoder alone is ~9.5 GB in bf16; with the 2B transformer and VAE resident, 20 GB
            vram_gb=20.0,
            min_vram_gb=12.0,
            operations=ALL_OPERATIONS,
            licence=LTXV_LICENCE,
            sigmas=LTXV_SIGMAS,
            renoise_sigmas=LTXV_REFINE_SIGMAS,
            two_stage_from=1920 * 1080,
            stage2_sigmas=LTXV_REFINE_SIGMAS,
            upsampler="Lightricks/ltxv-spatial-upscaler-0.9.7",
            decode_timestep=0.05,
            decode_noise_scale=0.025,
            image_crf=29,
            image_blur=0.5,
            max_sequence_length=256,
            max_batch=2,
            negative=LTXV_NEGATIVE,
            description="LTX-Video 0.9.8 2B distilled (silent, 8 steps, no CFG): the fast draft tier; 1080p in "
            "two stages. T5 text encoder from LTX-Video-0.9.5",
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
            vram_gb=48.0,
            min_vram_gb=24.0,
            operations=ALL_OPERATIONS,
            licence=LTXV_LICENCE,
            sigmas=LTXV_SIGMAS,
            renoise_sigmas=LTXV_REFINE_SIGMAS,
            two_stage_from=1920 * 1080,
            stage2_sigmas=LTXV_REFINE_SIGMAS,
            upsampler="Lightricks/ltxv-spatial-upscaler-0.9.7",
            decode_timestep=0.05,
            decode_noise_scale=0.025,
            image_crf=29,
            image_blur=0.5,
            max_sequence_length=256,
            max_batch=2,
            negative=LTXV_NEGATIVE,
            description="LTX-Video 0.9.8 13B distilled (silent, 8 steps, no CFG)",
        ),
        Preset(
            name="wan2.2-ti2v-5b",
            family="wan",
            model_id="Wan-AI/Wan2.2-TI2V-5B-Diffusers",
            pipeline="WanPipeline",
            dtype="bfloat16",
            fps=24,
            frame_step=4,
            size_multiple=32,
            max_render_pixels=1280 * 704,
            max_frames=121,
            steps=40,
            guidance=5.0,
            vram_gb=32.0,
            min_vram_gb=16.0,
            operations=_WAN_T2V_OPS,
            licence=APACHE,
            max_resolution="720p",
            max_sequence_length=512,
            negative=WAN_NEGATIVE,
            description="Wan 2.2 TI2V 5B (silent, Apache-2.0) at 720p, 24 fps; up to 5 s per clip",
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
            operations=_WAN_T2V_OPS,
            licence=APACHE,
            max_resolution="480p",
            max_sequence_length=512,
            flow_shift=3.0,
            negative=WAN_NEGATIVE,
            description="Wan 2.1 text-to-video 1.3B (silent) at 480p, 16 fps (interpolated to 24); up to 5 s",
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
            licence=APACHE,
            max_resolution="480p",
            max_sequence_length=512,
            flow_shift=3.0,
            negative=WAN_NEGATIVE,
            description="Wan 2.1 image-to-video 14B (silent) at 480p, 16 fps; animate, and extend by the last frame",
        ),
    )
}


@dataclass(frozen=True)
class AutoChoice:
    """What `auto` picked and with which memory options."""

    preset: str
    offload: str  # "none" | "model" | "group"
    fp8: bool
    reason: str


#: `auto`'s tiers, best first: (GPU memory at least, preset, offload, fp8, what it means)
AUTO_TIERS: Final[tuple[tuple[float, str, str, bool, str], ...]] = (
    (80.0, "ltx-2.5-distilled", "none", False, "everything resident in bf16"),
    (48.0, "ltx-2.5-distilled", "model", True, "fp8 transformer, text encoder offloaded between uses"),
    (24.0, "ltx-2.5-distilled", "group", True, "fp8 weights streamed in groups (slower)"),
    (20.0, "ltx-2b-distilled", "none", False, "the silent draft tier, resident"),
    (12.0, "ltx-2b-distilled", "model", False, "the silent draft tier, text encoder offloaded"),
)


def choose_auto(cuda_memory_gb: float | None) -> AutoChoice:
    """The best preset for a CUDA GPU with this much memory (None: no CUDA -> tiny)."""
    if cuda_memory_gb is None:
        return AutoChoice("tiny", "none", False, "no CUDA GPU: the offline tiny model")
    for least, name, offload, fp8, what in AUTO_TIERS:
        if cuda_memory_gb >= least:
            return AutoChoice(name, offload, fp8, f"{cuda_memory_gb:.0f} GB: {name}, {what}")
    return AutoChoice("tiny", "none", False, f"{cuda_memory_gb:.0f} GB is too small for a real preset")


def get_preset(name: str) -> Preset:
    """The preset called `name`; KeyError with the known names otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"unknown preset {name!r}; known: {', '.join(sorted(PRESETS))}, auto") from None


def preset_for_pipeline_class(class_name: str) -> Preset:
    """Defaults for a local diffusers folder whose model_index.json names `class_name`."""
    if class_name.startswith("LTX2"):
        return PRESETS["ltx-2.5-distilled"]
    if class_name.startswith("LTX"):
        return PRESETS["ltx-2b-distilled"]
    if class_name == "WanImageToVideoPipeline":
        return PRESETS["wan2.1-i2v-14b-480p"]
    if class_name.startswith("Wan"):
        return PRESETS["wan2.1-t2v-1.3b"]
    raise KeyError(f"no engine support for pipeline class {class_name!r}")


def presets_json() -> list[dict[str, Any]]:
    """`reelbot presets`: one object per preset (name, model id, audio, max resolution, min GPU memory in GB,
    licence, pipeline, description), in the table's order."""
    return [
        {
            "name": p.name,
            "model_id": p.model_id,
            "audio": p.audio,
            "max_resolution": p.max_resolution,
            "min_gpu_gb": p.min_vram_gb,
            "licence": p.licence,
            "pipeline": p.pipeline,
            "description": p.description,
        }
        for p in PRESETS.values()
    ]
