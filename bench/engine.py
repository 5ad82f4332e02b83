"""Engine benchmark on the tiny model: wall time per action for a 480p (854x480) 5 s clip, the wrapper's
overhead against a bare diffusers LTXConditionPipeline call doing the same work, and H.264 encode cost.

Run standalone: `.venv/bin/python bench/engine.py [--repeat 3] [--data-dir DIR]`. Prints a table, then as
its very last line one JSON object of the headline figures.

`--gpu` times the real LTX-Video 2B architecture instead (transformer and VAE built from their published
configs with random weights, so nothing is downloaded; the T5 encoder is replaced by random prompt
embeddings of its shape) for a 768x512 5 s clip at the distilled 8 steps, plain, with FirstBlockCache and
with torch.compile. It needs a CUDA GPU and says so otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from engine.spec import EngineJob  # noqa: E402

WIDTH, HEIGHT, SECONDS, FPS = 854, 480, 5, 24

# LTX-Video 2B (0.9.5 and later) as published: transformer and the 0.9.5 VAE.
LTX_2B_TRANSFORMER: dict[str, Any] = {
    "in_channels": 128,
    "out_channels": 128,
    "patch_size": 1,
    "patch_size_t": 1,
    "num_attention_heads": 32,
    "attention_head_dim": 64,
    "cross_attention_dim": 2048,
    "num_layers": 28,
    "caption_channels": 4096,
    "activation_fn": "gelu-approximate",
    "qk_norm": "rms_norm_across_heads",
    "norm_elementwise_affine": False,
    "norm_eps": 1e-6,
    "attention_bias": True,
    "attention_out_bias": True,
}
LTX_095_VAE: dict[str, Any] = {
    "in_channels": 3,
    "out_channels": 3,
    "latent_channels": 128,
    "block_out_channels": (128, 256, 512, 1024, 2048),
    "down_block_types": ("LTXVideo095DownBlock3D",) * 4,
    "decoder_block_out_channels": (256, 512, 1024),
    "layers_per_block": (4, 6, 6, 2, 2),
    "decoder_layers_per_block": (5, 5, 5, 5),
    "spatio_temporal_scaling": (True, True, True, True),
    "decoder_spatio_temporal_scaling": (True, True, True),
    "decoder_inject_noise": (False, False, False, False),
    "downsample_type": ("spatial", "temporal", "spatiotemporal", "spatiotemporal"),
    "upsample_residual": (True, True, True),
    "upsample_factor": (2, 2, 2),
    "timestep_conditioning": True,
    "patch_size": 4,
    "patch_size_t": 1,
    "resnet_norm_eps": 1e-6,
    "scaling_factor": 1.0,
    "encoder_causal": True,
    "decoder_causal": False,
    "spatial_compression_ratio": 32,
    "temporal_compression_ratio": 8,
}
T5_XXL_WIDTH = 4096
DISTILLED_TIMESTEPS = [1000.0, 993.0, 987.0, 981.0, 975.0, 909.0, 725.0, 0.03]


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _machine() -> str:
    return f"{platform.machine()} {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}"


# --------------------------------------------------------------------------------------------- CPU / tiny


def _bare_create(pipe: Any, seed: int, steps: int, x264: str) -> tuple[float, float, np.ndarray]:
    """What a user of diffusers alone writes: one pipeline call, then a plain PyAV H.264 encode of the same
    854x480 5 s clip (crop of the 864x480 render, libx264 with the engine's preset, crf 21, faststart)."""
    import av
    import torch

    render_w = 864
    pipe_s, video = _timed(
        lambda: pipe(
            prompt="a cat walking on the beach at sunset",
            width=render_w,
            height=HEIGHT,
            num_frames=SECONDS * FPS + 1,
            frame_rate=FPS,
            num_inference_steps=steps,
            guidance_scale=1.0,
            decode_timestep=0.05,
            decode_noise_scale=0.025,
            image_cond_noise_scale=0.0,
            max_sequence_length=64,
            generator=torch.Generator().manual_seed(seed),
            output_type="np",
        ).frames[0]
    )

    def encode() -> np.ndarray:
        frames = (video[: SECONDS * FPS, :, 5 : 5 + WIDTH] * 255 + 0.5).astype(np.uint8)
        with (
            tempfile.TemporaryDirectory() as tmp,
            av.open(f"{tmp}/bare.mp4", "w", options={"movflags": "+faststart"}) as out,
        ):
            stream = out.add_stream("libx264", rate=FPS)
            stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
            stream.time_base = Fraction(1, FPS)
            stream.options = {"preset": x264, "crf": "21", "g": str(2 * FPS)}
            for i, pixels in enumerate(frames):
                frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
                frame.pts = i
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        return frames

    encode_s, frames = _timed(encode)
    return pipe_s, encode_s, frames


def run_cpu(repeat: int, data_dir: Path | None) -> dict[str, Any]:
    from diffusers import LTXConditionPipeline

    from engine.encoder import encode_video, provenance
    from engine.tiny_model import ensure_tiny_model
    from engine.video_engine import DiffusersEngine

    tmp = tempfile.TemporaryDirectory(prefix="reelbot-bench-")
    root = Path(tmp.name)
    data = data_dir or root / "data"
    load_s, engine = _timed(lambda: DiffusersEngine.load("tiny", data_dir=data))
    bare = LTXConditionPipeline.from_pretrained(ensure_tiny_model(data))
    bare.set_progress_bar_config(disable=True)
    steps = engine.steps

    def job(action: str, n: int, **kw: Any) -> EngineJob:
        values: dict[str, Any] = {"job_id": f"{action}-{n}", "action": action, "width": WIDTH, "height": HEIGHT,
                                  "prompt": "a cat walking on the beach at sunset", "seconds": SECONDS,
                                  "seed": 100 + n, "watermark": False, "out_dir": root / "clips"}  # fmt: skip
        values.update(kw)
        return EngineJob(**values)

    def engine_run(j: EngineJob) -> Any:
        return engine.run(j, lambda f, e: None, lambda: False)

    # warm-up (first-call allocations, oneDNN kernel choice) for both, not timed
    engine_run(job("create", 0, seconds=1))
    _bare_create(bare, 0, 1, engine.encoder_preset)

    # Headline and overhead: engine and bare calls interleaved, so load from other work hits both alike.
    engine_s, engine_render_s, bare_pipe_s, bare_encode_s = [], [], [], []
    for r in range(repeat):
        seconds, clip = _timed(lambda r=r: engine_run(job("create", r + 1)))
        engine_s.append(seconds)
        engine_render_s.append(engine.last_timings["render_s"])
        p, e, frames = _bare_create(bare, r + 1, steps, engine.encoder_preset)
        bare_pipe_s.append(p)
        bare_encode_s.append(e)
    source = clip.paths[0]
    create_s = statistics.median(engine_s)
    bare_s = statistics.median(p + e for p, e in zip(bare_pipe_s, bare_encode_s, strict=True))

    # Encode cost: the engine's writer on a rendered 5 s clip (crop + watermark + H.264 + faststart +
    # metadata, 10 MB cap), with the engine's x264 preset and, for reference, with "veryfast".
    def encode(preset: str, r: int) -> float:
        path = root / "clips" / f"encode-{preset}-{r}.mp4"
        return _timed(
            lambda: encode_video(
                lambda: iter(frames),
                path,
                width=WIDTH,
                height=HEIGHT,
                fps=FPS,
                frame_count=len(frames),
                metadata=provenance("tiny", "bench", "x"),
                watermark=True,
                max_bytes=10 * 2**20,
                preset=preset,
            )  # fmt: skip
        )[0]

    encode_ms_per_s = (
        statistics.median(encode(engine.encoder_preset, r) for r in range(repeat)) * 1000 / SECONDS
    )
    veryfast_ms_per_s = encode("veryfast", 0) * 1000 / SECONDS

    # Every action once more at 480p 5 s (edits take the create clip as their source).
    second = engine_run(job("create", 50, seconds=2, prompt="a city street at night")).paths[0]
    image = root / "still.png"
    from PIL import Image

    Image.fromarray(frames[0]).save(image)
    actions: dict[str, Callable[[], Any]] = {
        "animate": lambda: engine_run(job("animate", 60, images=[image])),
        "remix": lambda: engine_run(job("remix", 61, videos=[source])),
        "blend": lambda: engine_run(job("blend", 62, videos=[source, second])),
        "recut_trim": lambda: engine_run(job("recut", 63, videos=[source], trim_start=1.0, trim_end=4.0)),
        "recut_extend": lambda: engine_run(job("recut", 64, videos=[second], extend=True)),
        "loop": lambda: engine_run(job("loop", 65, videos=[source])),
        "storyboard": lambda: engine_run(
            job(
                "storyboard", 66, cards=[{"at": 0, "prompt": "a dog"}, {"at": 2.5, "prompt": "rain at night"}]
            )
        ),
        "variations_2": lambda: engine_run(job("create", 67, variations=2)),
        "create_watermarked": lambda: engine_run(job("create", 68, watermark=True)),
    }
    timings = {"create": create_s}
    for name, fn in actions.items():
        timings[name] = _timed(fn)[0]
    tmp.cleanup()
    return {
        "load_s": load_s,
        "steps": steps,
        "timings": timings,
        "engine_runs": engine_s,
        "bare_pipe": statistics.median(bare_pipe_s),
        "bare_encode": statistics.median(bare_encode_s),
        "bare_total": bare_s,
        "overhead_ratio": create_s / bare_s - 1.0,
        "engine_render": statistics.median(engine_render_s),
        "render_overhead_ratio": statistics.median(engine_render_s) / statistics.median(bare_pipe_s) - 1.0,
        "x264": engine.encoder_preset,
        "encode_ms_per_s": encode_ms_per_s,
        "encode_veryfast_ms_per_s": veryfast_ms_per_s,
    }


def print_cpu(r: dict[str, Any]) -> dict[str, Any]:
    print(f"Engine on the tiny model: 854x480, {SECONDS} s at {FPS} fps, {r['steps']} steps ({_machine()})")
    print(f"model load (from the data dir): {r['load_s']:.2f} s")
    print()
    print("| action | wall s |")
    print("|---|---|")
    for name, seconds in r["timings"].items():
        print(f"| {name} | {seconds:.2f} |")
    print()
    print("| same clip, same seed | wall s |")
    print("|---|---|")
    print(
        f"| DiffusersEngine.run create (median of {len(r['engine_runs'])}) | {r['timings']['create']:.2f} |"
    )
    print(f"| of which rendering (pipeline call to uint8 frames) | {r['engine_render']:.2f} |")
    print(f"| bare LTXConditionPipeline call (output_type='np') | {r['bare_pipe']:.2f} |")
    print(f"| bare PyAV encode of its frames | {r['bare_encode']:.2f} |")
    print(f"| bare total | {r['bare_total']:.2f} |")
    print(f"| overhead, whole job (engine / bare - 1) | {r['overhead_ratio'] * 100:+.1f} % |")
    print(f"| overhead, rendering only | {r['render_overhead_ratio'] * 100:+.1f} % |")
    print(f"| engine encode (x264 {r['x264']}), per second of video | {r['encode_ms_per_s']:.0f} ms |")
    print(f"| engine encode (x264 veryfast), per second of video | {r['encode_veryfast_ms_per_s']:.0f} ms |")
    headline: dict[str, Any] = {
        "overhead_ratio": round(r["overhead_ratio"], 4),
        "encode_ms_per_s": round(r["encode_ms_per_s"], 1),
        "create_480p_5s_s": round(r["timings"]["create"], 2),
        "render_overhead_ratio": round(r["render_overhead_ratio"], 4),
    }
    for name, seconds in r["timings"].items():
        if name != "create":
            headline[f"{name}_480p_5s_s"] = round(seconds, 2)
    headline["bare_480p_5s_s"] = round(r["bare_total"], 2)
    return headline


# --------------------------------------------------------------------------------------------- GPU / LTX 2B


def run_gpu(device: str, scale: float = 1.0) -> dict[str, Any]:
    """768x512, 121 frames, 8 distilled steps on the LTX-Video 2B architecture with random weights.
    `scale` < 1 shrinks the model (a smoke test of this code path, not a benchmark)."""
    import torch
    from diffusers import AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXConditionPipeline
    from diffusers import LTXVideoTransformer3DModel as Transformer
    from diffusers.hooks import FirstBlockCacheConfig

    dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
    t_cfg, v_cfg = dict(LTX_2B_TRANSFORMER), dict(LTX_095_VAE)
    width, height, frames, text_width = 768, 512, SECONDS * FPS + 1, T5_XXL_WIDTH
    if scale < 1.0:
        t_cfg.update(num_layers=2, num_attention_heads=2, attention_head_dim=12, cross_attention_dim=24,
                     caption_channels=16, in_channels=8, out_channels=8)  # fmt: skip
        v_cfg.update(latent_channels=8, block_out_channels=(4, 8, 8, 16, 16), decoder_block_out_channels=(8, 16, 32),
                     layers_per_block=(0,) * 5, decoder_layers_per_block=(0,) * 4)  # fmt: skip
        width, height, frames, text_width = 256, 128, 17, 16
    with torch.device(device):
        transformer = Transformer(**t_cfg).to(dtype).eval()
        vae = AutoencoderKLLTXVideo(**v_cfg).to(dtype).eval()
    vae.enable_tiling()
    pipe = LTXConditionPipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=None,
        tokenizer=None,
        transformer=transformer,
    )
    pipe.set_progress_bar_config(disable=True)
    embeds = torch.randn(1, 128, text_width, device=device, dtype=dtype)
    mask = torch.ones(1, 128, device=device, dtype=torch.bool)

    def call() -> float:
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        started = time.perf_counter()
        pipe(
            prompt_embeds=embeds,
            prompt_attention_mask=mask,
            width=width,
            height=height,
            num_frames=frames,
            frame_rate=FPS,
            timesteps=DISTILLED_TIMESTEPS,
            guidance_scale=1.0,
            decode_timestep=[0.05],
            decode_noise_scale=[0.025],
            generator=torch.Generator(device=device).manual_seed(0),
            output_type="pt",
        )
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        return time.perf_counter() - started

    results: dict[str, Any] = {"device": device, "size": f"{width}x{height}x{frames}"}
    if device.startswith("cuda"):
        results["gpu"] = torch.cuda.get_device_name(0)
        torch.cuda.reset_peak_memory_stats()
    call()  # warm-up
    results["plain_s"] = call()
    if device.startswith("cuda"):
        results["peak_gib"] = torch.cuda.max_memory_allocated() / 2**30
    transformer.enable_cache(FirstBlockCacheConfig(threshold=0.05))
    call()
    results["first_block_cache_s"] = call()
    transformer.disable_cache()
    started = time.perf_counter()
    transformer.compile_repeated_blocks(fullgraph=True)
    call()  # compiles
    results["compile_warmup_s"] = time.perf_counter() - started
    results["compile_s"] = call()
    return results


