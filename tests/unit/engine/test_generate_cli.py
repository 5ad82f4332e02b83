"""`reelbot generate` (engine/generate.py): options -> EngineJob, one JSON line out, clear exit codes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from engine.decoder import probe_video
from engine.generate import add_arguments, job_from_args, main
from tests.unit.engine.sample_media import bar_index, decode

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="reelbot generate")
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_options_map_onto_the_job(tmp_path: Path) -> None:
    out = tmp_path / "clips" / "cat.mp4"
    job = job_from_args(parse("a cat", "--resolution", "720p", "--aspect", "9:16", "--seconds", "3", "--seed", "4",
                              "--plan", "pro", "--variations", "2", "--steps", "5", "--out", str(out)))  # fmt: skip
    assert (job.action, job.prompt, job.width, job.height, job.seconds) == ("create", "a cat", 720, 1280, 3)
    assert (job.seed, job.variations, job.steps, job.watermark) == (4, 2, 5, False)
    assert (job.out_dir, job.out_name) == (out.parent, "cat")


@pytest.mark.parametrize(
    ("argv", "action"),
    [
        (["--image", "a.png"], "animate"),
        (["--video", "a.mp4"], "remix"),
        (["--video", "a.mp4", "b.mp4"], "blend"),
        (["--video", "a.mp4", "--trim", "1", "2"], "recut"),
        (["--video", "a.mp4", "--extend"], "recut"),
        (["--video", "a.mp4", "--loop"], "loop"),
        (["--cards", '[{"at": 0, "prompt": "x"}]'], "storyboard"),
    ],
)
def test_action_is_inferred_from_the_inputs(argv: list[str], action: str, tmp_path: Path) -> None:
    assert job_from_args(parse("x", *argv, "--out", str(tmp_path / "o.mp4"))).action == action


def test_audio_is_on_unless_no_audio(tmp_path: Path) -> None:
    out = str(tmp_path / "o.mp4")
    assert job_from_args(parse("x", "--out", out)).audio is True
    assert job_from_args(parse("x", "--no-audio", "--out", out)).audio is False


def test_plan_decides_the_watermark(tmp_path: Path) -> None:
    out = str(tmp_path / "o.mp4")
    assert job_from_args(parse("x", "--plan", "free", "--out", out)).watermark is True
    assert job_from_args(parse("x", "--plan", "plus", "--out", out)).watermark is True
    assert job_from_args(parse("x", "--plan", "pro", "--out", out)).watermark is False


def test_bad_input_exits_2_before_loading_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(parse("x" * 10_000, "--model", "no-such-model", "--out", str(tmp_path / "o.mp4"))) == 2
    assert "prompt_too_long" in capsys.readouterr().err
    assert main(parse("x", "--out", str(tmp_path / "o.mov"))) == 2
    assert main(parse("x", "--cards", "not json", "--out", str(tmp_path / "o.mp4"))) == 2


@pytest.mark.slow
def test_generate_prints_one_json_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "clip.mp4"
    rc = main(parse("a red kite", "--model", "tiny", "--data-dir", str(data_dir), "--seconds", "1", "--aspect",
                    "1:1", "--steps", "1", "--seed", "3", "--plan", "pro", "--quiet", "--out", str(out)))  # fmt: skip
    assert rc == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["path"] == str(out) and out.is_file() and out.with_suffix(".jpg").is_file()
    assert (result["frames"], result["fps"], result["width"], result["height"]) == (24, 24, 480, 480)
    assert result["seconds"] == 1.0 and result["wall_s"] > 0 and result["seed"] == 3
    assert probe_video(out).frames == 24


@pytest.mark.slow
def test_recut_with_seconds_and_no_trim_keeps_the_first_seconds(
    data_dir: Path, bar_clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cut.mp4"
    rc = main(parse("--action", "recut", "--video", str(bar_clip), "--seconds", "1", "--aspect", "1:1",
                    "--model", "tiny", "--data-dir", str(data_dir), "--plan", "pro", "--quiet", "--no-audio",
                    "--out", str(out)))  # fmt: skip
    assert rc == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["frames"], result["seconds"], result["audio"]) == (24, 1.0, False)
    assert probe_video(out).frames == 24  # the source is 3 s (72 frames)
    assert [bar_index(f, 6) for f in decode(out)] == list(range(24))  # its first second, frame for frame


def test_presets_prints_the_json_list(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main as reelbot

    assert reelbot(["presets"]) == 0
    listing = json.loads(capsys.readouterr().out)
    names = [p["name"] for p in listing]
    assert names[0] == "tiny" and "ltx-2.5-distilled" in names and "ltx-2b-distilled" in names
    for p in listing:
        assert {"name", "model_id", "audio", "max_resolution", "min_gpu_gb", "licence"} <= set(p)


@pytest.mark.slow
@pytest.mark.parametrize("silent", [False, True])
def test_generate_makes_sound_unless_no_audio(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], silent: bool
) -> None:
    import av

    out = tmp_path / "sound.mp4"
    argv = ["a dog barking", "--model", "tiny", "--data-dir", str(data_dir), "--seconds", "1", "--aspect", "1:1",
            "--steps", "1", "--plan", "pro", "--quiet", "--out", str(out)] + (["--no-audio"] if silent else [])  # fmt: skip
    assert main(parse(*argv)) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["audio"] is (not silent)
    with av.open(str(out)) as c:
        assert bool(c.streams.audio) is (not silent)
