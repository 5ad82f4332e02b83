"""DiffusersEngine.load: presets by name or folder, `auto` without CUDA, and the speed/memory options that
also work on the tiny model (FirstBlockCache, fp8 layerwise casting)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.decoder import probe_video
from engine.spec import EngineJob
from tests.unit.engine.sample_media import decode

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]


def _render(engine: Any, tmp_path: Path, job_id: str) -> Path:
    job = EngineJob(job_id=job_id, action="create", prompt="a kite", width=256, height=256, seconds=1, seed=2,
                    steps=3, watermark=False, out_dir=tmp_path)  # fmt: skip
    return engine.run(job, lambda f, e: None, lambda: False).paths[0]


def test_auto_without_cuda_is_tiny(data_dir: Path, engine: Any) -> None:
    import torch

    from engine.video_engine import DiffusersEngine

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: auto picks a real preset")
    assert DiffusersEngine.load("auto", data_dir=data_dir).name == "tiny"


def test_a_model_folder_loads_by_path(data_dir: Path, engine: Any, draft_engine: Any, tmp_path: Path) -> None:
    from engine.tiny_model import tiny_model_dir
    from engine.video_engine import DiffusersEngine

    by_path = DiffusersEngine.load(str(tiny_model_dir(data_dir)), data_dir=tmp_path / "unused")
    assert by_path.preset.name == "tiny"
    assert not (tmp_path / "unused").exists()  # nothing rebuilt
    draft = DiffusersEngine.load(str(tiny_model_dir(data_dir, "tiny-ltxv")), data_dir=tmp_path / "unused")
    assert draft.preset.name == "tiny-ltxv" and draft.preset.family == "ltx"


def test_first_block_cache_and_fp8_run_and_reset_between_jobs(
    data_dir: Path, draft_engine: Any, tmp_path: Path
) -> None:
    from engine.video_engine import DiffusersEngine

    # FirstBlockCache knows LTX-Video's blocks (diffusers 0.42.1 has no hook for LTX-2's): the draft tier
    cached = DiffusersEngine.load("tiny-ltxv", data_dir=data_dir, first_block_cache=True, fp8=True)
    assert cached.pipe.transformer.is_cache_enabled
    a = _render(cached, tmp_path, "fbc-1")
    b = _render(cached, tmp_path, "fbc-2")
    assert probe_video(a).frames == probe_video(b).frames == 24
    assert np.array_equal(decode(a), decode(b))  # the cache's state is reset between jobs


def test_bad_names_and_options_fail_clearly(data_dir: Path) -> None:
    from engine.video_engine import DiffusersEngine

    with pytest.raises(KeyError, match="known"):
        DiffusersEngine.load("no-such-preset", data_dir=data_dir)
    with pytest.raises(TypeError, match="warp_speed"):
        DiffusersEngine.load("tiny", data_dir=data_dir, warp_speed=True)


# ------------------------------------------------------------------------------------------ issue 10 item 3


@pytest.mark.parametrize(
    ("options", "names"),
    [
        ({"compile": True, "first_block_cache": True}, "REELBOT_ENGINE_CACHE"),
        ({"compile": True, "fp8": True}, "REELBOT_ENGINE_FP8"),
        ({"compile": True, "offload": "group"}, "REELBOT_ENGINE_OFFLOAD=group"),
        ({"compile": True, "offload": "sequential"}, "REELBOT_ENGINE_OFFLOAD=sequential"),
    ],
)
def test_compile_with_per_layer_hooks_is_refused_at_load(
    data_dir: Path, options: dict[str, Any], names: str
) -> None:
    # torch.compile(fullgraph) crashed at the first job together with FirstBlockCache or fp8 casting
    from engine.video_engine import DiffusersEngine

    with pytest.raises(ValueError, match=names) as info:
        DiffusersEngine.load("tiny-ltxv", data_dir=data_dir / "never-built", **options)
    assert "REELBOT_ENGINE_COMPILE" in str(info.value)
    assert not (data_dir / "never-built").exists()  # refused before anything was built or loaded


def test_settings_map_onto_load_options() -> None:
    from engine.options import ENGINE_SETTINGS, engine_options

    assert set(ENGINE_SETTINGS) == {"REELBOT_ENGINE_OFFLOAD", "REELBOT_ENGINE_FP8", "REELBOT_ENGINE_COMPILE",
                                    "REELBOT_ENGINE_CACHE"}  # fmt: skip
    assert engine_options() == {}  # nothing set: `auto` decides
    assert engine_options("", "", "", "") == {}
    assert engine_options("Model", "true", "no", "0.08") == {
        "offload": "model",
        "fp8": True,
        "compile": False,
        "first_block_cache": 0.08,
    }
    assert engine_options("model", "false", "true", "off") == {
        "offload": "model",
        "fp8": False,
        "compile": True,
        "first_block_cache": False,
    }
    assert engine_options(None, "1", None, "on") == {"fp8": True, "first_block_cache": True}
    for bad in (("warp", None, None, None), (None, "maybe", None, None), (None, None, None, "2.0"),
                (None, None, None, "fast"), (None, "true", "true", None)):  # fmt: skip
        with pytest.raises(ValueError, match="REELBOT_ENGINE_"):
            engine_options(*bad)


def test_compile_and_model_offload_go_together() -> None:
    from engine.options import check_compatible

    check_compatible({"compile": True, "offload": "model"})
    check_compatible({"first_block_cache": True, "fp8": True, "offload": "group"})
