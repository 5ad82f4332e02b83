"""The draft tier on the real LTX-Video 2B architecture (published transformer and 0.9.5 VAE configs, random
weights, bf16, on the CPU) at 256x160, 9 frames: the shapes only the real configs have (128 latent channels,
the timestep-conditioned decoder) through the engine's passes and renderer.

One model is built for the module (about 40 s and 7 GB); the tests share it. bf16 convolutions are slow on a
CPU, so the passes here are single 9-frame renders, not whole jobs.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from engine.passes import Passes, Work
from engine.presets import LTXV_REFINE_SIGMAS, LTXV_SIGMAS
from engine.progress import Progress
from engine.renderers import Condition
from engine.spec import EngineJob

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]

W, H, FRAMES = 256, 160, 9


@pytest.fixture(scope="module")
def real_2b() -> Any:
    import torch

    from bench.engine_gpu import build_ltxv_2b
    from engine.loader import quiet_library_output
    from engine.memory import denormals_flushed
    from engine.video_engine import DiffusersEngine

    quiet_library_output()
    with denormals_flushed():  # building random weights; the engine flushes them itself while it runs
        pipe, upsampler, preset = build_ltxv_2b("cpu", torch.bfloat16, small=False)
    pipe.set_progress_bar_config(disable=True)
    preset = replace(preset, sigmas=LTXV_SIGMAS, renoise_sigmas=LTXV_REFINE_SIGMAS, max_sequence_length=16)
    return DiffusersEngine(pipe, preset, upsampler=upsampler)


def _work(seeds: list[int], steps: int) -> Work:
    job = EngineJob(job_id="real", action="blend", prompt="a cat", width=W, height=H, seconds=1)
    return Work(
        job=job,
        seeds=seeds,
        width=W,
        height=H,
        steps=steps,
        progress=Progress(lambda f, e: None, lambda: False),
    )


def test_two_variations_with_an_end_condition_render(real_2b: Any) -> None:
    # issue 10 item 1 on the real 2B: a condition past frame 0 with two variations crashed in
    # LTXConditionPipeline.prepare_latents (conditions encoded at batch 1, latents at batch 2)
    rng = np.random.default_rng(0)
    first, last = (rng.integers(0, 255, (1, H, W, 3), dtype=np.uint8) for _ in range(2))
    passes = Passes(real_2b.renderer, real_2b.preset, max_batch=2)
    w = _work([1, 2], steps=1)
    render = passes.make(w, "a cat", FRAMES, [Condition(first, 0), Condition(last, FRAMES - 1)])
    clips = passes.render_batched(w, render)
    assert [c.frames.shape for c in clips] == [(FRAMES, H, W, 3)] * 2
    assert not np.array_equal(clips[0].frames, clips[1].frames)


def test_remix_renoises_to_its_strength(real_2b: Any) -> None:
    # issue 10 item 4 on the real 2B: the pass starts at sigma = strength, below every distilled step above it
    seen: list[float] = []
    renderer = real_2b.renderer
    passes = Passes(renderer, real_2b.preset, max_batch=1)
    w = _work([3], steps=8)
    render = passes.make(w, "the same street at night", FRAMES, [])
    render.init_frames = np.random.default_rng(1).integers(0, 255, (FRAMES, H, W, 3), dtype=np.uint8)
    render.strength = 0.6
    real_callback = renderer._callback

    def spy(on_step: Any) -> Any:
        inner = real_callback(on_step)

        def callback(pipe: Any, step: int, t: Any, kw: dict[str, Any]) -> Any:
            seen.append(float(t))
            return inner(pipe, step, t, kw)

        return callback

    renderer._callback = spy
    try:
        (clip,) = passes.render(w, render, [3])
    finally:
        del renderer._callback
    assert clip.frames.shape == (FRAMES, H, W, 3)
    assert seen[0] == pytest.approx(600, abs=1) and all(t < 600 for t in seen[1:])


def test_two_prompts_render_as_one_latent_sequence(real_2b: Any) -> None:
    # issue 10 item 8 on the real 2B: cards on the draft tier are windows of one latent sequence (128 latent
    # channels, the real latent statistics), never a second pass conditioned on decoded frames
    from engine.passes import Segment
    from engine.windows import plan_windows

    windows = plan_windows([(0, "a cat"), (9, "a dog")], 17, real_2b.preset.max_frames, 8)
    assert windows.prompts == ("a cat", "a dog")
    passes = Passes(real_2b.renderer, real_2b.preset, max_batch=2)
    w = _work([4], steps=1)
    encode = type(real_2b.pipe.vae).encode
    calls: list[int] = []

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return encode(self, *args, **kwargs)

    type(real_2b.pipe.vae).encode = spy  # type: ignore[method-assign]
    try:
        (clip,) = passes.generate(w, [Segment("a cat", 9), Segment("a dog", 8)])
    finally:
        type(real_2b.pipe.vae).encode = encode  # type: ignore[method-assign]
    assert clip.frames.shape == (17, H, W, 3) and calls == []
    assert clip.frames.std() > 1.0  # decoded pictures, not a blank
