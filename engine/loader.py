"""Getting a diffusers pipeline ready to render: which preset and weights a model name means (`auto`, `tiny`,
a preset, a local folder), loading them (downloads retried), then the memory and speed options (fp8,
FirstBlockCache, offload, VAE tiling, torch.compile).

It plans and runs no job; torch and diffusers are imported inside the functions that need them.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from engine.downloads import with_retries
from engine.options import OFFLOAD_MODES, check_compatible, check_options
from engine.presets import Preset, choose_auto, get_preset, preset_for_pipeline_class

__all__ = [
    "check_options",
    "check_compatible",
    "load_pipeline",
    "load_upsampler",
    "optimise",
    "resolve_model",
]

log = logging.getLogger(__name__)


def resolve_model(
    name: str, data_dir: str | Path, device: str, options: dict[str, Any]
) -> tuple[Preset, str]:
    """The preset and the weights source (a Hub id or a local folder) that `name` means on `device`.

    `auto` picks the best preset for the CUDA GPU's memory (and fills in its offload / fp8 in `options`
    unless set; fp8 stays off when compile is on), `tiny` without CUDA; the tiny models are built into
    `<data_dir>/models/<name>` on first use; a folder with a model_index.json loads as the preset of its
    pipeline class. Raises KeyError for an unknown name.
    """
    from engine.tiny_model import TINY_MODELS, ensure_tiny_model, tiny_name

    if name == "auto":
        memory = None  # no CUDA device to run on: the tiny model
        if device.startswith("cuda"):
            import torch

            if torch.cuda.is_available():
                index = torch.device(device).index or 0
                memory = torch.cuda.get_device_properties(index).total_memory / 2**30
        choice = choose_auto(memory)
        log.info("auto model: %s (%s)", choice.preset, choice.reason)
        name = choice.preset
        options.setdefault("offload", choice.offload)
        options.setdefault("fp8", choice.fp8 and not options.get("compile"))

    path = Path(name)
    if name in TINY_MODELS:
        return get_preset(name), str(ensure_tiny_model(data_dir, name))
    found = tiny_name(path)
    if found is not None:
        return get_preset(found), str(path)
    if (path / "model_index.json").is_file():
        class_name = json.loads((path / "model_index.json").read_text())["_class_name"]
        preset = preset_for_pipeline_class(class_name)
        preset = replace(preset, name=path.name, model_id=str(path), pipeline=class_name, single_file=None)
        return preset, str(path)
    preset = get_preset(name)
    return preset, preset.model_id


def load_pipeline(preset: Preset, source: str, dtype: Any) -> Any:
    """from_pretrained (and from_single_file for one-file checkpoints), each download retried on connection
    errors (engine/downloads.py). Returns the pipeline on the CPU, progress bars off."""
    import diffusers

    cls = getattr(diffusers, preset.pipeline)
    kwargs: dict[str, Any] = {"dtype": dtype}
    if preset.single_file:
        single = preset.single_file
        kwargs["transformer"] = with_retries(
            lambda: diffusers.LTXVideoTransformer3DModel.from_single_file(single, dtype=dtype)
        )
        kwargs["vae"] = with_retries(
            lambda: diffusers.AutoencoderKLLTXVideo.from_single_file(single, dtype=dtype)
        )
    if preset.family == "wan":
        import torch

        # Wan's VAE is kept in float32 (as its authors recommend); the transformer runs in `dtype`.
        kwargs["vae"] = with_retries(
            lambda: diffusers.AutoencoderKLWan.from_pretrained(source, subfolder="vae", dtype=torch.float32)
        )
    pipe = with_retries(lambda: cls.from_pretrained(source, **kwargs))
    if preset.flow_shift is not None:
        pipe.scheduler = diffusers.UniPCMultistepScheduler.from_config(
            pipe.scheduler.config, flow_shift=preset.flow_shift
        )
    pipe.set_progress_bar_config(disable=True)
    return pipe


def load_upsampler(preset: Preset, source: str, dtype: Any) -> Any:
    """The spatial latent upsampler of `preset`'s two-stage recipe (from the model folder when the preset
    names none, else from its Hub repo), or None when the preset has none or it cannot be loaded (the engine
    then renders large sizes in one stage, with a warning)."""
    if preset.upsampler is None:
        return None
    if preset.family == "ltx2":
        from diffusers.pipelines.ltx2 import LTX2LatentUpsamplerModel as Upsampler
    else:
        from diffusers.pipelines.ltx.modeling_latent_upsampler import LTXLatentUpsamplerModel as Upsampler
    repo = preset.upsampler or source
    try:
        model = with_retries(
            lambda: Upsampler.from_pretrained(repo, subfolder=preset.upsampler_subfolder, dtype=dtype)
        )
    except (OSError, ValueError) as exc:
        log.warning("no latent upsampler for %s (%s): 720p and 1080p render in one stage", preset.name, exc)
        return None
    return model.eval()


def optimise(pipe: Any, preset: Preset, device: str, dtype: Any, options: dict[str, Any]) -> None:
    """Memory and speed options, in the order diffusers expects: casting, cache, placement, compile.
    Returns None (the pipeline is changed in place); raises ValueError for an unknown offload mode or for
    options that cannot work together (engine/options.py)."""
    import torch

    check_compatible(options)
    transformer = pipe.transformer
    if options.get("fp8"):
        transformer.enable_layerwise_casting(storage_dtype=torch.float8_e4m3fn, compute_dtype=dtype)
    fbc = options.get("first_block_cache")
    if fbc:
        threshold = preset.first_block_cache if fbc is True else float(fbc)
        blocks = len(getattr(transformer, "transformer_blocks", getattr(transformer, "blocks", [])))
        if threshold is None or not hasattr(transformer, "enable_cache") or blocks < 2:
            log.warning("FirstBlockCache is not available for %s; running without it", preset.name)
        else:
            from diffusers.hooks import FirstBlockCacheConfig

            transformer.enable_cache(FirstBlockCacheConfig(threshold=threshold))
    _place(pipe, device, options.get("offload", "none") or "none")
    tiling = options.get("vae_tiling")
    if tiling or (tiling is None and device.startswith("cuda") and preset.model_id != "tiny"):
        pipe.vae.enable_tiling()
    if options.get("compile"):
        if hasattr(transformer, "compile_repeated_blocks"):
            transformer.compile_repeated_blocks(fullgraph=True)
        else:
            pipe.transformer = torch.compile(transformer, fullgraph=True)


def _place(pipe: Any, device: str, offload: str) -> None:
    """Put the pipeline on `device`, whole or offloaded (offloading needs CUDA; elsewhere it is ignored)."""
    import torch

    if offload not in OFFLOAD_MODES:
        raise ValueError(f"unknown offload mode {offload!r}")
    if offload != "none" and not device.startswith("cuda"):
        log.warning("offload=%s needs a CUDA device; ignored on %s", offload, device)
        offload = "none"
    if offload == "model":
        pipe.enable_model_cpu_offload(device=device)
    elif offload == "sequential":
        pipe.enable_sequential_cpu_offload(device=device)
    elif offload == "group":
        pipe.enable_group_offload(
            onload_device=torch.device(device), offload_type="leaf_level", use_stream=True
        )
    else:
        pipe.to(device)


class _SchedulerWarningFilter(logging.Filter):
    """Drops the warning FlowMatchEulerDiscreteScheduler gives on every LTXConditionPipeline call: the
    pipeline always passes explicit timesteps, and that schedule is the intended one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "were passed without `sigmas`" not in record.getMessage()


def quiet_library_output() -> None:
    """A worker logs through `logging`: no tqdm bars from diffusers / transformers on stderr, and no
    per-call scheduler warning. Idempotent."""
    import diffusers
    import transformers

    diffusers.utils.logging.disable_progress_bar()
    transformers.utils.logging.disable_progress_bar()
    target = logging.getLogger("diffusers.schedulers.scheduling_flow_match_euler_discrete")
    if not any(isinstance(f, _SchedulerWarningFilter) for f in target.filters):
        target.addFilter(_SchedulerWarningFilter())
