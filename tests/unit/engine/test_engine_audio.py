"""Sound on the tiny LTX-2 model (issue 10 §2): every operation gives an MP4 of the asked size and length with
an AAC track exactly as long (PyAV checks), none when the job asks for silence; remix, trim and extend keep
the source's sound where it plays; a loop's sound loops; the silent draft tier writes no track."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.decoder import read_audio
from engine.spec import EngineJob
from tests.unit.engine.sample_media import SIDE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning"),
]

MakeJob = Callable[..., EngineJob]
RATE = 48_000


def run(engine: Any, job: EngineJob) -> Any:
    return engine.run(job, lambda f, e: None, lambda: False)


def streams(path: Path) -> tuple[tuple[int, int, int, float], tuple[str, int, int, float, int] | None]:
    """((width, height, frames, seconds), (codec, rate, channels, seconds, decoded samples) or None)."""
    import av

    with av.open(str(path)) as c:
        v = c.streams.video[0]
        video = (v.codec_context.width, v.codec_context.height, v.frames, float(v.duration * v.time_base))
        if not c.streams.audio:
            return video, None
        a = c.streams.audio[0]
        samples = sum(f.samples for f in c.decode(audio=0))
        return video, (a.codec_context.name, a.rate, a.channels, float(a.duration * a.time_base), samples)


def assert_sound_clip(path: Path, frames: int, width: int = SIDE, height: int = SIDE) -> None:
    video, audio = streams(path)
    assert video == (width, height, frames, frames / 24)
    assert audio is not None, "no sound track"
    codec, rate, channels, seconds, samples = audio
    assert (codec, rate, channels) == ("aac", RATE, 2)
    assert seconds == video[3]  # exactly as long as the picture
    assert abs(samples - round(frames / 24 * RATE)) < 1024  # (decoders add at most one frame of padding)


@pytest.fixture(scope="module")
def sounding_source(engine: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2 s clip with the tiny model's sound."""
    job = EngineJob(job_id="sound-src", action="create", prompt="waves on a beach", width=SIDE, height=SIDE,
                    seconds=2, seed=31, steps=2, watermark=False, out_dir=tmp_path_factory.mktemp("snd"))  # fmt: skip
    return run(engine, job).paths[0]


def _operations(source: Path, second: Path, photo: Path) -> dict[str, dict[str, Any]]:
    return {
        "create": {},
        "create-1080p": {"width": 1920, "height": 1080, "steps": 1},
        "create-loop": {"loop": True},
        "animate": {"action": "animate", "images": [photo]},
        "animate-loop": {"action": "animate", "images": [photo], "loop": True},
        "remix": {"action": "remix", "videos": [source], "strength": 0.5},
        "blend": {"action": "blend", "videos": [source, second]},
        "recut-trim": {"action": "recut", "videos": [source], "trim_start": 0.5, "trim_end": 1.5},
        "recut-extend": {"action": "recut", "videos": [source], "extend": True, "seconds": 3},
        "loop": {"action": "loop", "videos": [source]},
        "storyboard": {
            "action": "storyboard",
            "cards": [{"at": 0, "prompt": "a dog"}, {"at": 1, "prompt": "rain"}],
        },
        "variations": {"variations": 2},
    }


OPERATIONS = list(_operations(Path(), Path(), Path()))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_operation_has_sound_exactly_as_long(
    engine: Any, make_job: MakeJob, sounding_source: Path, second_clip: Path, photo: Path, operation: str
) -> None:
    changes = {"seconds": 2, "steps": 2, **_operations(sounding_source, second_clip, photo)[operation]}
    clip = run(engine, make_job(**changes))
    assert clip.audio is True
    frames = 24 if operation == "recut-trim" else changes["seconds"] * 24
    for path in clip.paths:
        assert_sound_clip(path, frames, changes.get("width", SIDE), changes.get("height", SIDE))


@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_sound_when_the_job_asks_for_silence(
    engine: Any, make_job: MakeJob, sounding_source: Path, second_clip: Path, photo: Path, operation: str
) -> None:
    changes = {"seconds": 2, "steps": 1, **_operations(sounding_source, second_clip, photo)[operation]}
    clip = run(engine, make_job(audio=False, **changes))
    assert clip.audio is False
    for path in clip.paths:
        video, audio = streams(path)
        assert audio is None and video[2] == (24 if operation == "recut-trim" else changes["seconds"] * 24)


def _similar(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised correlation of two tracks (1.0: the same waveform)."""
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum() + 1e-12))


def test_remix_trim_and_extend_keep_the_sources_sound(
    engine: Any, make_job: MakeJob, sounding_source: Path
) -> None:
    source = read_audio(sounding_source)
    assert source is not None
    remix = read_audio(
        run(engine, make_job("remix", videos=[sounding_source], strength=0.6, seconds=2)).paths[0]
    )
    trim = read_audio(
        run(engine, make_job("recut", videos=[sounding_source], trim_start=0.5, trim_end=1.5)).paths[0]
    )
    extend = read_audio(
        run(engine, make_job("recut", videos=[sounding_source], extend=True, seconds=3)).paths[0]
    )
    assert remix is not None and trim is not None and extend is not None
    assert _similar(remix[:, 2000:94000], source[:, 2000:94000]) > 0.9
    assert _similar(trim[:, 2000:46000], source[:, 26000:70000]) > 0.9
    assert _similar(extend[:, 2000:94000], source[:, 2000:94000]) > 0.9
    assert np.abs(extend[:, 100_000:]).mean() > 0.01  # and the extension has its own sound


def test_a_loops_sound_loops(engine: Any, make_job: MakeJob) -> None:
    plain = read_audio(run(engine, make_job(seconds=2, seed=4)).paths[0])
    looped = read_audio(run(engine, make_job(seconds=2, seed=4, loop=True)).paths[0])
    assert plain is not None and looped is not None
    steps = np.abs(np.diff(looped, axis=1))
    wrap = np.abs(looped[:, -1] - looped[:, 0])
    assert (wrap <= np.percentile(steps, 99, axis=1)).all()  # the end runs on into the start


def test_the_silent_draft_tier_writes_no_track(draft_engine: Any, make_job: MakeJob) -> None:
    clip = run(draft_engine, make_job(steps=1))
    assert clip.audio is False and streams(clip.paths[0])[1] is None


def test_a_trim_of_a_sounding_clip_keeps_its_sound_on_the_draft_tier(
    draft_engine: Any, make_job: MakeJob, sounding_source: Path
) -> None:
    clip = run(draft_engine, make_job("recut", videos=[sounding_source], trim_start=0.0, trim_end=1.0))
    assert clip.audio is True
    assert_sound_clip(clip.paths[0], 24)
