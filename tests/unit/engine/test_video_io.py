"""Video io without a model: safe readers (caps, bombs, corrupt files), the MP4 writer (faststart, yuv420p,
exact length, size cap, metadata, watermark, poster) and frame-exact reading."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import video_io as vio
from engine.spec import EngineInputError
from tests.fakes.media import write_clip
from tests.unit.engine.sample_media import bar_frames, bar_index, decode


def _code(fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineInputError) as info:
        fn(*args, **kwargs)
    return info.value.code


# ------------------------------------------------------------------------------------------ images


def test_image_loads_as_rgb(photo: Path) -> None:
    img = vio.load_image(photo)
    assert img.shape == (300, 400, 3) and img.dtype == np.uint8


def test_corrupt_image_is_refused(tmp_path: Path, photo: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(photo.read_bytes()[:200])  # header, then nothing
    assert _code(vio.load_image, broken) == "image_corrupt"
    noise = tmp_path / "noise.jpg"
    noise.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 8)
    assert _code(vio.load_image, noise) == "image_corrupt"
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    assert _code(vio.load_image, text) == "image_corrupt"


def test_100_megapixel_png_is_refused_from_its_header(bomb_png: Path) -> None:
    assert bomb_png.stat().st_size < 100_000
    assert _code(vio.load_image, bomb_png) == "image_too_large"


def test_100_megapixel_png_is_refused_without_decoding(bomb_png: Path) -> None:
    # In a fresh process so the peak memory reflects only this call: decoding would need >= 100 MB.
    # VmHWM (not ru_maxrss, which a child inherits from its parent at fork) is this process's own peak.
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc")
    code = (
        "import json, sys\n"
        "from engine.video_io import load_image\n"
        "from engine.spec import EngineInputError\n"
        "try:\n"
        f"    load_image({str(bomb_png)!r}); code = None\n"
        "except EngineInputError as e:\n"
        "    code = e.code\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(json.dumps({'code': code, 'rss_mb': int(hwm) / 1024}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert result["code"] == "image_too_large"
    assert result["rss_mb"] < 150


def test_missing_image_is_missing_input(tmp_path: Path) -> None:
    assert _code(vio.load_image, tmp_path / "nope.png") == "missing_input"


# ------------------------------------------------------------------------------------------ videos


def test_text_file_is_not_a_video(tmp_path: Path) -> None:
    text = tmp_path / "clip.mp4"
    text.write_text("hello, this is a text file pretending to be a video\n" * 20)
    assert _code(vio.probe_video, text) == "not_a_video"
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert _code(vio.probe_video, empty) == "not_a_video"


def test_image_and_playlist_are_not_videos(tmp_path: Path, photo: Path) -> None:
    assert _code(vio.probe_video, photo) == "not_a_video"
    playlist = tmp_path / "list.m3u8"
    playlist.write_text("#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n")
    assert _code(vio.probe_video, playlist) == "not_a_video"


def test_garbage_with_an_mp4_header_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(range(256)) * 64)
    assert _code(lambda: list(vio.read_frames(junk))) in {"not_a_video", "video_corrupt"}


def test_two_hour_clip_is_too_long(two_hour_clip: Path) -> None:
    assert two_hour_clip.stat().st_size < 20_000
    assert _code(vio.probe_video, two_hour_clip) == "video_too_long"
    assert _code(lambda: list(vio.read_frames(two_hour_clip))) == "video_too_long"


def test_frame_cap_is_enforced_while_decoding(bar_clip: Path) -> None:
    assert _code(lambda: list(vio.read_frames(bar_clip, max_frames=10))) == "video_too_long"


def test_trim_reads_exactly_the_range(bar_clip: Path) -> None:
    frames = vio.read_video(bar_clip, start=1.0, end=2.5)
    assert len(frames) == 36
    assert [bar_index(f, 6) for f in frames] == list(range(24, 60))


def test_reading_resamples_to_24_fps(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "30fps.mp4", bar_frames(30, 320, 240, step=10), fps=30)
    frames = vio.read_video(clip, fps=24)
    assert len(frames) == 24
    expected = [int(k * 30 / 24 + 1e-6) for k in range(24)]  # the frame on screen at k / 24 s
    assert [bar_index(f, 10) for f in frames] == expected


def test_reading_fits_to_a_size(bar_clip: Path) -> None:
    frames = vio.read_video(bar_clip, width=256, height=128, end=0.5)
    assert frames.shape == (12, 128, 256, 3)


# ------------------------------------------------------------------------------------------ writing


def _noise(count: int, h: int, w: int, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).random((count, h, w, 3)) * 255).astype(np.uint8)


def test_encode_writes_exact_faststart_h264(tmp_path: Path) -> None:
    frames = bar_frames(50, 864, 480)  # render size: cropped to 854 on the way in
    meta = vio.provenance("tiny", "job-1", "a cat", {"reelbot_seed": 3, "reelbot_job": "forged"})
    out = vio.encode_video(lambda: iter(frames), tmp_path / "a.mp4", width=854, height=480, fps=24,
                           frame_count=48, metadata=meta)  # fmt: skip
    info = vio.probe_video(out.path)
    assert (info.width, info.height, info.fps, info.frames, info.seconds) == (854, 480, 24.0, 48, 2.0)
    assert info.codec == "h264"
    import av

    with av.open(str(out.path)) as c:
        assert c.streams.video[0].codec_context.pix_fmt == "yuv420p"
        assert c.streams.video[0].codec_context.profile == "High"
    data = out.path.read_bytes()
    assert 0 < data.find(b"moov") < data.find(b"mdat")  # faststart: index before the media
    stored = vio.read_container_metadata(out.path)
    assert stored["generator"] == "Reelbot"
    assert stored["reelbot_job"] == "job-1" and stored["reelbot_model"] == "tiny"  # extras never override
    assert stored["reelbot_seed"] == "3"
    assert stored["reelbot_prompt_sha256"] == vio.prompt_hash("a cat") and "a cat" not in json.dumps(stored)


def test_short_source_holds_its_last_frame(tmp_path: Path) -> None:
    frames = bar_frames(10, 320, 240)
    out = vio.encode_video(
        lambda: iter(frames), tmp_path / "b.mp4", width=320, height=240, fps=24, frame_count=24
    )
    decoded = decode(out.path)
    assert len(decoded) == 24 and bar_index(decoded[-1]) == 9


def test_size_cap_lowers_the_bitrate(tmp_path: Path) -> None:
    frames = _noise(48, 240, 320)
    free = vio.encode_video(lambda: iter(frames), tmp_path / "free.mp4", width=320, height=240, fps=24,
                            frame_count=48)  # fmt: skip
    cap = free.bytes // 4
    capped = vio.encode_video(lambda: iter(frames), tmp_path / "cap.mp4", width=320, height=240, fps=24,
                              frame_count=48, max_bytes=cap)  # fmt: skip
    assert capped.bytes <= cap < free.bytes
    assert len(decode(capped.path)) == 48


def test_impossible_size_cap_is_an_input_error(tmp_path: Path) -> None:
    frames = _noise(24, 64, 64)
    code = _code(vio.encode_video, lambda: iter(frames), tmp_path / "c.mp4", width=64, height=64, fps=24,
                 frame_count=24, max_bytes=500)  # fmt: skip
    assert code == "max_bytes_too_small"
    assert not (tmp_path / "c.mp4").exists()


def test_odd_sizes_are_refused(tmp_path: Path) -> None:
    frames = _noise(2, 64, 64)
    code = _code(vio.encode_video, lambda: iter(frames), tmp_path / "d.mp4", width=63, height=64, fps=24,
                 frame_count=2)  # fmt: skip
    assert code == "bad_size"


def test_watermark_marks_only_its_corner() -> None:
    frame = np.full((480, 854, 3), 120, dtype=np.uint8)
    mark = vio.Watermark(854, 480)
    marked = mark.apply(frame.copy())
    x, y, w, h = mark.box
    assert x + w > 854 * 0.8 and y + h > 480 * 0.8  # bottom-right
    assert np.abs(marked[y : y + h, x : x + w].astype(int) - 120).mean() > 20
    untouched = np.ones(frame.shape[:2], dtype=bool)
    untouched[y : y + h, x : x + w] = False
    assert np.array_equal(marked[untouched], frame[untouched])


def test_poster_carries_provenance(tmp_path: Path) -> None:
    from PIL import Image

    meta = vio.provenance("tiny", "job-2", "a dog")
    path = vio.write_poster(_noise(1, 120, 160)[0], tmp_path / "p.jpg", meta)
    with Image.open(path) as img:
        assert img.format == "JPEG" and img.size == (160, 120)
        assert img.getexif()[0x0131] == "Reelbot"
        assert b"reelbot_job=job-2" in img.info["comment"]


def test_fit_frame_scales_and_crops_to_exact_size() -> None:
    frame = _noise(1, 480, 864)[0]
    assert vio.fit_frame(frame, 854, 480).shape == (480, 854, 3)
    assert np.array_equal(vio.fit_frame(frame, 854, 480), frame[:, 5:859])
    assert vio.fit_frame(frame, 1920, 1080).shape == (1080, 1920, 3)
    assert vio.fit_frame(frame, 480, 854).shape == (854, 480, 3)
