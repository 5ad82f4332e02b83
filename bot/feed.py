"""The Explore feed as a read model: finished clips from every channel, newest first (or this week's most
reacted-to and remixed), each with who made it where, from what prompt and settings, what it cost, its
lineage both ways and its reaction counts; plus the table of reactions those counts come from.

Reads the job table through the shared Database and never writes a job. Privacy is decided here once: a
clip is in the feed when it is finished, public (made in a shared chat, or shared by its author), not
deleted, and its channel is not one the operator took out of the feed. A member also sees their own clips.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from reel.db import Database, immediate

FILTERS: Final = ("all", "mine", "top")
#: "top this week": clips finished in this window, ranked by reactions plus remixes
TOP_WINDOW_S: Final = 7 * 24 * 3600
MAX_PAGE: Final = 60
#: remixes listed under one clip (the count covers them all)
REMIXES_LISTED: Final = 8

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS feed_reactions (
        job_id TEXT NOT NULL,
        user TEXT NOT NULL,
        emoji TEXT NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (job_id, user, emoji))""",
    # the feed reads lineage downwards (the remixes of a clip): the job table's own indexes do not cover it
    "CREATE INDEX IF NOT EXISTS jobs_parent ON jobs(parent)",
)
_COLUMNS = "id, owner, action, request, price, created_at, finished_at, result, origin, parent, public"
_DONE = "state = 'done' AND deleted_at IS NULL"


class BadCursor(ValueError):
    """A page cursor this feed did not hand out."""


@dataclass(frozen=True)
class ClipRef:
    """A clip named in another's lineage: its parent, or one of its remixes. `prompt` is None when the
    viewer may not see that clip (a private one): the lineage says there is one, not what it is."""

    job_id: str
    action: str
    author: str | None
    platform: str | None
    prompt: str | None
    visible: bool


@dataclass
class FeedItem:
    """One clip of the feed, JSON-ready through `to_json`."""

    job_id: str
    author: str
    author_id: str
    platform: str
    action: str
    prompt: str
    settings: dict[str, Any]
    credits: int
    created_at: float
    finished_at: float
    width: int
    height: int
    seconds: float
    files: int
    posters: int
    public: bool
    mine: bool
    parent: ClipRef | None = None
    remixes: list[ClipRef] = field(default_factory=list)
    remix_count: int = 0
    reactions: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FeedPage:
    items: list[FeedItem]
    next_cursor: str | None


@dataclass(frozen=True)
class FeedQuery:
    """What to list. `viewer`: the ids of the member looking (their linked accounts too): their own clips
    show even when private, and `mine` lists them. `author` / `platform` narrow any filter."""

    filter: str = "all"
    viewer: tuple[str, ...] = ()
    author: str | None = None
    platform: str | None = None
    cursor: str | None = None
    limit: int = 30


def create_schema(conn: sqlite3.Connection) -> None:
    """The reactions table and the lineage index (the job table must exist already)."""
    with immediate(conn):
        for statement in _SCHEMA:
            conn.execute(statement)


