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


def test_a_model_folder_loads_by_path(data_dir: Path, engine: Any, tmp_path: Path) -> None:
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
