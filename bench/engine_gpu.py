"""`bench/engine.py --gpu`: the real LTX-2 (19B, picture + sound) and LTX-Video 2B architectures, built from their
published configs with random weights (nothing downloaded; the Gemma 3 / T5 text encoders are replaced by
stand-ins that return hidden states of their real shapes), timed through DiffusersEngine on a 768x512, 5 s
(121-frame) clip: first job and warm, plain bf16, fp8 weights, FirstBlockCache, torch.compile, and the LTX-2
two-stage recipe, with peak GPU memory. Every phase checks the time left, so the whole run stays inside its
budget (skipped phases say so).

`small=True` builds the same code path at toy sizes (the CPU smoke test of this module, not a benchmark).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

# LTX-Video 2B (0.9.5 and later) as published: transformer and the 0.9.5 VAE.
LTXV_2B_TRANSFORMER: dict[str, Any] = {
    "in_channels": 128, "out_channels": 128, "patch_size": 1, "patch_size_t": 1, "num_attention_heads": 32,
    "attention_head_dim": 64, "cross_attention_dim": 2048, "num_layers": 28, "caption_channels": 4096,
    "activation_fn": "gelu-approximate", "qk_norm": "rms_norm_across_heads", "norm_elementwise_affine": False,
    "norm_eps": 1e-6, "attention_bias": True, "attention_out_bias": True,
}  # fmt: skip
LTXV_095_VAE: dict[str, Any] = {
    "in_channels": 3, "out_channels": 3, "latent_channels": 128, "block_out_channels": (128, 256, 512, 1024, 2048),
    "down_block_types": ("LTXVideo095DownBlock3D",) * 4, "decoder_block_out_channels": (256, 512, 1024),
    "layers_per_block": (4, 6, 6, 2, 2), "decoder_layers_per_block": (5, 5, 5, 5),
    "spatio_temporal_scaling": (True, True, True, True), "decoder_spatio_temporal_scaling": (True, True, True),
    "decoder_inject_noise": (False, False, False, False),
    "downsample_type": ("spatial", "temporal", "spatiotemporal", "spatiotemporal"),
    "upsample_residual": (True, True, True), "upsample_factor": (2, 2, 2), "timestep_conditioning": True,
    "patch_size": 4, "patch_size_t": 1, "resnet_norm_eps": 1e-6, "scaling_factor": 1.0, "encoder_causal": True,
    "decoder_causal": False, "spatial_compression_ratio": 32, "temporal_compression_ratio": 8,
}  # fmt: skip
T5_XXL_WIDTH = 4096

# LTX-2 (19B) as published (diffusers' conversion script, version 2.0).
LTX2_TRANSFORMER: dict[str, Any] = {
    "in_channels": 128, "out_channels": 128, "patch_size": 1, "patch_size_t": 1, "num_attention_heads": 32,
    "attention_head_dim": 128, "cross_attention_dim": 4096, "audio_in_channels": 128, "audio_out_channels": 128,
    "audio_num_attention_heads": 32, "audio_attention_head_dim": 64, "audio_cross_attention_dim": 2048,
    "num_layers": 48, "caption_channels": 3840,
}  # fmt: skip
LTX2_VAE: dict[str, Any] = {
    "latent_channels": 128, "block_out_channels": (256, 512, 1024, 2048), "decoder_block_out_channels": (256, 512, 1024),
    "layers_per_block": (4, 6, 6, 2, 2), "decoder_layers_per_block": (5, 5, 5, 5), "timestep_conditioning": False,
    "patch_size": 4, "decoder_causal": False, "spatial_compression_ratio": 32, "temporal_compression_ratio": 8,
}  # fmt: skip
LTX2_CONNECTORS: dict[str, Any] = {
    "caption_channels": 3840, "text_proj_in_factor": 49, "video_connector_num_attention_heads": 30,
    "video_connector_attention_head_dim": 128, "video_connector_num_layers": 2,
    "video_connector_num_learnable_registers": 128, "audio_connector_num_attention_heads": 30,
    "audio_connector_attention_head_dim": 128, "audio_connector_num_layers": 2,
    "audio_connector_num_learnable_registers": 128, "connector_rope_base_seq_len": 4096,
}  # fmt: skip
LTX2_VOCODER: dict[str, Any] = {
    "in_channels": 128, "hidden_channels": 1024, "out_channels": 2, "upsample_kernel_sizes": [16, 15, 8, 4, 4],
    "upsample_factors": [6, 5, 2, 2, 2], "resnet_kernel_sizes": [3, 7, 11],
    "resnet_dilations": [[1, 3, 5], [1, 3, 5], [1, 3, 5]], "output_sampling_rate": 24000,
}  # fmt: skip
GEMMA3_12B = {"hidden": 3840, "layers": 48}

WIDTH, HEIGHT, SECONDS = 768, 512, 5
SMALL = (256, 128, 1)  # the smoke test's clip


def _stand_in_text_encoder(width: int, layers: int | None, device: Any, dtype: Any) -> Any:
    """A text encoder that returns fixed random hidden states of the real one's shapes (T5: the last hidden
    state; Gemma 3: every layer's, as the LTX-2 connectors read them). Costs nothing, downloads nothing."""
    import torch

    class StandIn(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.anchor = torch.nn.Parameter(torch.zeros(1, device=device, dtype=dtype), requires_grad=False)

        @property
        def dtype(self) -> Any:  # the pipelines read text_encoder.dtype (and .device to place inputs)
            return self.anchor.dtype

        @property
        def device(self) -> Any:
            return self.anchor.device

        def forward(
            self, input_ids: Any, attention_mask: Any = None, output_hidden_states: bool = False
        ) -> Any:
            g = torch.Generator(device=self.anchor.device).manual_seed(0)
            shape = (*input_ids.shape, width)

            def state() -> Any:
                return torch.randn(shape, generator=g, device=self.anchor.device, dtype=self.anchor.dtype)

            if layers is None:
                return (state(),)
            return type("Out", (), {"hidden_states": tuple(state() for _ in range(layers + 1))})()

    return StandIn().eval()


def build_ltxv_2b(device: str, dtype: Any, small: bool) -> tuple[Any, Any, Any]:
    """(pipeline, latent upsampler, preset) for LTX-Video 2B with random weights."""
    from diffusers import AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXConditionPipeline
    from diffusers import LTXVideoTransformer3DModel as Transformer
    from diffusers.pipelines.ltx.modeling_latent_upsampler import LTXLatentUpsamplerModel
    from transformers import T5Tokenizer

    from engine.presets import PRESETS
    from engine.tiny_vocab import t5_vocabulary

    t_cfg, v_cfg, width = dict(LTXV_2B_TRANSFORMER), dict(LTXV_095_VAE), T5_XXL_WIDTH
    up_cfg = {"in_channels": 128, "mid_channels": 512, "num_blocks_per_stage": 4}
    if small:
        t_cfg.update(num_layers=2, num_attention_heads=2, attention_head_dim=12, cross_attention_dim=24,
                     caption_channels=16, in_channels=8, out_channels=8)  # fmt: skip
        v_cfg.update(latent_channels=8, block_out_channels=(4, 8, 8, 16, 16), decoder_block_out_channels=(8, 16, 32),
                     layers_per_block=(0,) * 5, decoder_layers_per_block=(0,) * 4)  # fmt: skip
        up_cfg, width = {"in_channels": 8, "mid_channels": 32, "num_blocks_per_stage": 1}, 16
    with _building(device, dtype):
        pipe = LTXConditionPipeline(
            scheduler=FlowMatchEulerDiscreteScheduler(),
            vae=AutoencoderKLLTXVideo(**v_cfg).eval(),
            text_encoder=_stand_in_text_encoder(width, None, device, dtype),
            tokenizer=T5Tokenizer(vocab=t5_vocabulary(), extra_ids=0, model_max_length=256),
            transformer=Transformer(**t_cfg).eval(),
        )
        upsampler = LTXLatentUpsamplerModel(**up_cfg).eval()
    return pipe, upsampler, PRESETS["ltx-2b-distilled"]


def build_ltx2(device: str, dtype: Any, small: bool) -> tuple[Any, Any, Any]:
    """(pipeline, latent upsampler, preset) for LTX-2 (19B) with random weights."""
    from diffusers import (
        AutoencoderKLLTX2Audio,
        AutoencoderKLLTX2Video,
        FlowMatchEulerDiscreteScheduler,
        LTX2ConditionPipeline,
        LTX2VideoTransformer3DModel,
    )
    from diffusers.pipelines.ltx2 import LTX2LatentUpsamplerModel, LTX2TextConnectors, LTX2Vocoder
    from transformers import GemmaTokenizer

    from engine.presets import PRESETS
    from engine.tiny_vocab import gemma_vocabulary

    if small:  # the tiny model's own sizes
        from engine.tiny_model import build_tiny

        pipe, upsampler = build_tiny("tiny")
        pipe.text_encoder = _stand_in_text_encoder(16, 2, "cpu", dtype)
        return pipe.to(device), upsampler.to(device), PRESETS["ltx-2.5-distilled"]
    vocab, merges = gemma_vocabulary()
    with _building(device, dtype):
        pipe = LTX2ConditionPipeline(
            scheduler=FlowMatchEulerDiscreteScheduler(),
            vae=AutoencoderKLLTX2Video(**LTX2_VAE).eval(),
            audio_vae=AutoencoderKLLTX2Audio().eval(),
            text_encoder=_stand_in_text_encoder(GEMMA3_12B["hidden"], GEMMA3_12B["layers"], device, dtype),
            tokenizer=GemmaTokenizer(vocab=vocab, merges=merges, add_bos_token=True, model_max_length=1024),
            connectors=LTX2TextConnectors(**LTX2_CONNECTORS).eval(),
            transformer=LTX2VideoTransformer3DModel(**LTX2_TRANSFORMER).eval(),
            vocoder=LTX2Vocoder(**LTX2_VOCODER).eval(),
        )
        upsampler = LTX2LatentUpsamplerModel(
            in_channels=128, mid_channels=1024, num_blocks_per_stage=4
        ).eval()
    return pipe, upsampler, PRESETS["ltx-2.5-distilled"]


class _building:
    """Build modules straight on `device` in `dtype` (a 19B model never exists in float32 on the CPU)."""

    def __init__(self, device: str, dtype: Any) -> None:
        self.device, self.dtype = device, dtype

    def __enter__(self) -> None:
        import torch

        self._default = torch.get_default_dtype()
        self._ctx = torch.device(self.device)
        self._ctx.__enter__()
        torch.set_default_dtype(self.dtype)

    def __exit__(self, *exc: object) -> None:
        import torch

        torch.set_default_dtype(self._default)
        self._ctx.__exit__(*exc)


def run_gpu_suite(device: str, small: bool, budget_s: float) -> dict[str, Any]:
    """Every architecture and variant that fits in `budget_s`. Returns {arch: {variant: figures}}."""
    import torch

    deadline = time.monotonic() + budget_s
    dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
    results: dict[str, Any] = {"device": device}
    if device.startswith("cuda"):
        results["gpu"] = torch.cuda.get_device_name(0)
    # (name, builder, variants): compile last on a model, fp8 on a fresh build (casting cannot be undone)
    plans: list[tuple[str, Callable[..., Any], list[str]]] = [
        ("ltx-video-2b", build_ltxv_2b, ["plain", "first_block_cache", "compile", "fp8"]),
        ("ltx-2", build_ltx2, ["plain", "two_stage", "compile", "fp8", "fp8_two_stage"]),
    ]
    tmp = Path(tempfile.mkdtemp(prefix="reelbot-gpu-bench-"))
    for arch, build, variants in plans:
        figures: dict[str, Any] = {}
        results[arch] = figures
        engine = None
        for variant in variants:
            left = deadline - time.monotonic()
            need = 150.0 if (variant.startswith("fp8") or variant == "compile") and not small else 40.0
            if left < need:
                figures[variant] = {"skipped": f"{left:.0f} s left of the budget"}
                continue
            if small and variant == "compile":
                figures[variant] = {"skipped": "not in the CPU smoke test"}
                continue
            try:
                if engine is None or variant == "fp8":
                    engine = None  # free the last build before making the next (a 19B model twice is 76 GB)
                    _free(device)
                    engine = _engine(build, device, dtype, small, fp8=variant.startswith("fp8"))
                figures[variant] = _measure(engine, variant, tmp, small)
            except Exception as exc:  # one failed variant is a figure too; the rest still run
                figures[variant] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
                engine = None
            _free(device)
        engine = None
        _free(device)
    return results


def _free(device: str) -> None:
    import gc

    import torch

    gc.collect()
    if device.startswith("cuda"):
        torch.cuda.empty_cache()


def _engine(build: Callable[..., Any], device: str, dtype: Any, small: bool, fp8: bool) -> Any:
    import torch

    from engine.loader import quiet_library_output
    from engine.video_engine import DiffusersEngine

    quiet_library_output()
    started = time.monotonic()
    pipe, upsampler, preset = build(device, dtype, small)
    pipe.set_progress_bar_config(disable=True)
    if fp8:
        pipe.transformer.enable_layerwise_casting(storage_dtype=torch.float8_e4m3fn, compute_dtype=dtype)
    if device.startswith("cuda"):
        pipe.vae.enable_tiling()
    pipe.to(device)
    engine = DiffusersEngine(
        pipe, replace(preset, max_batch=1), device=device, upsampler=upsampler.to(device)
    )
    engine.build_s = time.monotonic() - started
    return engine


def _measure(engine: Any, variant: str, tmp: Path, small: bool) -> dict[str, Any]:
    """First job and warm job of one variant; its peak GPU memory."""
    import torch

    from engine.spec import EngineJob

    if variant == "first_block_cache":
        from diffusers.hooks import FirstBlockCacheConfig

        engine.pipe.transformer.enable_cache(FirstBlockCacheConfig(threshold=0.05))
    if variant == "compile":
        if engine.pipe.transformer.is_cache_enabled:
            engine.pipe.transformer.disable_cache()
        engine.pipe.transformer.compile_repeated_blocks(fullgraph=True)
    two = variant.endswith("two_stage")
    base = engine.preset
    engine.preset = replace(base, two_stage_from=1 if two else None)
    width, height, seconds = SMALL if small else (WIDTH, HEIGHT, SECONDS)
    cuda = engine.device.startswith("cuda")
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    out: dict[str, Any] = {"build_s": round(getattr(engine, "build_s", 0.0), 1)}
    try:
        for label in ("first", "warm"):
            job = EngineJob(job_id=f"{variant}-{label}", action="create", prompt="a cat walking on the beach",
                            width=width, height=height, seconds=seconds, seed=1, watermark=False, out_dir=tmp)  # fmt: skip
            if cuda:
                torch.cuda.synchronize()
            started = time.perf_counter()
            clip = engine.run(job, lambda f, e: None, lambda: False)
            if cuda:
                torch.cuda.synchronize()
            out[f"{label}_s"] = round(time.perf_counter() - started, 2)
            out[f"{label}_render_s"] = round(engine.last_timings["render_s"], 2)
        out["audio"] = clip.audio
    finally:
        engine.preset = base
        if variant == "first_block_cache":
            engine.pipe.transformer.disable_cache()
    if cuda:
        out["peak_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 1)
    return out
