"""Writing clips: the H.264 + AAC MP4 encoder (faststart, yuv420p tagged and converted as BT.709, size cap,
watermark, provenance metadata, a sound track exactly as long as the picture), the poster JPEG, and reading
a file's container metadata back.

Frames in are uint8 RGB arrays of any size (each is fitted to the output size); sound in is float32
(channels, samples) at 48 kHz. Nothing here knows about models or uploads.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from engine import audio as au
from engine.fitting import fit_frame
from engine.spec import EngineInputError
from engine.watermark import Watermark

log = logging.getLogger(__name__)


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
#: ITU-T H.273 code points for BT.709 (primaries, transfer, matrix) and the limited ("MPEG") range: what HD
#: players assume for untagged video too, so the tags and the RGB -> YUV matrix must both say it
_BT709 = 1
_LIMITED_RANGE = 1
#: AAC bit rate of the sound track (stereo, 48 kHz)
AUDIO_BITRATE = 128_000


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
    audio: np.ndarray | None = None,
) -> EncodedVideo:
    """Encode frames (any size; each is fitted to width x height) to an H.264 yuv420p MP4 with the moov
    atom first (+faststart) so it plays inline while downloading in Discord, Telegram and browsers.

    Exactly `frame_count` frames are written at `fps` (a short source repeats its last frame). `audio`
    (float32 (channels, samples) at 48 kHz) becomes an AAC track of exactly frame_count / fps seconds (cut or
    padded with silence); None writes no sound track. When `max_bytes` is set the bitrate is capped to fit
    it (the sound's share included), and the clip is re-encoded at a lower rate if the first pass still
    came out too big. Returns the path, size and the middle frame (for the poster).
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
    track = None
    if audio is not None:
        track = au.fit(au.as_channels(audio), round(frame_count / fps * au.OUTPUT_RATE))
        if maxrate is not None:
            maxrate -= AUDIO_BITRATE * 1.05  # the AAC track's share of the cap
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
            audio=track,
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
    audio: np.ndarray | None,
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
        if audio is not None:
            _write_aac(out, audio)
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
        cc = stream.codec_context
        cc.color_primaries, cc.color_trc, cc.colorspace = _BT709, _BT709, _BT709
        cc.color_range = _LIMITED_RANGE
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

    frame = av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(
        format="yuv420p",
        dst_colorspace="ITU709",
        dst_color_range="MPEG",
        dst_color_trc=_BT709,
        dst_color_primaries=_BT709,
    )
    frame.pts = index
    for packet in stream.encode(frame):
        out.mux(packet)


def _write_aac(out: Any, track: np.ndarray) -> None:
    """Encode `track` (stereo float32 at 48 kHz, already its exact length) as the file's AAC stream. The MP4
    muxer's edit list hides the encoder's priming and padding, so the track plays exactly its samples."""
    import av

    stream = out.add_stream("aac", rate=au.OUTPUT_RATE, layout="stereo")
    stream.bit_rate = AUDIO_BITRATE
    step = 1024 * 16
    for start in range(0, track.shape[1], step):
        chunk = np.ascontiguousarray(np.clip(track[:, start : start + step], -1.0, 1.0), dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
        frame.sample_rate, frame.pts = au.OUTPUT_RATE, start
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
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
