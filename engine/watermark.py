"""The visible "Reelbot" label that free and plus plans carry: pre-rendered once per output size, blended
into each frame by the encoder. Knows nothing about plans; the job says whether to apply it.
"""

from __future__ import annotations

import numpy as np

WATERMARK_TEXT = "Reelbot"


class Watermark:
    """A visible "Reelbot" label in a dark box in the bottom-right corner, pre-rendered once per size."""

    def __init__(self, width: int, height: int, text: str = WATERMARK_TEXT) -> None:
        from PIL import Image, ImageDraw, ImageFont

        text_px = max(10, round(min(width, height) * 0.045))
        pad, margin = max(3, text_px // 3), max(4, round(min(width, height) * 0.025))
        try:
            font: ImageFont.ImageFont | ImageFont.FreeTypeFont = ImageFont.load_default(size=text_px)
        except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
            font = ImageFont.load_default()
        probe = ImageDraw.Draw(Image.new("L", (1, 1)))
        left, top, right, bottom = probe.textbbox((0, 0), text, font=font)
        box_w = int(min(width, right - left + 2 * pad))
        box_h = int(min(height, bottom - top + 2 * pad))
        overlay = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 150))
        ImageDraw.Draw(overlay).text((pad - left, pad - top), text, font=font, fill=(255, 255, 255, 235))
        rgba = np.asarray(overlay, dtype=np.float32)
        self.alpha = rgba[..., 3:4] / 255.0
        self.color = rgba[..., :3] * self.alpha
        self.x = max(0, width - box_w - margin)
        self.y = max(0, height - box_h - margin)
        self.box = (self.x, self.y, box_w, box_h)

    def apply(self, frame: np.ndarray) -> np.ndarray:
        """Blend the label into `frame` (a writable uint8 RGB array) in place; returns it."""
        _, _, bw, bh = self.box
        region = frame[self.y : self.y + bh, self.x : self.x + bw].astype(np.float32)
        region = region * (1.0 - self.alpha) + self.color
        frame[self.y : self.y + bh, self.x : self.x + bw] = np.clip(region + 0.5, 0, 255).astype(np.uint8)
        return frame
