"""The optional classifiers behind the term lists, each a small port so tests (and operators) can plug in
their own: an English text classifier (alt-profanity-check, extra `moderation-text`: it pins scikit-learn
exactly, so never a required dependency) and an image classifier for input images and sampled frames of
finished clips (NudeNet's bundled 320n ONNX detector, extra `moderation-images`: AGPL-3.0, so optional).
Without one installed the moderator runs in "no image classifier installed" mode and says so.

Each classifier is loaded lazily (a model load is seconds) and is blocking: the moderator calls it off the
event loop. Nothing here decides policy; classifiers name categories, bot/moderation/policy.py decides.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

#: NudeNet detector classes that mean explicit nudity (covered parts, faces and feet do not count)
NUDE_CLASSES = frozenset(
    {
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "FEMALE_BREAST_EXPOSED",
        "ANUS_EXPOSED",
        "BUTTOCKS_EXPOSED",
    }
)


class TextClassifier(Protocol):
    name: str

    def classify(self, text: str) -> list[str]:
        """The categories the classifier finds in `text` ([]: none)."""


class ImageClassifier(Protocol):
    name: str

    def classify(self, image: Path) -> list[str]:
        """The categories the classifier finds in the image file `image` ([]: none)."""


class ProfanityCheck:
    """alt-profanity-check's linear model (English): `profanity` above `threshold`."""

    name = "alt-profanity-check"

    def __init__(self, threshold: float = 0.9) -> None:
        from profanity_check import predict_prob  # the extra: pip install 'reelbot[moderation-text]'

        self._predict_prob = predict_prob
        self.threshold = threshold

    def classify(self, text: str) -> list[str]:
        return ["profanity"] if float(self._predict_prob([text])[0]) >= self.threshold else []


class NudeNet:
    """NudeNet's detector (its bundled 320n model): `sexual` when an explicit class scores above `threshold`."""

    name = "nudenet"

    def __init__(self, threshold: float = 0.5) -> None:
        from nudenet import NudeDetector  # the extra: pip install 'reelbot[moderation-images]' (AGPL-3.0)

        self._detector = NudeDetector()
        self.threshold = threshold

    def classify(self, image: Path) -> list[str]:
        found = self._detector.detect(str(image))
        hit = any(
            d.get("class") in NUDE_CLASSES and float(d.get("score", 0)) >= self.threshold for d in found
        )
        return ["sexual"] if hit else []


def load_text_classifier(wanted: str) -> TextClassifier | None:
    """`auto`: alt-profanity-check when installed; `off`: none. None when not available."""
    if wanted == "off":
        return None
    try:
        return ProfanityCheck()
    except ImportError:
        if wanted != "auto":
            log.warning(
                "moderation: text classifier %r asked for but alt-profanity-check is not installed", wanted
            )
        return None


def load_image_classifier(wanted: str) -> ImageClassifier | None:
    """`auto`: NudeNet when installed; `off`: none. None: "no image classifier installed"."""
    if wanted == "off":
        return None
    try:
        return NudeNet()
    except ImportError:
        if wanted != "auto":
            log.warning("moderation: image classifier %r asked for but NudeNet is not installed", wanted)
        return None
    except Exception as exc:  # the model file could not be loaded: run without, loudly
        log.error("moderation: NudeNet could not be loaded (%s); no image classifier", exc)
        return None


def sample_frames(clip: Path, count: int, dest: Path) -> list[Path]:
    """Up to `count` frames spread over the video `clip` (the first, the last, evenly between), written
    as JPEG files into `dest`; decoded one at a time, only the picked ones kept. [] when unreadable."""
    import av

    out: list[Path] = []
    try:
        with av.open(str(clip)) as container:
            stream = container.streams.video[0]
            total = (
                stream.frames
                or int(
                    (stream.duration or 0) * float(stream.time_base or 0) * float(stream.average_rate or 24)
                )
                or 1
            )
            picks = {round(i * (total - 1) / max(1, count - 1)) for i in range(count)}
            last: Any = None
            index = -1
            for index, frame in enumerate(container.decode(stream)):
                last = frame
                if index in picks:
                    out.append(_save(frame, dest / f"{clip.stem}-frame{index}.jpg"))
            if last is not None and index not in picks and len(out) < count:
                out.append(_save(last, dest / f"{clip.stem}-frame{index}.jpg"))  # the frame count was a guess
    except Exception as exc:  # not a video we can read: the engine wrote it, so say so
        log.warning("moderation: could not read frames of %s: %s", clip.name, exc)
    return out


def _save(frame: Any, path: Path) -> Path:
    frame.to_image().convert("RGB").save(path, "JPEG", quality=85)
    return path


def classify_clips(classifier: ImageClassifier, clips: Sequence[Path], count: int) -> list[str]:
    """The categories found in `count` sampled frames of each of `clips`."""
    found: list[str] = []
    with tempfile.TemporaryDirectory(prefix="reelbot-frames-") as tmp:
        for clip in clips:
            for frame in sample_frames(clip, count, Path(tmp)):
                found.extend(c for c in classifier.classify(frame) if c not in found)
    return found
