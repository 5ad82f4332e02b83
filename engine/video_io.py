"""Files in and out of the engine: capped, decompression-bomb-safe readers for uploaded images and clips, and
the H.264 MP4 writer (faststart, yuv420p, size cap, watermark, provenance metadata, poster JPEG).

Frames are uint8 RGB numpy arrays (H, W, 3). Nothing here knows about models; every bad upload becomes an
`EngineInputError` with a stable code, never a crash or an unbounded allocation.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from engine.spec import EngineInputError

log = logging.getLogger(__name__)

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

WATERMARK_TEXT = "Reelbot"


# --------------------------------------------------------------------------------------------- reading


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
    eps = 1e-3  # timestamps are rounded to the container's time base
    out_w, out_h = width or info.width, height or info.height
    try:
        container = av.open(str(path), options=_OPEN_OPTIONS)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise EngineInputError("video_corrupt", str(exc)) from None
    with container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if start > 0 and stream.time_base:
            container.seek(int(start / stream.time_base), stream=stream, backward=True)
        k, decoded = 0, 0
        shown: tuple[Any, np.ndarray | None] | None = None  # (frame, its converted pixels once needed)
        last_time = -1.0
        try:
            for frame in container.decode(stream):
                decoded += 1
                if decoded > max_frames:
                    raise EngineInputError("video_too_long", f"more than {max_frames} frames")
                t = frame.time if frame.time is not None else last_time + 1.0 / (info.fps or fps)
                last_time = t
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
            raise EngineInputError("video_corrupt", "no decodable frame")
        while k < count:  # the last frame stays on screen until the end
            shown = _shown_pixels(shown, out_w, out_h)
            yield shown[1]
            k += 1


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
    sw, sh = _cover_size(frame.width, frame.height, width, height)
    rgb = frame.to_ndarray(format="rgb24", width=sw, height=sh, interpolation="AREA")
    return _center_crop(rgb, width, height)


def _stream_seconds(container: Any, stream: Any) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / 1_000_000
    return 0.0


def _file_size(path: Path) -> int:
    try:
        if not path.is_file():
            raise EngineInputError("missing_input", f"{path.name} is not a file")
        return path.stat().st_size
    except OSError as exc:
        raise EngineInputError("missing_input", str(exc)) from None


# --------------------------------------------------------------------------------------------- frames


def _cover_size(src_w: int, src_h: int, width: int, height: int) -> tuple[int, int]:
    """Smallest aspect-preserving size of src that covers width x height."""
    scale = max(width / src_w, height / src_h)
    return max(width, round(src_w * scale)), max(height, round(src_h * scale))


def _center_crop(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    h, w = frame.shape[:2]
    y, x = (h - height) // 2, (w - width) // 2
    return frame[y : y + height, x : x + width]


def fit_frame(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale an RGB frame to cover width x height (aspect kept) and crop the centre. Exact size out."""
    h, w = frame.shape[:2]
    if (w, h) == (width, height):
        return frame
    sw, sh = _cover_size(w, h, width, height)
    if (sw, sh) != (w, h):
        import av

        src = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
        interpolation = "AREA" if sw < w else "BICUBIC"
        frame = src.to_ndarray(format="rgb24", width=sw, height=sh, interpolation=interpolation)
    return _center_crop(frame, width, height)


def fit_frames(frames: np.ndarray, width: int, height: int) -> np.ndarray:
    """`fit_frame` over an (N, H, W, 3) array."""
    if frames.shape[1:3] == (height, width):
        return frames
    return np.stack([fit_frame(f, width, height) for f in frames])


