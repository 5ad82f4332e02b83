"""The one moderation interface every path goes through: prompt text (and negative prompts, storyboard
cards), input images, and sampled frames of a finished clip before it is posted. It answers a Verdict:
blocked or not, the one-line reason, the categories found.

Policy: minors and hate are refused everywhere; sexual content and profanity only outside adult channels
(a Discord age-restricted channel, a chat the operator lists in REELBOT_ADULT_CHATS). Terms come from the
operator-editable lists (bot/moderation/terms.py), then the optional classifiers (bot/moderation/
classifiers.py) have their say. Image checks are blocking (a model); callers run them off the event loop.
It never logs or stores a prompt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.moderation.classifiers import (
    ImageClassifier,
    TextClassifier,
    classify_clips,
    load_image_classifier,
    load_text_classifier,
)
from bot.moderation.normalize import has_cjk
from bot.moderation.terms import ADULT_ALLOWED, CATEGORIES, SEED_DIR, TermLists, read_lists, seed_lists

if TYPE_CHECKING:
    from bot.settings import Settings

#: sexual content involving minors: refused everywhere, whatever the operator's lists say
BUILT_IN_TERMS: tuple[str, ...] = (
    "csam",
    "child porn",
    "child pornography",
    "underage sex",
    "underage nude",
    "minor nude",
    "loli hentai",
    "shota hentai",
    "儿童色情",
    "兒童色情",
    "幼女色情",
    "未成年色情",
)
NO_IMAGE_CLASSIFIER = "no image classifier installed"


@dataclass(frozen=True)
class Verdict:
    """What moderation decided. `reason`: the category that blocked it (the first of `blocked_by`);
    `categories`: everything found, allowed or not; `stage`: prompt | image | output."""

    blocked: bool
    reason: str | None = None
    categories: list[str] = field(default_factory=list)
    stage: str = "prompt"

    def to_json(self) -> dict[str, Any]:
        return {"blocked": self.blocked, "reason": self.reason, "categories": list(self.categories)}


PASS = Verdict(False)


def decide(categories: Iterable[str], *, adult: bool, stage: str = "prompt") -> Verdict:
    """The policy: which found categories block, here."""
    found = list(dict.fromkeys(categories))
    blocking = [c for c in found if not (adult and c in ADULT_ALLOWED)]
    order = {c: i for i, c in enumerate(CATEGORIES)}
    blocking.sort(key=lambda c: order.get(c, len(order)))
    return Verdict(bool(blocking), blocking[0] if blocking else None, found, stage)


def adult_channel(settings: Settings, origin: dict[str, Any]) -> bool:
    """Is the chat of `origin` an adult one: flagged so by its channel (Discord's age-restricted
    channels) or listed by the operator ("platform:chat" in REELBOT_ADULT_CHATS)?"""
    if origin.get("adult") is True:
        return True
    chat = origin.get("chat_id", origin.get("chat"))
    return f"{origin.get('platform', '')}:{chat}" in getattr(settings, "adult_chats", ())


class Moderator:
    """Decides whether a prompt, an input image or a finished clip may go ahead (see the module docstring).

    `Moderator(terms)` is the seed lists plus `terms` (category custom: refused everywhere); `load` and
    `from_settings` read the operator's files and pick the classifiers."""

    def __init__(
        self,
        terms: Sequence[str] = (),
        *,
        lists: dict[str, list[str]] | None = None,
        allowed: Iterable[str] = (),
        text_classifier: TextClassifier | None = None,
        image_classifier: ImageClassifier | None = None,
        frames: int = 4,
    ) -> None:
        merged: dict[str, list[str]] = {
            k: list(v) for k, v in (seed_lists() if lists is None else lists).items()
        }
        merged.setdefault("minors", []).extend(BUILT_IN_TERMS)
        merged.setdefault("custom", []).extend(terms)
        self.terms = TermLists.build(merged, allowed)
        self.text_classifier = text_classifier
        self.image_classifier = image_classifier
        self.frames = frames

    @classmethod
    def load(
        cls,
        path: Path | None = None,
        *,
        terms_dir: Path | None = None,
        allow_file: Path | None = None,
        text: str = "off",
        images: str = "off",
        frames: int = 4,
    ) -> Moderator:
        """The lists of `terms_dir` (default: the seeds) plus the terms in the file `path` (custom), the
        phrases of `allow_file` never blocking, and the classifiers asked for (auto | off)."""
        extra = _lines(path) if path is not None else []
        lists = read_lists(sorted(terms_dir.glob("*.txt"))) if terms_dir is not None else seed_lists(SEED_DIR)
        allowed = _lines(allow_file) if allow_file is not None else []
        return cls(
            extra,
            lists=lists,
            allowed=allowed,
            text_classifier=load_text_classifier(text),
            image_classifier=load_image_classifier(images),
            frames=frames,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Moderator:
        """The operator's configured moderator (REELBOT_BLOCKED_TERMS_FILE, REELBOT_MODERATION_*)."""
        return cls.load(
            settings.blocked_terms_file,
            terms_dir=getattr(settings, "moderation_terms_dir", None),
            allow_file=getattr(settings, "moderation_allow_file", None),
            text=getattr(settings, "moderation_text_classifier", "auto"),
            images=getattr(settings, "moderation_image_classifier", "auto"),
            frames=getattr(settings, "moderation_frames", 4),
        )

    @property
    def image_mode(self) -> str:
        """The image classifier's name, or "no image classifier installed" (only the text is checked)."""
        return self.image_classifier.name if self.image_classifier is not None else NO_IMAGE_CLASSIFIER

    def check_text(self, *texts: str | None, adult: bool = False) -> Verdict:
        """The verdict on `texts` (prompt, negative prompt, storyboard cards) taken together."""
        found: list[str] = []
        for text in texts:
            if not text:
                continue
            found.extend(c for c in self.terms.categories_in(text) if c not in found)
            if self.text_classifier is not None and not adult and not has_cjk(text):
                found.extend(c for c in self.text_classifier.classify(text) if c not in found)
        return decide(found, adult=adult)

    def check_images(self, images: Sequence[Path], *, adult: bool = False) -> Verdict:
        """The verdict on input image files (blocking). Passes without an image classifier."""
        if self.image_classifier is None or not images:
            return PASS
        found: list[str] = []
        for image in images:
            found.extend(c for c in self.image_classifier.classify(image) if c not in found)
        return decide(found, adult=adult, stage="image")

    def check_clips(self, clips: Sequence[Path], *, adult: bool = False) -> Verdict:
        """The verdict on sampled frames of video files (input clips, or a finished clip before it is
        posted; blocking). Passes without an image classifier."""
        if self.image_classifier is None or not clips:
            return PASS
        return decide(classify_clips(self.image_classifier, clips, self.frames), adult=adult, stage="output")

    def judge(self, text: str, images: Sequence[Path] = (), *, adult: bool = False) -> Verdict:
        """The verdict on a prompt and its input images together (`reelbot moderate`; blocking)."""
        verdict = self.check_text(text, adult=adult)
        if verdict.blocked or not images:
            return verdict
        return self.check_images(images, adult=adult)

    def blocks(self, *texts: str | None) -> bool:
        """True when any of `texts` is refused outside an adult channel."""
        return self.check_text(*texts).blocked


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.split("#", 1)[0].strip() for ln in lines if ln.split("#", 1)[0].strip()]