class Feed:
    """The feed over a Database (see the module docstring). `hidden`: channels out of the feed, each
    `platform` (all of it) or `platform:chat`. Call `await feed.open()` once before reading."""

    def __init__(self, db: Database, hidden: Iterable[str] = ()) -> None:
        self.db = db
        self.hidden_platforms = tuple(sorted({h for h in hidden if ":" not in h}))
        self.hidden_chats = tuple(sorted({h for h in hidden if ":" in h}))

    async def open(self) -> Feed:
        await self.db.run(create_schema)
        return self

    async def page(self, query: FeedQuery) -> FeedPage:
        """One page of the feed. Raises BadCursor for a cursor it did not hand out, ValueError for an
        unknown filter."""
        if query.filter not in FILTERS:
            raise ValueError(f"unknown feed filter {query.filter!r}")
        return await self.db.run(self._page, query, time.time())

    async def get(self, job_id: str, viewer: Sequence[str] = ()) -> FeedItem | None:
        """The clip `job_id` as the feed shows it, or None when `viewer` may not see it (private, hidden,
        deleted, not finished, unknown)."""
        return await self.db.run(self._get, job_id, tuple(viewer))

    async def visible(self, job_id: str, viewer: Sequence[str] = ()) -> bool:
        return await self.get(job_id, viewer) is not None

    async def result(self, job_id: str, viewer: Sequence[str] = ()) -> dict[str, Any] | None:
        """The stored result (files) of the clip `job_id` when `viewer` may see it, else None: the check
        in front of every file a page loads, so lighter than `get`."""
        return await self.db.run(self._result, job_id, tuple(viewer))

    async def newest(self) -> float:
        """When the newest clip of the feed finished (0 when the feed is empty): cheap, for watchers."""
        return await self.db.run(self._newest)

    async def record_reaction(self, job_id: str, user: str, emoji: str) -> bool:
        """`user` reacted to the clip of `job_id` with `emoji`; counted once per member and emoji. True
        when it was new."""
        return await self.db.transaction(_insert_reaction, job_id, user, emoji, time.time())

    # -- on the database thread ------------------------------------------------------------------

    def _shown(self, alias: str = "") -> tuple[str, list[Any]]:
        """SQL (and its arguments) true for a row the whole community may see."""
        a = f"{alias}." if alias else ""
        sql = f"{a}state = 'done' AND {a}deleted_at IS NULL AND {a}public = 1"
        args: list[Any] = []
        if self.hidden_platforms:
            sql += f" AND json_extract({a}origin, '$.platform') NOT IN ({','.join('?' * len(self.hidden_platforms))})"
            args += self.hidden_platforms
        if self.hidden_chats:
            sql += (
                f" AND (json_extract({a}origin, '$.platform') || ':' || json_extract({a}origin, '$.chat_id'))"
                f" NOT IN ({','.join('?' * len(self.hidden_chats))})"
            )
            args += self.hidden_chats
        return sql, args

    def _page(self, conn: sqlite3.Connection, q: FeedQuery, now: float) -> FeedPage:
        limit = max(1, min(MAX_PAGE, q.limit))
        shown, args = self._shown()
        if q.filter == "mine":
            if not q.viewer:
                return FeedPage([], None)
            where = f"{_DONE} AND owner IN ({','.join('?' * len(q.viewer))})"
            args = list(q.viewer)
        else:
            where = shown
        if q.author:
            where += " AND owner = ?"
            args.append(q.author)
        if q.platform:
            where += " AND json_extract(origin, '$.platform') = ?"
            args.append(q.platform)
        if q.filter == "top":
            offset = _offset(q.cursor)
            where += " AND finished_at >= ?"
            args.append(now - TOP_WINDOW_S)
            sql = (
                f"SELECT {_COLUMNS}, (SELECT COUNT(*) FROM feed_reactions r WHERE r.job_id = jobs.id)"
                f" + (SELECT COUNT(*) FROM jobs c WHERE c.parent = jobs.id AND +c.state = 'done') AS score"
                f" FROM jobs WHERE {where} ORDER BY score DESC, finished_at DESC, id DESC LIMIT ? OFFSET ?"
            )
            rows = [r[:-1] for r in conn.execute(sql, [*args, limit + 1, offset]).fetchall()]
            more = len(rows) > limit
            rows = rows[:limit]
            cursor = f"o{offset + limit}" if more else None
        else:
            if q.cursor:
                finished, job_id = _position(q.cursor)
                where += " AND (finished_at, id) < (?, ?)"
                args += [finished, job_id]
            sql = f"SELECT {_COLUMNS} FROM jobs WHERE {where} ORDER BY finished_at DESC, id DESC LIMIT ?"
            rows = conn.execute(sql, [*args, limit + 1]).fetchall()
            more = len(rows) > limit
            rows = rows[:limit]
            cursor = f"t{rows[-1][6]!r}:{rows[-1][0]}" if more and rows else None
        return FeedPage(self._items(conn, rows, q.viewer), cursor)

    def _get(self, conn: sqlite3.Connection, job_id: str, viewer: tuple[str, ...]) -> FeedItem | None:
        where, args = self._visible_where(viewer)
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM jobs WHERE id = ? AND {where}", [job_id, *args]
        ).fetchone()
        if row is None:
            return None
        return self._items(conn, [row], viewer)[0]

    def _visible_where(self, viewer: tuple[str, ...]) -> tuple[str, list[Any]]:
        shown, args = self._shown()
        if not viewer:
            return f"({shown})", args
        return f"(({shown}) OR ({_DONE} AND owner IN ({','.join('?' * len(viewer))})))", [*args, *viewer]

    def _result(
        self, conn: sqlite3.Connection, job_id: str, viewer: tuple[str, ...]
    ) -> dict[str, Any] | None:
        where, args = self._visible_where(viewer)
        row = conn.execute(f"SELECT result FROM jobs WHERE id = ? AND {where}", [job_id, *args]).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def _newest(self, conn: sqlite3.Connection) -> float:
        shown, args = self._shown()
        row = conn.execute(f"SELECT MAX(finished_at) FROM jobs WHERE {shown}", args).fetchone()
        return float(row[0] or 0.0)

    def _items(
        self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]], viewer: Sequence[str]
    ) -> list[FeedItem]:
        """Rows -> items, with their lineage and reactions read in three queries for the whole page."""
        if not rows:
            return []
        ids = [str(r[0]) for r in rows]
        marks = ",".join("?" * len(ids))
        shown, shown_args = self._shown("j")
        viewer_marks = ",".join("?" * len(viewer)) or "NULL"
        visible_sql = f"(({shown}) OR (j.owner IN ({viewer_marks})))"
        parent_ids = sorted({str(r[9]) for r in rows if r[9]})
        parents: dict[str, ClipRef] = {}
        if parent_ids:
            pm = ",".join("?" * len(parent_ids))
            for pid, action, request, origin, owner, ok in conn.execute(
                f"SELECT j.id, j.action, j.request, j.origin, j.owner, {visible_sql} FROM jobs j WHERE j.id IN ({pm})",
                [*shown_args, *viewer, *parent_ids],
            ):
                parents[str(pid)] = _ref(pid, action, request, origin, owner, bool(ok))
        remixes: dict[str, list[ClipRef]] = {i: [] for i in ids}
        counts: dict[str, int] = dict.fromkeys(ids, 0)
        for cid, parent, action, request, origin, owner, ok in conn.execute(
            f"SELECT j.id, j.parent, j.action, j.request, j.origin, j.owner, {visible_sql} FROM jobs j"
            # `+j.state`: look the remixes up by parent (jobs_parent), not by state, which every clip shares
            f" WHERE j.parent IN ({marks}) AND +j.state = 'done' AND j.deleted_at IS NULL"
            f" ORDER BY j.finished_at DESC",
            [*shown_args, *viewer, *ids],
        ):
            if not ok:
                continue  # a private remix is not announced under a public clip
            counts[str(parent)] += 1
            if len(remixes[str(parent)]) < REMIXES_LISTED:
                remixes[str(parent)].append(_ref(cid, action, request, origin, owner, True))
        reactions: dict[str, dict[str, int]] = {i: {} for i in ids}
        for job_id, emoji, n in conn.execute(
            f"SELECT job_id, emoji, COUNT(*) FROM feed_reactions WHERE job_id IN ({marks})"
            f" GROUP BY job_id, emoji ORDER BY COUNT(*) DESC",
            ids,
        ):
            reactions[str(job_id)][str(emoji)] = int(n)
        items = []
        for r in rows:
            item = _item(r, viewer)
            item.parent = parents.get(str(r[9])) if r[9] else None
            item.remixes, item.remix_count = remixes[item.job_id], counts[item.job_id]
            item.reactions = reactions[item.job_id]
            items.append(item)
        return items


