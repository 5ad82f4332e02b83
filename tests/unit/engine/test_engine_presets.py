"""Presets: render sizes and frame counts obey the model rules; `auto` picks by GPU memory. No torch here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine.presets import PRESETS, choose_auto, get_preset

OUTPUT_SIZES = [(854, 480), (480, 480), (480, 854), (1280, 720), (720, 720), (720, 1280), (1920, 1080),
                (1080, 1080), (1080, 1920)]  # fmt: skip


@pytest.mark.parametrize("name", sorted(PRESETS))
@pytest.mark.parametrize("size", OUTPUT_SIZES)
def test_render_sizes_obey_the_model(name: str, size: tuple[int, int]) -> None:
    p = PRESETS[name]
    rw, rh = p.render_size(*size)
    assert rw % p.size_multiple == 0 and rh % p.size_multiple == 0
    assert rw * rh <= p.max_render_pixels * 1.1
    assert abs(rw / rh - size[0] / size[1]) / (size[0] / size[1]) < 0.08  # aspect kept (crop does the rest)


def test_tiny_renders_480p_at_its_own_size_or_one_multiple_wider() -> None:
    tiny = get_preset("tiny")
    assert tiny.render_size(854, 480) == (864, 480)  # cropped by 10 px when encoded
    assert tiny.render_size(480, 854) == (480, 864)
    assert tiny.render_size(480, 480) == (480, 480)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_frame_counts_are_model_valid(name: str) -> None:
    p = PRESETS[name]
    for seconds in range(1, 21):
        n = p.valid_frames(p.native_frames(seconds))
        assert (n - 1) % p.frame_step == 0
        assert n >= seconds * p.fps
    assert get_preset("tiny").valid_frames(120) == 121  # 5 s at 24 fps


def test_presets_name_real_models_and_operations() -> None:
    assert {"tiny", "ltx-2b-distilled", "ltx-13b-distilled"} <= set(PRESETS)
    assert any(p.family == "wan" for p in PRESETS.values())
    assert PRESETS["ltx-13b-distilled"].model_id == "Lightricks/LTX-Video-0.9.8-13B-distilled"
    assert PRESETS["wan2.1-t2v-1.3b"].model_id == "Wan-AI/Wan2.1-T2V-1.3B-Diffusers"
    for name in ("tiny", "ltx-2b-distilled", "ltx-13b-distilled"):
        p = PRESETS[name]
        assert p.pipeline == "LTXConditionPipeline"
        for op in ("create", "animate", "remix", "blend", "recut", "loop", "storyboard", "extend"):
            assert p.supports(op)


@pytest.mark.parametrize(
    ("memory", "preset", "offload"),
    [
        (None, "tiny", "none"),
        (80.0, "ltx-13b-distilled", "none"),
        (24.0, "ltx-2b-distilled", "none"),
        (12.0, "ltx-2b-distilled", "model"),
        (4.0, "tiny", "none"),
    ],  # fmt: skip
)
def test_auto_picks_the_best_preset_that_fits(memory: float | None, preset: str, offload: str) -> None:
    choice = choose_auto(memory)
    assert (choice.preset, choice.offload) == (preset, offload)


def test_unknown_preset_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="tiny"):
        get_preset("nope")


def test_cli_modules_import_without_torch() -> None:
    code = (
        "import sys, engine.spec, engine.presets, engine.generate;"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers', 'av') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
