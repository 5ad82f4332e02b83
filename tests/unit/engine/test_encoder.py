"""engine/encoder.py, watermark.py and fitting.py without a model: the MP4 writer (faststart, yuv420p, exact
length, size cap, metadata), the watermark, the poster, and fitting frames to an exact size."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.decoder import probe_video
from engine.encoder import encode_video, prompt_hash, provenance, read_container_metadata, write_poster
from engine.fitting import fit_frame
from engine.spec import EngineInputError
from engine.watermark import Watermark
from tests.unit.engine.sample_media import bar_frames, bar_index, decode


def _code(fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineInputError) as info:
        fn(*args, **kwargs)
    return info.value.code


# ------------------------------------------------------------------------------------------ writing


def _noise(count: int, h: int, w: int, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).random((count, h, w, 3)) * 255).astype(np.uint8)


def test_encode_writes_exact_faststart_h264(tmp_path: Path) -> None:
    frames = bar_frames(50, 864, 480)  # render size: cropped to 854 on the way in
    meta = provenance("tiny", "job-1", "a cat", {"reelbot_seed": 3, "reelbot_job": "forged"})
    out = encode_video(lambda: iter(frames), tmp_path / "a.mp4", width=854, height=480, fps=24,
                       frame_count=48, metadata=meta)  # fmt: skip
    info = probe_video(out.path)
    assert (info.width, info.height, info.fps, info.frames, info.seconds) == (854, 480, 24.0, 48, 2.0)
    assert info.codec == "h264"
    import av

    with av.open(str(out.path)) as c:
        assert c.streams.video[0].codec_context.pix_fmt == "yuv420p"
        assert c.streams.video[0].codec_context.profile == "High"
    data = out.path.read_bytes()
    assert 0 < data.find(b"moov") < data.find(b"mdat")  # faststart: index before the media
    stored = read_container_metadata(out.path)
    assert stored["generator"] == "Reelbot"
    assert stored["reelbot_job"] == "job-1" and stored["reelbot_model"] == "tiny"  # extras never override
    assert stored["reelbot_seed"] == "3"
    assert stored["reelbot_prompt_sha256"] == prompt_hash("a cat") and "a cat" not in json.dumps(stored)


def test_short_source_holds_its_last_frame(tmp_path: Path) -> None:
    frames = bar_frames(10, 320, 240)
    out = encode_video(
        lambda: iter(frames), tmp_path / "b.mp4", width=320, height=240, fps=24, frame_count=24
    )
    decoded = decode(out.path)
    assert len(decoded) == 24 and bar_index(decoded[-1]) == 9


def test_size_cap_lowers_the_bitrate(tmp_path: Path) -> None:
    frames = _noise(48, 240, 320)
    free = encode_video(lambda: iter(frames), tmp_path / "free.mp4", width=320, height=240, fps=24,
                        frame_count=48)  # fmt: skip
    cap = free.bytes // 4
    capped = encode_video(lambda: iter(frames), tmp_path / "cap.mp4", width=320, height=240, fps=24,
                          frame_count=48, max_bytes=cap)  # fmt: skip
    assert capped.bytes <= cap < free.bytes
    assert len(decode(capped.path)) == 48


def test_impossible_size_cap_is_an_input_error(tmp_path: Path) -> None:
    frames = _noise(24, 64, 64)
    code = _code(encode_video, lambda: iter(frames), tmp_path / "c.mp4", width=64, height=64, fps=24,
                 frame_count=24, max_bytes=500)  # fmt: skip
    assert code == "max_bytes_too_small"
    assert not (tmp_path / "c.mp4").exists()


def test_odd_sizes_are_refused(tmp_path: Path) -> None:
    frames = _noise(2, 64, 64)
    code = _code(encode_video, lambda: iter(frames), tmp_path / "d.mp4", width=63, height=64, fps=24,
                 frame_count=2)  # fmt: skip
    assert code == "bad_size"


def test_watermark_marks_only_its_corner() -> None:
    frame = np.full((480, 854, 3), 120, dtype=np.uint8)
    mark = Watermark(854, 480)
    marked = mark.apply(frame.copy())
    x, y, w, h = mark.box
    assert x + w > 854 * 0.8 and y + h > 480 * 0.8  # bottom-right
    assert np.abs(marked[y : y + h, x : x + w].astype(int) - 120).mean() > 20
    untouched = np.ones(frame.shape[:2], dtype=bool)
    untouched[y : y + h, x : x + w] = False
    assert np.array_equal(marked[untouched], frame[untouched])


def test_poster_carries_provenance(tmp_path: Path) -> None:
    from PIL import Image

    meta = provenance("tiny", "job-2", "a dog")
    path = write_poster(_noise(1, 120, 160)[0], tmp_path / "p.jpg", meta)
    with Image.open(path) as img:
        assert img.format == "JPEG" and img.size == (160, 120)
        assert img.getexif()[0x0131] == "Reelbot"
        assert b"reelbot_job=job-2" in img.info["comment"]


def test_fit_frame_scales_and_crops_to_exact_size() -> None:
    frame = _noise(1, 480, 864)[0]
    assert fit_frame(frame, 854, 480).shape == (480, 854, 3)
    assert np.array_equal(fit_frame(frame, 854, 480), frame[:, 5:859])
    assert fit_frame(frame, 1920, 1080).shape == (1080, 1920, 3)
    assert fit_frame(frame, 480, 854).shape == (854, 480, 3)


# ------------------------------------------------------------------------------------------ colour, sound


def test_colour_is_bt709_tagged_and_converted(tmp_path: Path) -> None:
    # issue 10 item 9: no colour tags and a BT.601 RGB -> YUV matrix, where HD players assume BT.709
    import av

    frames = np.zeros((6, 64, 64, 3), dtype=np.uint8)
    frames[...] = (200, 40, 60)
    out = encode_video(lambda: iter(frames), tmp_path / "c.mp4", width=64, height=64, fps=24, frame_count=6)
    with av.open(str(out.path)) as c:
        cc = c.streams.video[0].codec_context
        assert (cc.color_primaries, cc.color_trc, cc.colorspace, cc.color_range) == (1, 1, 1, 1)
        frame = next(c.decode(video=0))
        y = float(frame.to_ndarray(format="yuv420p")[:64].mean())
        rgb = frame.to_ndarray(format="rgb24").reshape(-1, 3).mean(axis=0)
    bt709 = 16 + 219 * (0.2126 * 200 + 0.7152 * 40 + 0.0722 * 60) / 255
    assert abs(y - bt709) < 1.5  # (BT.601 gives 93.4)
    assert np.abs(rgb - (200, 40, 60)).max() < 4  # and a tag-aware decoder gets the colour back


def test_sound_track_is_aac_exactly_as_long_as_the_picture(tmp_path: Path) -> None:
    import av

    frames = bar_frames(10, 128, 96)
    rate = 48_000
    t = np.arange(rate * 3) / rate
    tone = np.stack([0.3 * np.sin(2 * np.pi * 440 * t)] * 2).astype(np.float32)
    for name, track in (("short", tone[:, : rate // 2]), ("long", tone), ("mono", tone[:1, :rate])):
        out = encode_video(lambda: iter(frames), tmp_path / f"{name}.mp4", width=128, height=96, fps=24,
                           frame_count=48, audio=track)  # fmt: skip
        with av.open(str(out.path)) as c:
            v, a = c.streams.video[0], c.streams.audio[0]
            assert a.codec_context.name == "aac" and a.rate == rate and a.layout.name == "stereo"
            assert float(v.duration * v.time_base) == float(a.duration * a.time_base) == 2.0
            samples = sum(f.samples for f in c.decode(audio=0))
        assert abs(samples - 2 * rate) < 1024  # within one AAC frame of padding
    out = encode_video(
        lambda: iter(frames), tmp_path / "none.mp4", width=128, height=96, fps=24, frame_count=48
    )
    with av.open(str(out.path)) as c:
        assert not c.streams.audio


def test_size_cap_leaves_room_for_the_sound(tmp_path: Path) -> None:
    frames = _noise(48, 240, 320)
    tone = (np.random.default_rng(1).random((2, 96_000)) * 0.6 - 0.3).astype(np.float32)
    out = encode_video(lambda: iter(frames), tmp_path / "cap.mp4", width=320, height=240, fps=24,
                       frame_count=48, max_bytes=200_000, audio=tone)  # fmt: skip
    assert out.path.stat().st_size <= 200_000
