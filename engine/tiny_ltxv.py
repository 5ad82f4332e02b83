"""The tiny draft-tier model: LTX-Video 0.9.8's architecture (LTXConditionPipeline, the 0.9.5+ VAE layout) with
random weights and toy sizes, plus a tiny spatial latent upsampler. Silent.

Built from code with a fixed seed (tokenizer included, nothing downloaded); engine/tiny_model.py saves and
finds it. torch is imported lazily.
"""

from __future__ import annotations

from typing import Any

from engine.tiny_vocab import t5_vocabulary


def build_pipeline(seed: int) -> tuple[Any, Any]:
    """A fresh tiny LTXConditionPipeline (eval mode, float32) and its tiny latent upsampler. Same weights for
    the same seed."""
    import torch
    from diffusers import (
        AutoencoderKLLTXVideo,
        FlowMatchEulerDiscreteScheduler,
        LTXConditionPipeline,
        LTXVideoTransformer3DModel,
    )
    from diffusers.pipelines.ltx.modeling_latent_upsampler import LTXLatentUpsamplerModel
    from transformers import T5Config, T5EncoderModel, T5Tokenizer

    vocab = t5_vocabulary()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
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
        # the spatial latent upsampler of the two-stage recipe (GroupNorm needs 32 channels at least)
        upsampler = LTXLatentUpsamplerModel(in_channels=8, mid_channels=32, num_blocks_per_stage=1)
    modules: list[Any] = [text_encoder, transformer, vae, upsampler]
    for module in modules:
        module.eval()  # freshly built modules start in train mode (dropout on): outputs would not repeat
    pipe = LTXConditionPipeline(
        scheduler=scheduler, vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, transformer=transformer
    )
    return pipe, upsampler
