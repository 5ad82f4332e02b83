"""The one button codec: a Button <-> the short string a platform carries back when it is tapped.

The wire format is the one buttons on old messages already carry ("p:<token>", "x:<token>",
"j:<verb>:<job id>"), so they keep working after an upgrade. Channels never look inside it; they hand it
to Core.press. The regexes double as discord.py `ui.DynamicItem` templates.
"""

from __future__ import annotations

import re
from typing import Final

from bot.replies import Button

#: a pending request (confirm / offer): "p:" takes it, "x:" dismisses it
PENDING_TEMPLATE: Final = r"(?P<op>[px]):(?P<token>[0-9a-f]{16})"
#: an action on a job's clip (or the job itself: cancel)
JOB_TEMPLATE: Final = r"j:(?P<verb>remix|loop|extend|var|del|cancel|report|share|tip):(?P<job>[0-9a-f]{12})"
_PENDING = re.compile(PENDING_TEMPLATE)
_JOB = re.compile(JOB_TEMPLATE)

#: Button action -> wire verb of a job button (the short verbs are what old messages carry)
_VERBS: Final = {
    "remix": "remix",
    "loop": "loop",
    "extend": "extend",
    "variation": "var",
    "delete": "del",
    "cancel": "cancel",
    "report": "report",
    "share": "share",
    "tip": "tip",
}
_ACTIONS: Final = {v: k for k, v in _VERBS.items()}
#: Telegram's callback_data limit, the tightest of the platforms
MAX_DATA_BYTES: Final = 64


def encode(button: Button) -> str:
    """The wire form of `button`. Raises ValueError for an unknown action or a malformed target."""
    if button.action in ("confirm", "accept", "dismiss"):
        data = f"{'x' if button.action == 'dismiss' else 'p'}:{button.target}"
        if not _PENDING.fullmatch(data):
            raise ValueError(f"bad pending token {button.target!r}")
        return data
    verb = _VERBS.get(button.action)
    if verb is None:
        raise ValueError(f"unknown button action {button.action!r}")
    data = f"j:{verb}:{button.target}"
    if not _JOB.fullmatch(data):
        raise ValueError(f"bad job id {button.target!r}")
    return data


def decode(data: str) -> Button | None:
    """The Button that `data` names, or None for anything else (forged, truncated, another bot's).
    An offer's accept comes back as `confirm`: on the wire the two are the same tap."""
    if m := _PENDING.fullmatch(data or ""):
        return Button("dismiss" if m["op"] == "x" else "confirm", m["token"])
    if m := _JOB.fullmatch(data or ""):
        return Button(_ACTIONS[m["verb"]], m["job"])
    return None
