"""engine/decoder.py without a model: safe readers for uploads (caps, decompression bombs, corrupt files,
playlists) and frame-exact reading (trims, resampling, fitting)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.decoder import load_image, probe_video, read_frames, read_video
from engine.spec import EngineInputError
from tests.fakes.media import write_clip
from tests.unit.engine.sample_media import bar_frames, bar_index


def _code(fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineInputError) as info:
        fn(*args, **kwargs)
    return info.value.code


# ------------------------------------------------------------------------------------------ images


def test_image_loads_as_rgb(photo: Path) -> None:
    img = load_image(photo)
    assert img.shape == (300, 400, 3) and img.dtype == np.uint8


def test_corrupt_image_is_refused(tmp_path: Path, photo: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(photo.read_bytes()[:200])  # header, then nothing
    assert _code(load_image, broken) == "image_corrupt"
    noise = tmp_path / "noise.jpg"
    noise.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 8)
    assert _code(load_image, noise) == "image_corrupt"
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    assert _code(load_image, text) == "image_corrupt"


def test_100_megapixel_png_is_refused_from_its_header(bomb_png: Path) -> None:
    assert bomb_png.stat().st_size < 100_000
    assert _code(load_image, bomb_png) == "image_too_large"


def test_100_megapixel_png_is_refused_without_decoding(bomb_png: Path) -> None:
    # In a fresh process so the peak memory reflects only this call: decoding would need >= 100 MB.
    # VmHWM (not ru_maxrss, which a child inherits from its parent at fork) is this process's own peak.
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc")
    code = (
        "import json, sys\n"
        "from engine.decoder import load_image\n"
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
    assert _code(load_image, tmp_path / "nope.png") == "missing_input"


# ------------------------------------------------------------------------------------------ videos


def test_text_file_is_not_a_video(tmp_path: Path) -> None:
    text = tmp_path / "clip.mp4"
    text.write_text("hello, this is a text file pretending to be a video\n" * 20)
    assert _code(probe_video, text) == "not_a_video"
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert _code(probe_video, empty) == "not_a_video"


def test_image_and_playlist_are_not_videos(tmp_path: Path, photo: Path) -> None:
    assert _code(probe_video, photo) == "not_a_video"
    playlist = tmp_path / "list.m3u8"
    playlist.write_text("#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n")
    assert _code(probe_video, playlist) == "not_a_video"


def test_garbage_with_an_mp4_header_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(range(256)) * 64)
    assert _code(lambda: list(read_frames(junk))) in {"not_a_video", "video_corrupt"}


def test_two_hour_clip_is_too_long(two_hour_clip: Path) -> None:
    assert two_hour_clip.stat().st_size < 20_000
    assert _code(probe_video, two_hour_clip) == "video_too_long"
    assert _code(lambda: list(read_frames(two_hour_clip))) == "video_too_long"


def test_frame_cap_is_enforced_while_decoding(bar_clip: Path) -> None:
    assert _code(lambda: list(read_frames(bar_clip, max_frames=10))) == "video_too_long"


def test_trim_reads_exactly_the_range(bar_clip: Path) -> None:
    frames = read_video(bar_clip, start=1.0, end=2.5)
    assert len(frames) == 36
    assert [bar_index(f, 6) for f in frames] == list(range(24, 60))


def test_reading_resamples_to_24_fps(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "30fps.mp4", bar_frames(30, 320, 240, step=10), fps=30)
    frames = read_video(clip, fps=24)
    assert len(frames) == 24
    expected = [int(k * 30 / 24 + 1e-6) for k in range(24)]  # the frame on screen at k / 24 s
    assert [bar_index(f, 10) for f in frames] == expected


def test_reading_fits_to_a_size(bar_clip: Path) -> None:
    frames = read_video(bar_clip, width=256, height=128, end=0.5)
    assert frames.shape == (12, 128, 256, 3)
