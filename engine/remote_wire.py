"""What travels between the bot and its remote workers through Redis: the names of keys and channels, the
JSON form of streaQ's task data (never pickle: nothing read from Redis can run code here), a job's payload
(its EngineJob with the input files as bytes) and a run's result (its Clip with the files as bytes).

Plain data and file I/O only: no Redis client, no engine, no decisions about jobs.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coredis.exceptions import RedisError
from streaq.constants import REDIS_ABORT, REDIS_CHANNEL, REDIS_PREFIX, REDIS_RESULT, REDIS_STREAM, REDIS_TASK

from engine.spec import Clip, EngineInputError, EngineJob

#: the one task a worker runs: render(payload) -> result
TASK_NAME = "reelbot.render"
#: what a result's "outcome" says: the clip, input the engine refused, a job this worker's model cannot
#: run (the bot sends it elsewhere), or an engine failure
OUTCOMES = frozenset({"done", "input_error", "refused", "engine_error"})


@dataclass(frozen=True)
class Names:
    """Every Redis name one bot and its workers share, for queue `queue` (several bots may share a Redis
    under different queue names). streaQ's own keys are built from its constants."""

    queue: str = "reelbot"

    def worker_key(self, worker_id: str) -> str:
        """A worker's announcement (JSON, expiring unless renewed by its heartbeat)."""
        return f"reelbot:{self.queue}:worker:{worker_id}"

    @property
    def worker_pattern(self) -> str:
        return f"reelbot:{self.queue}:worker:*"

    @property
    def progress_channel(self) -> str:
        """Where workers publish `started` and per-step `progress` of the runs they hold."""
        return f"reelbot:{self.queue}:progress"

    @property
    def epoch_key(self) -> str:
        """A token the bot writes once: gone means Redis lost its data (restarted empty)."""
        return f"reelbot:{self.queue}:epoch"

    @property
    def _streaq(self) -> str:
        return REDIS_PREFIX + self.queue

    def stream_key(self, worker_id: str) -> str:
        """The stream only `worker_id` reads (its streaQ priority is its id)."""
        return self._streaq + REDIS_STREAM + worker_id

    def result_key(self, task_id: str) -> str:
        return self._streaq + REDIS_RESULT + task_id

    @property
    def result_pattern(self) -> str:
        """The channels streaQ publishes each result on (one per task)."""
        return self._streaq + REDIS_CHANNEL + "*"

    def task_id_of_channel(self, channel: str) -> str:
        return channel[len(self._streaq + REDIS_CHANNEL) :]

    def task_key(self, task_id: str) -> str:
        return self._streaq + REDIS_TASK + task_id

    @property
    def abort_key(self) -> str:
        return self._streaq + REDIS_ABORT


def new_task_id(job_id: str, worker_id: str) -> str:
    """A dispatch's transport id: `<job>.<worker>.<nonce>` (job and worker ids hold no dot)."""
    return f"{job_id}.{worker_id}.{secrets.token_hex(3)}"


def split_task_id(task_id: str) -> tuple[str, str]:
    """(job id, worker id) of a dispatch id; ValueError for anything else."""
    parts = task_id.split(".")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"not a dispatch id: {task_id!r}")
    return parts[0], parts[1]


# ------------------------------------------------------------------------------ streaQ's task data


class RemoteError(Exception):
    """An exception streaQ stored in a result (its class name and message; the object stays remote)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


def _plain(value: Any) -> Any:
    if isinstance(value, BaseException):
        kind = value.kind if isinstance(value, RemoteError) else type(value).__name__
        return {"__error__": kind, "message": str(value.message if isinstance(value, RemoteError) else value)}
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} does not travel through the queue")


def _revive(obj: dict[str, Any]) -> Any:
    if set(obj) == {"__error__", "message"}:
        return RemoteError(str(obj["__error__"]), str(obj["message"]))
    return obj


def dumps(data: Any) -> str:
    """streaQ's serializer: JSON; exceptions (streaQ stores some in results) become {"__error__", "message"}."""
    return json.dumps(data, default=_plain, ensure_ascii=False, separators=(",", ":"))


def loads(raw: str | bytes) -> Any:
    """streaQ's deserializer: the inverse of `dumps` (stored exceptions come back as RemoteError)."""
    return json.loads(raw, object_hook=_revive)


# ------------------------------------------------------------------------------ payloads and results


