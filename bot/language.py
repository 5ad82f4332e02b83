"""Which of the bot's languages a member reads: from the text they wrote, or what their platform says.

Pure: no I/O; the message table (bot/messages.py) has the texts.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")


def detect_lang(sample: str | None, language_code: str | None = None) -> str:
    """'zh' when the text has Chinese characters or the platform says the member uses Chinese."""
    if sample and _CJK.search(sample) and not _KANA.search(sample):  # kana: Japanese, not Chinese
        return "zh"
    if language_code and language_code.lower().startswith("zh"):
        return "zh"
    return "en"
