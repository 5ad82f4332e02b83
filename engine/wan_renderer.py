"""The Wan family's render pass: WanPipeline (text to video; remix through WanVideoToVideoPipeline on the same
weights) and WanImageToVideoPipeline (a first-frame image; continuations condition on the previous last frame).

Wan makes no sound. Prompts are always encoded here, through WanPipeline's text encoding (whose cleaning step
uses ftfy only where it is installed): the image-to-video and video-to-video pipelines call ftfy
unconditionally and fail without it.
"""

from __future__ import annotations

from typing import Any

from engine.footage import Footage
from engine.presets import Preset
from engine.renderers import OnStep, Renderer, RenderPass, pil, video_to_uint8


class WanRenderer(Renderer):
    context_frames = 1
    end_conditions = False

    def __init__(self, pipe: Any, preset: Preset) -> None:
        super().__init__(pipe, preset)
        self.image_to_video = type(pipe).__name__ == "WanImageToVideoPipeline"
        self.init_video = not self.image_to_video
        self._v2v: Any = None

    def render(self, p: RenderPass, seeds: list[int], on_step: OnStep) -> list[Footage]:
        import torch

        kwargs: dict[str, Any] = {
            "width": p.width,
            "height": p.height,
            "num_inference_steps": p.steps,
            "guidance_scale": p.guidance,
            "num_videos_per_prompt": 1,
            "generator": self._generators(seeds),
            "output_type": "pt",
            "callback_on_step_end": self._callback(on_step),
        }
        kwargs.update(self._prompt_embeds(p, len(seeds)))
        pipe = self.pipe
        if p.init_frames is not None:
            if self._v2v is None:
                from diffusers import WanVideoToVideoPipeline

                self._v2v = WanVideoToVideoPipeline.from_pipe(self.pipe)
            pipe = self._v2v
            kwargs["video"] = [pil(f) for f in p.init_frames[: p.frames]]
            kwargs["strength"] = p.strength
        else:
            kwargs["num_frames"] = p.frames
        if self.image_to_video:
            firsts = [c for c in p.conditions if c.index == 0]
            if not firsts:
                raise ValueError("image-to-video needs a first-frame condition")
            kwargs["image"] = pil(firsts[0].frames[-1])
        elif p.conditions:
            raise ValueError("text-to-video takes no frame conditions")
        with torch.inference_mode():
            video = pipe(**kwargs).frames
            return self._footage(video_to_uint8(video))

    def _prompt_embeds(self, p: RenderPass, count: int) -> dict[str, Any]:
        """prompt_embeds (and negative_prompt_embeds under CFG) for `count` videos, encoded with WanPipeline's
        own T5 encoding on this pipeline's tokenizer and text encoder."""
        from diffusers import WanPipeline

        def encode(text: str) -> Any:
            return WanPipeline._get_t5_prompt_embeds(
                self.pipe,
                prompt=text,
                num_videos_per_prompt=count,
                max_sequence_length=self.preset.max_sequence_length,
                device=self._device(),
            )

        out = {"prompt_embeds": encode(p.prompt)}
        if p.guidance > 1.0:
            out["negative_prompt_embeds"] = encode(p.negative or "")
        return out