def _b64(path: Path) -> str:
    return base64.b64encode(Path(path).read_bytes()).decode("ascii")


def _safe_name(name: object) -> str:
    """A bare file name (no folder, no '..'); raises EngineInputError("bad_job") otherwise."""
    if (
        not isinstance(name, str)
        or not name
        or name in (".", "..")
        or Path(name).name != name
        or "\\" in name
    ):
        raise EngineInputError("bad_job", f"bad file name in the payload: {name!r}"[:120])
    return name


def encode_job(job: EngineJob, seq: int) -> dict[str, Any]:
    """The payload of one dispatch: the job as `EngineJob.to_dict` writes it, with each input file named
    by a bare name and its bytes alongside (workers share no disk with the bot), and `seq`, the bot's
    order of dispatches to this worker. Reads the input files (call it off the event loop)."""
    data = job.to_dict()
    files: dict[str, str] = {}
    for kind in ("images", "videos"):
        names = []
        for i, path in enumerate(getattr(job, kind)):
            name = f"{kind[0]}{i}-{Path(path).name}"
            files[name] = _b64(Path(path))
            names.append(name)
        data[kind] = names
    return {"job": data, "files": files, "seq": seq}


def decode_job(payload: Any, work_dir: Path) -> EngineJob:
    """The EngineJob of a payload, its input files written under `work_dir/in` and its output going to
    `work_dir/out`. Raises EngineInputError("bad_job") for a payload that is not one `encode_job` made."""
    if not isinstance(payload, dict) or not isinstance(payload.get("job"), dict):
        raise EngineInputError("bad_job", "a payload is an object with a job")
    files = payload.get("files") or {}
    if not isinstance(files, dict):
        raise EngineInputError("bad_job", "files must be an object")
    inputs = work_dir / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    data = dict(payload["job"])
    for kind in ("images", "videos"):
        paths = []
        for name in data.get(kind) or []:
            name = _safe_name(name)
            if not isinstance(files.get(name), str):
                raise EngineInputError("bad_job", f"input {name} is missing from the payload")
            (inputs / name).write_bytes(base64.b64decode(files[name]))
            paths.append(str(inputs / name))
        data[kind] = paths
    data["out_dir"] = str(work_dir / "out")
    return EngineJob.from_dict(data)


def encode_clip(clip: Clip) -> dict[str, Any]:
    """A `done` result: the clip's fields (`Clip.to_dict`) with bare file names, and the files' bytes."""
    files = {p.name: _b64(p) for p in [*clip.paths, *clip.posters]}
    data = clip.to_dict()
    data["path"] = clip.paths[0].name
    data["paths"] = [p.name for p in clip.paths]
    data["posters"] = [p.name for p in clip.posters]
    return {"outcome": "done", "clip": data, "files": files}


def decode_clip(result: dict[str, Any], out_dir: Path) -> Clip:
    """Write a `done` result's files into `out_dir` and return the Clip naming them there. Raises
    ValueError for a result that is not one `encode_clip` made."""
    clip, files = result.get("clip"), result.get("files")
    if not isinstance(clip, dict) or not isinstance(files, dict):
        raise ValueError("a done result carries a clip and its files")
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        names = {
            "paths": [_safe_name(n) for n in clip["paths"]],
            "posters": [_safe_name(n) for n in clip["posters"]],
        }
    except EngineInputError as exc:
        raise ValueError(str(exc)) from exc
    for name in [*names["paths"], *names["posters"]]:
        if not isinstance(files.get(name), str):
            raise ValueError(f"file {name} is missing from the result")
        (out_dir / name).write_bytes(base64.b64decode(files[name]))
    return Clip(
        paths=[out_dir / n for n in names["paths"]],
        posters=[out_dir / n for n in names["posters"]],
        frames=int(clip["frames"]),
        fps=int(clip["fps"]),
        width=int(clip["width"]),
        height=int(clip["height"]),
        seconds=float(clip["seconds"]),
        wall_s=float(clip["wall_s"]),
        model=str(clip["model"]),
        seed=clip.get("seed"),
        audio=bool(clip.get("audio", False)),
    )


def redis_trouble(exc: BaseException) -> bool:
    """Is `exc` (or every exception in a group, as anyio task groups raise them) about reaching Redis?"""
    if isinstance(exc, BaseExceptionGroup):
        return all(redis_trouble(e) for e in exc.exceptions)
    return isinstance(exc, RedisError | OSError)
