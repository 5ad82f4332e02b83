"""engine/audio.py and engine/footage.py: exact lengths, joins without clicks, a loop's seam, sample rates, and
footage keeping picture and sound in step. No model, no files."""

from __future__ import annotations

import numpy as np

from engine import audio as au
from engine.footage import Footage, join

RATE = au.OUTPUT_RATE


def _tone(seconds: float, hz: float = 440.0, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return np.stack([0.4 * np.sin(2 * np.pi * hz * t)] * 2).astype(np.float32)


def test_fit_cuts_and_pads_with_silence() -> None:
    tone = _tone(1.0)
    assert au.fit(tone, 100).shape == (2, 100)
    padded = au.fit(tone, RATE + 50)
    assert padded.shape == (2, RATE + 50) and not padded[:, RATE:].any()


def test_join_has_no_click() -> None:
    a, b = _tone(0.5), -_tone(0.5)  # opposite phase: a plain cut jumps
    joined = au.join([a, b])
    assert joined.shape[1] == a.shape[1] + b.shape[1] - au.SEAM_SAMPLES
    step = np.abs(np.diff(joined, axis=1)).max()
    assert step <= np.abs(np.diff(a, axis=1)).max() * 1.5


def test_close_loop_runs_on_into_its_start() -> None:
    track = _tone(1.3, hz=123.25)  # not a whole number of periods in 1 s: the plain wrap jumps
    samples = RATE
    plain_wrap = abs(float(track[0, samples - 1] - track[0, 0]))
    looped = au.close_loop(track, samples)
    assert looped.shape == (2, samples)
    wrap = np.abs(looped[:, -1] - looped[:, 0]).max()
    ordinary = np.abs(np.diff(track, axis=1)).max()
    assert wrap <= ordinary * 1.01 and plain_wrap > 10 * ordinary
    k = round(au.LOOP_SECONDS * RATE)
    assert np.array_equal(looped[:, k:], track[:, k:samples])  # only the opening is touched


def test_resample_keeps_duration_and_pitch() -> None:
    tone = _tone(1.0, hz=440.0, rate=16_000)
    up = au.resample(tone, 16_000)
    assert up.shape == (2, RATE)
    assert np.abs(up[:, :-3] - _tone(1.0)[:, :-3]).max() < 0.01  # (the last samples hold the last value)
    down = au.resample(up, RATE, 24_000)
    assert down.shape == (2, 24_000)


def test_footage_cuts_and_joins_keep_sound_in_step() -> None:
    frames = np.zeros((48, 4, 4, 3), dtype=np.uint8)
    f = Footage(frames, 24, _tone(2.0))
    part = f.cut(12, 36)
    assert len(part) == 24 and part.audio is not None and part.audio.shape == (2, RATE)
    assert np.array_equal(part.audio, f.audio[:, RATE // 2 : RATE // 2 + RATE])
    whole = join([f.cut(0, 24), Footage(frames[:24], 24), f.cut(24)])  # a silent part in the middle
    assert len(whole) == 72 and whole.audio is not None and whole.audio.shape == (2, 3 * RATE)
    assert np.abs(whole.audio[:, RATE + 1000 : 2 * RATE - 1000]).max() == 0.0
    assert join([Footage(frames, 24), Footage(frames, 24)]).audio is None
    assert f.at_fps(30).audio.shape == (2, 2 * RATE) and len(f.at_fps(30)) == 60
