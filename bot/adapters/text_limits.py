"""Fitting a message into a platform's length limit: lengths in UTF-16 code units (what Telegram and
Discord count), and shortening with "…" that spares the lines around the longest one.

Pure functions, shared by every channel; no platform import, no wording.
"""

from __future__ import annotations


def utf16_len(s: str) -> int:
    """Length as Telegram and Discord count it (UTF-16 code units: an emoji outside the BMP counts 2)."""
    return len(s.encode("utf-16-le")) // 2


def cut(s: str, units: int) -> str:
    """The longest prefix of `s` of at most `units` UTF-16 units (never half a surrogate pair)."""
    out, used = [], 0
    for ch in s:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            break
        out.append(ch)
    return "".join(out)


def fit(message: str, limit: int) -> str:
    """`message` shortened with "…" so that it counts at most `limit` units. The longest line (a prompt,
    usually) is shortened first, so the lines around it (author, price) survive. Light markup only ever
    makes the parsed text shorter, so measuring the plain text is safe."""
    if utf16_len(message) <= limit:
        return message
    lines = message.split("\n")
    longest = max(range(len(lines)), key=lambda i: utf16_len(lines[i]))
    excess = utf16_len(message) - limit + 1
    if utf16_len(lines[longest]) > excess:
        lines[longest] = cut(lines[longest], utf16_len(lines[longest]) - excess) + "…"
        shortened = "\n".join(lines)
        if utf16_len(shortened) <= limit:
            return shortened
    return cut(message, limit - 1) + "…"
