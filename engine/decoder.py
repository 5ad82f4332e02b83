"""Reading what members upload (and the engine's own source clips): capped, decompression-bomb-safe image
and video decoders. Frames come out as uint8 RGB numpy arrays (H, W, 3).

Nothing here knows about models or writes files; every bad upload becomes an `EngineInputError` with a
stable code, never a crash or an unbounded allocation.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.fitting import center_crop, cover_size
from engine.spec import EngineInputError

# Upload caps. A 40 MP image is a large phone photo; 60 s is three times the longest clip the bot makes.
MAX_IMAGE_BYTES = 40 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_VIDEO_BYTES = 300 * 1024 * 1024
MAX_VIDEO_SECONDS = 60.0
MAX_VIDEO_FRAMES = 60 * 120
MAX_VIDEO_PIXELS = 4096 * 4096

#: Demuxers an uploaded clip may use. Anything else (playlists, concat lists, image sequences, raw
#: formats) is rejected before FFmpeg probes it, and only local files may be opened (no network).
_DEMUXERS = "mov,matroska,webm,avi,gif,mpegts,flv,ogg"
_OPEN_OPTIONS = {"protocol_whitelist": "file", "format_whitelist": _DEMUXERS}


def load_image(
    path: str | Path, *, max_bytes: int = MAX_IMAGE_BYTES, max_pixels: int = MAX_IMAGE_PIXELS
) -> np.ndarray:
    """Decode an uploaded image to RGB (EXIF rotation applied).

    The pixel count is checked from the header before any pixel is decoded, so a small file that declares
    a huge canvas (a decompression bomb) is refused without allocating it.
    Raises EngineInputError: missing_input, image_too_large, image_corrupt.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    path = Path(path)
    size = _file_size(path)
    if size > max_bytes:
        raise EngineInputError("image_too_large", f"{size} bytes > {max_bytes}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                width, height = img.size
                if width * height > max_pixels or width <= 0 or height <= 0:
                    raise EngineInputError("image_too_large", f"{width}x{height} > {max_pixels} pixels")
                img.load()
                upright = ImageOps.exif_transpose(img)
                return np.asarray(upright.convert("RGB"), dtype=np.uint8).copy()
    except EngineInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise EngineInputError("image_too_large", str(exc)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise EngineInputError("image_corrupt", f"{path.name}: {exc}") from None


@dataclass(frozen=True)
class VideoInfo:
    """What a clip's container says about it (checked against the caps by `probe_video`)."""

    width: int
    height: int
    fps: float
    seconds: float
    frames: int
    codec: str


def probe_video(
    path: str | Path,
    *,
    max_bytes: int = MAX_VIDEO_BYTES,
    max_seconds: float = MAX_VIDEO_SECONDS,
    max_frames: int = MAX_VIDEO_FRAMES,
    max_pixels: int = MAX_VIDEO_PIXELS,
) -> VideoInfo:
    """Read a clip's header only and check it against the caps.

    Raises EngineInputError: missing_input, not_a_video, video_too_large, video_too_long, video_corrupt.
    """
    import av

    path = Path(path)
    size = _file_size(path)
    if size == 0:
        raise EngineInputError("not_a_video", f"{path.name} is empty")
    if size > max_bytes:
        raise EngineInputError("video_too_large", f"{size} bytes > {max_bytes}")
    try:
        container = av.open(str(path), options=_OPEN_OPTIONS)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise EngineInputError("not_a_video", f"{path.name}: {exc}") from None
    with container:
        if not container.streams.video:
            raise EngineInputError("not_a_video", f"{path.name} has no video stream")
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if width <= 0 or height <= 0:
            raise EngineInputError("video_corrupt", f"{path.name}: no frame size")
        if width * height > max_pixels:
            raise EngineInputError("video_too_large", f"{width}x{height} > {max_pixels} pixels")
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 0.0
        seconds = _stream_seconds(container, stream)
        frames = int(stream.frames or 0)
        if not frames and seconds and fps:
            frames = round(seconds * fps)
        if seconds > max_seconds:
            raise EngineInputError("video_too_long", f"{seconds:.1f} s > {max_seconds:.0f} s")
        if frames > max_frames:
            raise EngineInputError("video_too_long", f"{frames} frames > {max_frames}")
        return VideoInfo(width, height, fps, seconds, frames, stream.codec_context.name)


def read_frames(
    path: str | Path,
    *,
    width: int | None = None,
    height: int | None = None,
    fps: int = 24,
    start: float = 0.0,
    end: float | None = None,
    max_seconds: float = MAX_VIDEO_SECONDS,
    max_frames: int = MAX_VIDEO_FRAMES,
) -> Iterator[np.ndarray]:
    """Yield a clip's frames resampled to `fps` over [start, end), fitted (scale to cover, centre crop) to
    width x height when given.

    Output frame k shows the source frame on screen at start + k / fps, so a 24 fps source read at 24 fps
    gives back exactly its own frames. The count is round((end - start) * fps); `end` defaults to the
    clip's duration. Caps are enforced while decoding too, in case the header lies.
    Raises EngineInputError (see probe_video; video_corrupt for undecodable data).
    """
    import av

    info = probe_video(path, max_seconds=max_seconds, max_frames=max_frames)
    stop = info.seconds if end is None else min(end, info.seconds) if info.seconds else end
    count = max(0, round((stop - start) * fps))
    if count == 0:
        return
    out_w, out_h = width or info.width, height or info.height
    try:
        container = av.open(str(path), options=_OPEN_OPTIONS)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise EngineInputError("video_corrupt", str(exc)) from None
    with container:
        stream = container.streams.video[0]
        # Timestamps count from the stream's start, which is not 0 in every file (MPEG-TS starts near
        # 1.4 s, an MP4 with an edit list at its offset): frame times are taken relative to it.
        origin = stream_origin(stream)
        stream.thread_type = "AUTO"
        seek = start > 0 and bool(stream.time_base)
        try:
            yield from _decode_range(container, stream, info, origin, start, count, fps, out_w, out_h,
                                     max_seconds, max_frames, seek)  # fmt: skip
        except _SeekOvershot:
            # a container without an index (MPEG-TS) can land past the start: read from the top instead
            container.seek(0)
            yield from _decode_range(container, stream, info, origin, start, count, fps, out_w, out_h,
                                     max_seconds, max_frames, False)  # fmt: skip


class _SeekOvershot(Exception):
    """The first frame after a seek is later than the range's start."""


def _decode_range(
    container: Any,
    stream: Any,
    info: VideoInfo,
    origin: float,
    start: float,
    count: int,
    fps: int,
    out_w: int,
    out_h: int,
    max_seconds: float,
    max_frames: int,
    seek: bool,
) -> Iterator[np.ndarray]:
    import av

    eps = 1e-3  # timestamps are rounded to the container's time base
    if seek:
        container.seek(int((start + origin) / stream.time_base), stream=stream, backward=True)
    k, decoded = 0, 0
    shown: tuple[Any, np.ndarray | None] | None = None  # (frame, its converted pixels once needed)
    last_time = -1.0
    try:
        for frame in container.decode(stream):
            decoded += 1
            if decoded > max_frames:
                raise EngineInputError("video_too_long", f"more than {max_frames} frames")
            t = frame.time - origin if frame.time is not None else last_time + 1.0 / (info.fps or fps)
            last_time = t
            if seek and shown is None and t > start + eps:
                raise _SeekOvershot()
            if t > max_seconds + 1.0:
                raise EngineInputError("video_too_long", f"frame at {t:.1f} s")
            while shown is not None and k < count and start + k / fps < t - eps:
                shown = _shown_pixels(shown, out_w, out_h)
                yield shown[1]
                k += 1
            if k >= count:
                break
            shown = (frame, None)
    except av.error.FFmpegError as exc:
        raise EngineInputError("video_corrupt", str(exc)) from None
    if shown is None:
        if seek:
            raise _SeekOvershot()
        raise EngineInputError("video_corrupt", "no decodable frame")
    while k < count:  # the last frame stays on screen until the end
        shown = _shown_pixels(shown, out_w, out_h)
        yield shown[1]
        k += 1


def read_audio(
    path: str | Path, *, start: float = 0.0, end: float | None = None, rate: int = 48_000
) -> np.ndarray | None:
    """A clip's sound from `start` to `end` seconds of its picture (end None: to the end), as float32
    (2, samples) at `rate`; None when the file has no sound track. Time 0 is the first video frame, so a
    track that starts later or earlier than the picture stays in sync. Raises EngineInputError as
    probe_video does."""
    import av

    info = probe_video(path)
    stop = info.seconds if end is None else end
    count = max(0, round((stop - start) * rate))
    try:
        container = av.open(str(path), options=_OPEN_OPTIONS)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise EngineInputError("video_corrupt", str(exc)) from None
    with container:
        if not container.streams.audio:
            return None
        offset = stream_origin(container.streams.video[0]) if container.streams.video else 0.0
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=rate)
        out = np.zeros((2, count), dtype=np.float32)
        cursor: int | None = None
        try:
            for frame in container.decode(stream):
                for piece in resampler.resample(frame):
                    data = piece.to_ndarray().astype(np.float32, copy=False)
                    if cursor is None:  # place the first piece by its time; the rest follow on
                        t = piece.time if piece.time is not None else offset
                        cursor = round((t - offset - start) * rate)
                    lo, hi = max(0, cursor), min(count, cursor + data.shape[1])
                    if hi > lo:
                        out[:, lo:hi] = data[:, lo - cursor : hi - cursor]
                    cursor += data.shape[1]
                if cursor is not None and cursor >= count:
                    break
        except av.error.FFmpegError as exc:
            raise EngineInputError("video_corrupt", str(exc)) from None
    return out


def has_audio(path: str | Path) -> bool:
    """True when the file carries a sound track (header only)."""
    import av

    try:
        with av.open(str(path), options=_OPEN_OPTIONS) as container:
            return bool(container.streams.audio)
    except (av.error.FFmpegError, OSError, ValueError):
        return False


def read_video(path: str | Path, **kwargs: Any) -> np.ndarray:
    """`read_frames` collected into one (N, H, W, 3) array."""
    frames = list(read_frames(path, **kwargs))
    if not frames:
        raise EngineInputError("video_corrupt", "no frames in range")
    return np.stack(frames)


def _shown_pixels(shown: tuple[Any, np.ndarray | None], width: int, height: int) -> tuple[Any, np.ndarray]:
    frame, pixels = shown
    if pixels is None:
        pixels = _fit_av_frame(frame, width, height)
    return frame, pixels


def _fit_av_frame(frame: Any, width: int, height: int) -> np.ndarray:
    sw, sh = cover_size(frame.width, frame.height, width, height)
    rgb = frame.to_ndarray(format="rgb24", width=sw, height=sh, interpolation="AREA")
    return center_crop(rgb, width, height)


def stream_origin(stream: Any) -> float:
    """When a stream's first frame is shown, in seconds on its own clock (0 when the file does not say)."""
    if stream.start_time is None or not stream.time_base:
        return 0.0
    return float(stream.start_time * stream.time_base)


def _stream_seconds(container: Any, stream: Any) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return float(container.duration) / 1_000_000
    return 0.0


def _file_size(path: Path) -> int:
    try:
        if not path.is_file():
            raise EngineInputError("missing_input", f"{path.name} is not a file")
        return path.stat().st_size
    except OSError as exc:
        raise EngineInputError("missing_input", str(exc)) from None
