"""The tiny offline model: LTX-Video's architecture (LTXConditionPipeline) with random weights and toy sizes.

Built from code with a fixed seed (tokenizer included, nothing downloaded), saved once under
`<data_dir>/models/tiny` and loaded with `from_pretrained` afterwards. Its clips are noise-like; it exists so
the whole path (queue, engine, encode, upload) runs on any machine in seconds. torch is imported lazily.
"""

from __future__ import annotations

import json
import os
import shutil
import string
import tempfile
from pathlib import Path
from typing import Any

#: Bump when the architecture or the vocabulary changes: an older saved copy is then rebuilt.
TINY_VERSION = 1
TINY_SEED = 20261125
MARKER = "reelbot_tiny.json"

# Words that prompts use often get their own pieces; anything else falls back to single characters.
_WORDS = """
a an the of and or in on at to with from over under into by for as is are was be it its this that
cat dog bird fish horse car city street road river lake ocean sea beach wave waves sky cloud clouds sun
sunset sunrise moon star stars night day rain snow fog wind storm fire light lights neon forest tree trees
flower flowers field mountain mountains hill desert space planet robot man woman child people person
crowd face eyes hand hands dance dancing walking running flying swimming jumping slowly fast camera pan
zoom close up wide shot aerial drone view cinematic realistic anime style cartoon painting watercolor
red orange yellow green blue purple pink white black gold silver bright dark warm cold soft golden hour
water glass metal wood stone house room window door table chair book coffee cup food city's old new
small big tiny giant little long short high low slow motion time lapse loop seamless video clip scene
""".split()


def _vocabulary() -> list[tuple[str, float]]:
    """Unigram pieces and log-probabilities: T5's special tokens, then words, then single characters."""
    pieces: list[tuple[str, float]] = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("\u2581", -2.0)]
    seen = {p for p, _ in pieces}
    for word in dict.fromkeys(_WORDS):
        piece = "\u2581" + word
        if piece not in seen:
            pieces.append((piece, -4.0 - len(word) * 0.01))
            seen.add(piece)
    for ch in string.ascii_lowercase + string.ascii_uppercase + string.digits + string.punctuation:
        for piece, score in ((ch, -9.0), ("\u2581" + ch, -9.5)):
            if piece not in seen:
                pieces.append((piece, score))
                seen.add(piece)
    return pieces


def build_tiny_pipeline() -> Any:
    """A fresh tiny LTXConditionPipeline (eval mode, float32). Same weights for the same TINY_SEED."""
    import torch
    from diffusers import (
        AutoencoderKLLTXVideo,
        FlowMatchEulerDiscreteScheduler,
        LTXConditionPipeline,
        LTXVideoTransformer3DModel,
    )
    from transformers import T5Config, T5EncoderModel, T5Tokenizer

    vocab = _vocabulary()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(TINY_SEED)
        tokenizer = T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=128)
        text_encoder = T5EncoderModel(
            T5Config(
                vocab_size=len(vocab),
                d_model=16,
                d_kv=8,
                d_ff=32,
                num_layers=1,
                num_heads=2,
                relative_attention_num_buckets=8,
                relative_attention_max_distance=32,
                dropout_rate=0.0,
            )
        )
        # Two blocks (not one) so FirstBlockCache, which needs a head and a tail block, can be tried on it.
        transformer = LTXVideoTransformer3DModel(
            in_channels=8,
            out_channels=8,
            patch_size=1,
            patch_size_t=1,
            num_attention_heads=2,
            attention_head_dim=12,
            cross_attention_dim=24,
            num_layers=2,
            caption_channels=16,
        )
        # The 0.9.5+ VAE layout (timestep-conditioned decoder, 32x spatial / 8x temporal compression) with
        # few channels and no extra resnets: decoding 121 frames at 864x480 takes about a second on 2 cores.
        vae = AutoencoderKLLTXVideo(
            latent_channels=8,
            block_out_channels=(4, 8, 8, 16, 16),
            down_block_types=("LTXVideo095DownBlock3D",) * 4,
            decoder_block_out_channels=(8, 16, 32),
            layers_per_block=(0, 0, 0, 0, 0),
            decoder_layers_per_block=(0, 0, 0, 0),
            spatio_temporal_scaling=(True, True, True, True),
            decoder_spatio_temporal_scaling=(True, True, True),
            decoder_inject_noise=(False, False, False, False),
            downsample_type=("spatial", "temporal", "spatiotemporal", "spatiotemporal"),
            upsample_residual=(True, True, True),
            upsample_factor=(2, 2, 2),
            timestep_conditioning=True,
            patch_size=4,
            patch_size_t=1,
            spatial_compression_ratio=32,
            temporal_compression_ratio=8,
        )
        scheduler = FlowMatchEulerDiscreteScheduler()
    modules: list[Any] = [text_encoder, transformer, vae]
    for module in modules:
        module.eval()  # freshly built modules start in train mode (dropout on): outputs would not repeat
    return LTXConditionPipeline(
        scheduler=scheduler, vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, transformer=transformer
    )


def tiny_model_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / "models" / "tiny"


def is_tiny_model_dir(path: str | Path) -> bool:
    """True when `path` holds a tiny model saved by this version of the code."""
    marker = Path(path) / MARKER
    try:
        return json.loads(marker.read_text()).get("version") == TINY_VERSION
    except (OSError, ValueError):
        return False


def ensure_tiny_model(data_dir: str | Path) -> Path:
    """Build and save the tiny model under `<data_dir>/models/tiny` unless a current copy is there.

    Returns the folder. The save goes to a temporary sibling first and is renamed into place, so two
    workers starting at once never load a half-written model.
    """
    target = tiny_model_dir(data_dir)
    if is_tiny_model_dir(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tiny-", dir=target.parent))
    try:
        save_tiny_model(tmp)
        tmp.chmod(0o755)  # mkdtemp makes it private; the model folder is as readable as the data dir
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not is_tiny_model_dir(target):  # lost a race to another worker only if theirs is complete
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def save_tiny_model(path: str | Path) -> Path:
    """Build the tiny pipeline and save it (safetensors) into `path`. Returns the path."""
    path = Path(path)
    pipe = build_tiny_pipeline()
    pipe.save_pretrained(path, safe_serialization=True)
    (path / MARKER).write_text(
        json.dumps({"version": TINY_VERSION, "seed": TINY_SEED, "built_by": "engine/tiny_model.py"}, indent=2)
    )
    return path
