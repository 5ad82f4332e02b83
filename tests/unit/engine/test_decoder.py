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


# ------------------------------------------------------------------------------------------ start times, sound


def _offset_clip(path: Path, fmt: str, first_pts: int, frames: np.ndarray) -> Path:
    """A 24 fps clip whose first frame is shown at first_pts / 24 s (an MPEG-TS starts near 1.4 s, an MP4
    with an edit list at its offset)."""
    from fractions import Fraction

    import av

    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = frames.shape[2], frames.shape[1], "yuv420p"
        stream.time_base = Fraction(1, 24)
        stream.options = {"crf": "12", "preset": "ultrafast"}
        for i, pixels in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            frame.pts = first_pts + i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.mark.parametrize(("fmt", "name", "first_pts"), [("mpegts", "clip.ts", 36), ("mp4", "clip.mp4", 12)])
def test_a_stream_that_starts_late_reads_from_its_first_frame(
    tmp_path: Path, fmt: str, name: str, first_pts: int
) -> None:
    # issue 10 item 9: the stream's start time was ignored: an MPEG-TS upload starting at 1.5 s gave 36
    # frozen copies of frame 0 and lost its last 1.5 s; an MP4 with a 0.5 s offset was shifted
    path = _offset_clip(tmp_path / name, fmt, first_pts, bar_frames(72, 320, 96, step=4))
    frames = read_video(path)
    assert [bar_index(f, 4) for f in frames] == list(range(72))
    trimmed = read_video(path, start=1.0, end=2.0)
    assert [bar_index(f, 4) for f in trimmed] == list(range(24, 48))


def _tone_clip(path: Path, seconds: float = 2.0, audio_offset: float = 0.0) -> tuple[Path, np.ndarray]:
    """A 24 fps clip with a stereo 440/660 Hz tone at 48 kHz, the sound starting `audio_offset` s late."""
    from fractions import Fraction

    import av

    rate, n = 48_000, int(seconds * 24)
    t = np.arange(int(seconds * rate)) / rate
    # chirps: no period, so a shift by any number of samples shows
    tone = np.stack(
        [0.3 * np.sin(2 * np.pi * (200 * t + 150 * t**2)), 0.2 * np.sin(2 * np.pi * (500 * t + 80 * t**2))]
    )
    tone = tone.astype(np.float32)
    with av.open(str(path), "w") as out:
        v = out.add_stream("libx264", rate=24)
        v.width, v.height, v.pix_fmt, v.time_base = 64, 64, "yuv420p", Fraction(1, 24)
        a = out.add_stream("aac", rate=rate, layout="stereo")
        for i in range(n):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), i * 4 % 255, np.uint8), format="rgb24")
            frame.pts = i
            for packet in v.encode(frame):
                out.mux(packet)
        start = round(audio_offset * rate)
        for k in range(0, tone.shape[1], 4800):
            af = av.AudioFrame.from_ndarray(np.ascontiguousarray(tone[:, k : k + 4800]), format="fltp",
                                            layout="stereo")  # fmt: skip
            af.sample_rate, af.pts = rate, start + k
            for packet in a.encode(af):
                out.mux(packet)
        for stream in (v, a):
            for packet in stream.encode():
                out.mux(packet)
    return path, tone


def test_sound_is_read_in_sync_with_the_picture(tmp_path: Path) -> None:
    from engine.decoder import has_audio, read_audio

    path, tone = _tone_clip(tmp_path / "tone.mp4")
    assert has_audio(path)
    whole = read_audio(path)
    assert whole is not None and whole.shape == (2, 96_000)
    assert _lag(whole[:, 4000:92000], tone, 4000) == 0
    part = read_audio(path, start=0.5, end=1.25)
    assert part is not None and part.shape == (2, 36_000)
    assert _lag(part, tone, 24_000) == 0
    late, _ = _tone_clip(tmp_path / "late.mp4", audio_offset=0.5)
    shifted = read_audio(late)
    assert shifted is not None and np.abs(shifted[:, :20_000]).max() < 0.01  # silence until the sound starts
    assert abs(_lag(shifted[:, 30_000:90_000], tone, 6_000)) <= 48  # in sync within a millisecond


def _lag(got: np.ndarray, reference: np.ndarray, at: int) -> int:
    """The shift (samples) at which `got` best matches reference[at:], and a match good enough to mean it."""
    n = got.shape[1]
    lags = range(-min(at, 480), 481)
    scores = {lag: float((got * reference[:, at + lag : at + lag + n]).sum()) for lag in lags}
    best = max(scores, key=lambda k: scores[k])
    power = float((reference[:, at + best : at + best + n] ** 2).sum())
    assert scores[best] > 0.9 * power  # AAC keeps the waveform (lossy, but in phase)
    return best


def test_a_silent_clip_has_no_sound(bar_clip: Path) -> None:
    from engine.decoder import has_audio, read_audio

    assert not has_audio(bar_clip) and read_audio(bar_clip) is None
