"""The Wan path (WanPipeline at 16 fps, resampled to 24) on a toy Wan model built here with random weights:
the real Wan presets need a GPU and a download, so this is what keeps that code honest on CI."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.decoder import probe_video
from engine.presets import PRESETS
from engine.spec import EngineInputError, EngineJob

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]


def _toy_wan(image_to_video: bool) -> Any:
    """A toy Wan pipeline (text-to-video, or image-to-video with its extra mask + image latent channels)."""
    import torch
    from diffusers import (
        AutoencoderKLWan,
        FlowMatchEulerDiscreteScheduler,
        WanImageToVideoPipeline,
        WanPipeline,
        WanTransformer3DModel,
    )
    from transformers import T5Tokenizer, UMT5Config, UMT5EncoderModel

    from engine.tiny_vocab import t5_vocabulary

    vocab = t5_vocabulary()
    cls = WanImageToVideoPipeline if image_to_video else WanPipeline
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        pipe = cls(
            tokenizer=T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=32),
            text_encoder=UMT5EncoderModel(
                UMT5Config(
                    vocab_size=len(vocab),
                    d_model=16,
                    d_kv=8,
                    d_ff=32,
                    num_layers=1,
                    num_heads=2,
                    relative_attention_num_buckets=8,
                    dropout_rate=0.0,
                )  # fmt: skip
            ).eval(),
            transformer=WanTransformer3DModel(
                patch_size=(1, 2, 2),
                num_attention_heads=2,
                attention_head_dim=12,
                in_channels=12 if image_to_video else 4,  # noise, then the 4-frame mask and the image latents
                out_channels=4,
                text_dim=16,
                freq_dim=32,
                ffn_dim=32,
                num_layers=2,
                cross_attn_norm=True,
                qk_norm="rms_norm_across_heads",
                rope_max_seq_len=32,
            ).eval(),  # fmt: skip
            vae=AutoencoderKLWan(
                base_dim=4,
                z_dim=4,
                dim_mult=[1, 1, 1, 1],
                num_res_blocks=1,
                temperal_downsample=[False, True, True],
                latents_mean=[0.0] * 4,
                latents_std=[1.0] * 4,
            ).eval(),  # fmt: skip
            scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0),
        )
    pipe.set_progress_bar_config(disable=True)
    return pipe


@pytest.fixture(scope="module")
def wan_engine() -> Any:
    from engine.video_engine import DiffusersEngine

    preset = replace(
        PRESETS["wan2.1-t2v-1.3b"], max_render_pixels=128 * 128, steps=2, guidance=1.0, max_sequence_length=16
    )
    return DiffusersEngine(_toy_wan(False), preset, name="toy-wan")


@pytest.fixture(scope="module")
def wan_i2v_engine() -> Any:
    from engine.video_engine import DiffusersEngine

    preset = replace(
        PRESETS["wan2.1-i2v-14b-480p"],
        max_render_pixels=128 * 128,
        steps=2,
        guidance=2.0,
        max_sequence_length=16,
    )
    return DiffusersEngine(_toy_wan(True), preset, name="toy-wan-i2v")


def _job(tmp_path: Path, **kw: Any) -> EngineJob:
    values: dict[str, Any] = dict(job_id="wan", action="create", prompt="a cat", width=128, height=128, seconds=1,
                                  seed=3, watermark=False, out_dir=tmp_path)  # fmt: skip
    values.update(kw)
    return EngineJob(**values)


def test_wan_create_is_resampled_to_24_fps(wan_engine: Any, tmp_path: Path) -> None:
    steps: list[float] = []
    clip = wan_engine.run(_job(tmp_path), lambda f, e: steps.append(f), lambda: False)
    info = probe_video(clip.paths[0])
    assert (info.frames, info.fps, info.width, info.height) == (24, 24.0, 128, 128)
    assert len(steps) == 2 + 1


def test_wan_remix_goes_through_video_to_video(wan_engine: Any, tmp_path: Path) -> None:
    source = wan_engine.run(_job(tmp_path, job_id="src"), lambda f, e: None, lambda: False).paths[0]
    clip = wan_engine.run(
        _job(tmp_path, job_id="remix", action="remix", videos=[source], strength=1.0),
        lambda f, e: None,
        lambda: False,
    )
    assert probe_video(clip.paths[0]).frames == 24


def test_wan_image_to_video_animates_without_ftfy(wan_i2v_engine: Any, tmp_path: Path, photo: Path) -> None:
    # issue 10 item 2: WanImageToVideoPipeline cleans prompts with ftfy unconditionally: every animate
    # (and extend) on wan2.1-i2v-14b-480p failed with NameError where ftfy is not installed
    import importlib.util

    assert importlib.util.find_spec("ftfy") is None  # the case the fix is for
    steps: list[float] = []
    clip = wan_i2v_engine.run(_job(tmp_path, action="animate", images=[photo]), lambda f, e: steps.append(f),
                              lambda: False)  # fmt: skip
    assert probe_video(clip.paths[0]).frames == 24 and len(steps) == 2 + 1


def test_wan_longer_than_one_pass_is_refused_before_any_work(wan_engine: Any, tmp_path: Path) -> None:
    # issue 10 item 2: a 6 s create (96 frames at 16 fps > 81) ran one pass, then raised a plain ValueError
    steps: list[float] = []
    with pytest.raises(EngineInputError) as info:
        wan_engine.run(_job(tmp_path, seconds=6), lambda f, e: steps.append(f), lambda: False)
    assert info.value.code == "too_long_for_model" and steps == []


def test_wan_16_fps_is_interpolated_not_duplicated(wan_engine: Any, tmp_path: Path) -> None:
    # issue 10 item 9: 16 fps was brought to 24 by showing every other frame twice (judder)
    from tests.unit.engine.sample_media import decode

    video = decode(wan_engine.run(_job(tmp_path, job_id="fps"), lambda f, e: None, lambda: False).paths[0])
    steps = np.abs(np.diff(video.astype(np.float32), axis=0)).mean(axis=(1, 2, 3))
    assert steps.min() > 1.0  # no frame repeats the one before it


def test_wan_refuses_what_it_cannot_do(wan_engine: Any, tmp_path: Path) -> None:
    with pytest.raises(EngineInputError) as info:
        wan_engine.run(_job(tmp_path, action="blend", videos=[tmp_path / "a.mp4", tmp_path / "b.mp4"]),
                       lambda f, e: None, lambda: False)  # fmt: skip
    assert info.value.code == "unsupported_action"