def _item(row: tuple[Any, ...], viewer: Sequence[str]) -> FeedItem:
    job_id, owner, action, request, price, created, finished, result, origin, _parent, public = row
    req = json.loads(request) if request else {}
    res = json.loads(result) if result else {}
    orig = json.loads(origin) if origin else {}
    settings = {
        k: req.get(k)
        for k in (
            "seconds",
            "resolution",
            "aspect",
            "variations",
            "mode",
            "seed",
            "audio",
            "negative",
            "loop",
        )
    }
    return FeedItem(
        job_id=str(job_id),
        author=str(orig.get("author") or owner),
        author_id=str(owner),
        platform=str(orig.get("platform") or str(owner).partition(":")[0]),
        action=str(action),
        prompt=str(req.get("prompt") or ""),
        settings=settings,
        credits=int(price),
        created_at=float(created),
        finished_at=float(finished or created),
        width=int(res.get("width") or 0),
        height=int(res.get("height") or 0),
        seconds=float(res.get("seconds") or 0),
        files=len((res.get("paths") or [res.get("path")]) if res else []),
        posters=len(res.get("posters") or []),
        public=bool(public),
        mine=str(owner) in viewer,
    )


def _ref(job_id: Any, action: Any, request: Any, origin: Any, owner: Any, visible: bool) -> ClipRef:
    if not visible:
        return ClipRef(str(job_id), str(action), None, None, None, False)
    req = json.loads(request) if request else {}
    orig = json.loads(origin) if origin else {}
    return ClipRef(
        str(job_id),
        str(action),
        str(orig.get("author") or owner),
        str(orig.get("platform") or ""),
        str(req.get("prompt") or ""),
        True,
    )


def _insert_reaction(conn: sqlite3.Connection, job_id: str, user: str, emoji: str, at: float) -> bool:
    cur = conn.execute(
        "INSERT OR IGNORE INTO feed_reactions (job_id, user, emoji, at) VALUES (?,?,?,?)",
        (job_id, user, emoji, at),
    )
    return cur.rowcount == 1


def _position(cursor: str) -> tuple[float, str]:
    """A time cursor "t<finished_at>:<job id>" -> its parts. Raises BadCursor."""
    if not cursor.startswith("t") or ":" not in cursor:
        raise BadCursor(cursor)
    stamp, _, job_id = cursor[1:].partition(":")
    try:
        return float(stamp), job_id
    except ValueError:
        raise BadCursor(cursor) from None


def _offset(cursor: str | None) -> int:
    """A rank cursor "o<offset>" -> the offset (none: 0). Raises BadCursor."""
    if not cursor:
        return 0
    if not cursor.startswith("o") or not cursor[1:].isdigit():
        raise BadCursor(cursor)
    return int(cursor[1:])