class Watermark:
    """A visible "Reelbot" label in a dark box in the bottom-right corner, pre-rendered once per size."""

    def __init__(self, width: int, height: int, text: str = WATERMARK_TEXT) -> None:
        from PIL import Image, ImageDraw, ImageFont

        text_px = max(10, round(min(width, height) * 0.045))
        pad, margin = max(3, text_px // 3), max(4, round(min(width, height) * 0.025))
        try:
            font: ImageFont.ImageFont | ImageFont.FreeTypeFont = ImageFont.load_default(size=text_px)
        except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
            font = ImageFont.load_default()
        probe = ImageDraw.Draw(Image.new("L", (1, 1)))
        left, top, right, bottom = probe.textbbox((0, 0), text, font=font)
        box_w = int(min(width, right - left + 2 * pad))
        box_h = int(min(height, bottom - top + 2 * pad))
        overlay = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 150))
        ImageDraw.Draw(overlay).text((pad - left, pad - top), text, font=font, fill=(255, 255, 255, 235))
        rgba = np.asarray(overlay, dtype=np.float32)
        self.alpha = rgba[..., 3:4] / 255.0
        self.color = rgba[..., :3] * self.alpha
        self.x = max(0, width - box_w - margin)
        self.y = max(0, height - box_h - margin)
        self.box = (self.x, self.y, box_w, box_h)

    def apply(self, frame: np.ndarray) -> np.ndarray:
        """Blend the label into `frame` (a writable uint8 RGB array) in place; returns it."""
        _, _, bw, bh = self.box
        region = frame[self.y : self.y + bh, self.x : self.x + bw].astype(np.float32)
        region = region * (1.0 - self.alpha) + self.color
        frame[self.y : self.y + bh, self.x : self.x + bw] = np.clip(region + 0.5, 0, 255).astype(np.uint8)
        return frame


# --------------------------------------------------------------------------------------------- writing


def prompt_hash(prompt: str) -> str:
    """SHA-256 of the prompt: provenance without storing the text in the file."""
    return hashlib.sha256(prompt.encode("utf-8")).hexdigest()


def provenance(
    model: str, job_id: str, prompt: str, extra: Mapping[str, object] | None = None
) -> dict[str, str]:
    """The metadata every Reelbot file carries; `extra` adds keys but never replaces these."""
    meta = {k: str(v) for k, v in (extra or {}).items() if v is not None}
    meta.update(
        {
            "generator": "Reelbot",
            "comment": f"AI-generated with Reelbot ({model}), job {job_id}",
            "reelbot_model": model,
            "reelbot_job": job_id,
            "reelbot_prompt_sha256": prompt_hash(prompt),
            "reelbot_ai_generated": "true",
        }
    )
    return meta


@dataclass
class EncodedVideo:
    path: Path
    bytes: int
    frames: int
    attempts: int
    poster_frame: np.ndarray | None


#: A re-iterable source of frames: encode_video may need a second pass to meet a size cap.
FrameSource = Callable[[], Iterable[np.ndarray]]

_CODECS = ("libx264", "libopenh264")


def encode_video(
    frames: FrameSource,
    path: str | Path,
    *,
    width: int,
    height: int,
    fps: int,
    frame_count: int,
    metadata: dict[str, str] | None = None,
    watermark: bool = False,
    max_bytes: int | None = None,
    crf: int = 21,
    preset: str = "veryfast",
) -> EncodedVideo:
    """Encode frames (any size; each is fitted to width x height) to an H.264 yuv420p MP4 with the moov
    atom first (+faststart) so it plays inline while downloading in Discord, Telegram and browsers.

    Exactly `frame_count` frames are written at `fps` (a short source repeats its last frame). When
    `max_bytes` is set the bitrate is capped to fit it, and the clip is re-encoded at a lower rate if the
    first pass still came out too big. Returns the path, size and the middle frame (for the poster).
    Raises EngineInputError("max_bytes_too_small") when no bitrate can fit the cap.
    """
    if width % 2 or height % 2:
        raise EngineInputError("bad_size", f"{width}x{height}: yuv420p needs even sides")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    seconds = frame_count / fps
    mark = Watermark(width, height) if watermark else None
    # VBV with a buffer of half a second lets a stream run to maxrate * (seconds + 0.5); keep 8 % headroom.
    maxrate = None if max_bytes is None else max_bytes * 8 * 0.92 / (seconds + 0.5)
    result: EncodedVideo | None = None
    for attempt in range(1, 4):
        if maxrate is not None and maxrate < 20_000:
            break
        result = _encode_once(
            frames,
            path,
            width,
            height,
            fps,
            frame_count,
            metadata or {},
            mark,
            crf=crf + 4 * (attempt - 1),
            preset=preset,
            maxrate=maxrate,
        )
        result.attempts = attempt
        if max_bytes is None or result.bytes <= max_bytes:
            return result
        log.info("%s: %d bytes > cap %d, re-encoding at a lower rate", path.name, result.bytes, max_bytes)
        assert maxrate is not None
        maxrate = maxrate * (max_bytes / result.bytes) * 0.85
    if path.exists():
        path.unlink()
    raise EngineInputError("max_bytes_too_small", f"cannot fit {seconds:.1f} s into {max_bytes} bytes")


