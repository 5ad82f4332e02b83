"""bench/engine.py --gpu on a machine without CUDA: a clear message, exit 2, and a JSON last line (never a
traceback, never a figure made up)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_gpu_bench_fails_cleanly_without_cuda() -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "engine.py"), "--gpu"], capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert out.returncode == 2
    assert "no CUDA GPU" in out.stderr and "Traceback" not in out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"error": "no_cuda"}