def print_gpu(r: dict[str, Any]) -> dict[str, Any]:
    print(
        f"LTX-Video 2B architecture, random weights, {r['size']}, 8 distilled steps on {r.get('gpu', r['device'])}"
    )
    print("| variant | wall s |")
    print("|---|---|")
    print(f"| plain (bf16, VAE tiling) | {r['plain_s']:.2f} |")
    print(f"| FirstBlockCache 0.05 | {r['first_block_cache_s']:.2f} |")
    print(
        f"| torch.compile (repeated blocks) | {r['compile_s']:.2f} (first call {r['compile_warmup_s']:.0f} s) |"
    )
    print(
        "Random weights make FirstBlockCache skip differently from trained ones: treat that row as a bound."
    )
    return {
        "gpu_plain_768x512_5s_s": round(r["plain_s"], 2),
        "gpu_fbc_768x512_5s_s": round(r["first_block_cache_s"], 2),
        "gpu_compile_768x512_5s_s": round(r["compile_s"], 2),
        "gpu_peak_gib": round(r.get("peak_gib", 0.0), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of the create/overhead pair (median)")
    parser.add_argument("--data-dir", type=Path, default=None, help="where the tiny model is (default: temp)")
    parser.add_argument("--gpu", action="store_true", help="time the LTX-Video 2B architecture on CUDA")
    parser.add_argument(
        "--gpu-smoke", action="store_true", help=argparse.SUPPRESS
    )  # the --gpu code, tiny, on CPU
    ns = parser.parse_args()
    if ns.gpu or ns.gpu_smoke:
        import torch

        if ns.gpu and not torch.cuda.is_available():
            print(
                "bench/engine.py --gpu: no CUDA GPU on this machine; nothing was measured.", file=sys.stderr
            )
            print(json.dumps({"error": "no_cuda"}))
            return 2
        device = "cuda" if ns.gpu else "cpu"
        headline = print_gpu(run_gpu(device, 1.0 if ns.gpu else 0.01))
    else:
        headline = print_cpu(run_cpu(max(1, ns.repeat), ns.data_dir))
    print(json.dumps(headline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