def _encode_once(
    frames: FrameSource,
    path: Path,
    width: int,
    height: int,
    fps: int,
    frame_count: int,
    metadata: dict[str, str],
    mark: Watermark | None,
    *,
    crf: int,
    preset: str,
    maxrate: float | None,
) -> EncodedVideo:
    import av

    tmp = path.with_name(f".{path.name}.part")
    poster_index = frame_count // 2
    poster: np.ndarray | None = None
    written = 0
    with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart+use_metadata_tags"}) as out:
        for key, value in metadata.items():
            out.metadata[key] = value
        stream = _add_h264_stream(out, width, height, fps, crf, preset, maxrate)
        last: np.ndarray | None = None
        for frame in frames():
            if written >= frame_count:
                break
            last = _prepare(frame, width, height, mark)
            if written == poster_index:
                poster = last
            _mux(out, stream, last, written)
            written += 1
        while last is not None and written < frame_count:  # hold the last frame to the exact length
            if written == poster_index:
                poster = last
            _mux(out, stream, last, written)
            written += 1
        for packet in stream.encode():
            out.mux(packet)
    if written == 0:
        tmp.unlink(missing_ok=True)
        raise EngineInputError("video_corrupt", "nothing to encode")
    os.replace(tmp, path)
    return EncodedVideo(path, path.stat().st_size, written, 1, poster)


def _add_h264_stream(
    out: Any, width: int, height: int, fps: int, crf: int, preset: str, maxrate: float | None
) -> Any:
    import av

    last_error: Exception | None = None
    for codec in _CODECS:
        try:
            stream = out.add_stream(codec, rate=fps)
        except (av.error.FFmpegError, ValueError) as exc:  # codec not in this FFmpeg build
            last_error = exc
            continue
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, fps)
        options = {"g": str(2 * fps)}
        if codec == "libx264":
            options.update({"preset": preset, "crf": str(crf), "profile": "high"})
        if maxrate is not None:
            options.update({"maxrate": str(int(maxrate)), "bufsize": str(int(maxrate / 2))})
            if codec != "libx264":
                stream.bit_rate = int(maxrate)
        stream.options = options
        return stream
    raise RuntimeError(f"no H.264 encoder in this FFmpeg build ({last_error})")


def _prepare(frame: np.ndarray, width: int, height: int, mark: Watermark | None) -> np.ndarray:
    frame = fit_frame(frame, width, height)
    if mark is not None:
        frame = mark.apply(np.array(frame, dtype=np.uint8, copy=True))
    return np.ascontiguousarray(frame)


def _mux(out: Any, stream: Any, pixels: np.ndarray, index: int) -> None:
    import av

    frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
    frame.pts = index
    for packet in stream.encode(frame):
        out.mux(packet)


def write_poster(frame: np.ndarray, path: str | Path, metadata: dict[str, str] | None = None) -> Path:
    """Save a JPEG poster frame with the provenance in its EXIF (Software, ImageDescription) and comment."""
    from PIL import Image

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = metadata or {}
    img = Image.fromarray(np.ascontiguousarray(frame), "RGB")
    exif = Image.Exif()
    exif[0x0131] = meta.get("generator", "Reelbot")  # Software
    exif[0x010E] = meta.get("comment", "AI-generated with Reelbot")  # ImageDescription
    comment = "; ".join(f"{k}={v}" for k, v in meta.items() if k != "comment")
    tmp = path.with_name(f".{path.name}.part")
    img.save(tmp, "JPEG", quality=85, exif=exif, comment=comment.encode("utf-8"))
    os.replace(tmp, path)
    return path


def read_container_metadata(path: str | Path) -> dict[str, str]:
    """The container-level metadata of a video file (what `encode_video` wrote)."""
    import av

    with av.open(str(path)) as container:
        return dict(container.metadata)
