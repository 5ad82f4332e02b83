"""Shared fixtures for the engine tests: the tiny models (LTX-2, and LTX-Video for the draft tier) are built and
loaded ONCE per test session, and the source clips the edit actions need are made once too.

Clips here are short and small (480x480, 1-2 s, 2-3 steps) so the whole engine suite stays within a few
minutes on 2 CPU cores.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.spec import EngineJob
from tests.fakes.media import write_clip
from tests.unit.engine.sample_media import SIDE, Recorder, bar_frames


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("engine-data")


@pytest.fixture(scope="session")
def engine(data_dir: Path) -> Any:
    """The tiny LTX-2 model (picture and sound): the flagship's code path."""
    from engine.video_engine import DiffusersEngine

    return DiffusersEngine.load("tiny", data_dir=data_dir)


@pytest.fixture(scope="session")
def draft_engine(data_dir: Path) -> Any:
    """The tiny LTX-Video 0.9.8 model (silent): the draft tier's code path."""
    from engine.video_engine import DiffusersEngine

    return DiffusersEngine.load("tiny-ltxv", data_dir=data_dir)


@pytest.fixture()
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "clips"


@pytest.fixture()
def make_job(out_dir: Path) -> Callable[..., EngineJob]:
    counter = iter(range(10_000))

    def make(action: str = "create", **kw: Any) -> EngineJob:
        values: dict[str, Any] = {
            "job_id": f"{action}-{next(counter)}",
            "action": action,
            "prompt": "a cat walking on the beach at sunset",
            "width": SIDE,
            "height": SIDE,
            "seconds": 1,
            "seed": 7,
            "steps": 2,
            "watermark": False,
            "out_dir": out_dir,
        }
        values.update(kw)
        return EngineJob(**values)

    return make


@pytest.fixture()
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="session")
def bar_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 s, 24 fps, 480x480 with a frame-index bar (72 frames)."""
    return write_clip(tmp_path_factory.mktemp("bars") / "bars.mp4", bar_frames(72, SIDE, SIDE, step=6))


@pytest.fixture(scope="session")
def two_hour_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two frames one hour apart: a 2 h clip in a couple of kB."""
    import av

    path = tmp_path_factory.mktemp("long") / "two_hours.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(1, 3600))
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(2):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), 60 * i, np.uint8), format="rgb24")
            frame.pts, frame.time_base = i, Fraction(3600, 1)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.fixture(scope="session")
def bomb_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid 10000 x 10000 (100 MP) greyscale PNG of about 12 kB: built by hand, never decoded here."""
    import struct
    import zlib

    width = height = 10_000
    row = b"\x00" + b"\x00" * (width // 8)  # filter byte + 1-bit pixels
    raw = zlib.compressobj(9)
    data = b"".join(raw.compress(row) for _ in range(height)) + raw.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    path = tmp_path_factory.mktemp("bomb") / "bomb.png"
    path.write_bytes(png)
    return path


@pytest.fixture(scope="session")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from PIL import Image

    rng = np.random.default_rng(3)
    pixels = (rng.random((300, 400, 3)) * 255).astype(np.uint8)
    path = tmp_path_factory.mktemp("img") / "photo.png"
    Image.fromarray(pixels).save(path)
    return path


@pytest.fixture(scope="session")
def source_clip(engine: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2 s 480x480 clip made by the tiny model (the input of remix, blend, loop, extend)."""
    from engine.spec import EngineJob

    job = EngineJob(
        job_id="source",
        action="create",
        prompt="waves on a beach",
        width=SIDE,
        height=SIDE,
        seconds=2,
        seed=11,
        steps=2,
        watermark=False,
        out_dir=tmp_path_factory.mktemp("source"),
    )
    return engine.run(job, lambda f, e: None, lambda: False).paths[0]


@pytest.fixture(scope="session")
def second_clip(engine: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from engine.spec import EngineJob

    job = EngineJob(
        job_id="second",
        action="create",
        prompt="a city street at night",
        width=SIDE,
        height=SIDE,
        seconds=1,
        seed=12,
        steps=2,
        watermark=False,
        out_dir=tmp_path_factory.mktemp("second"),
    )
    return engine.run(job, lambda f, e: None, lambda: False).paths[0]
