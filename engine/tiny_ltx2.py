"""The tiny flagship model: LTX-2's architecture (LTX2ConditionPipeline: the joint audio-video transformer, the
video VAE with LTX-2's 32x spatial / 8x temporal compression, the audio VAE, the vocoder, the text connectors
and a Gemma 3 text encoder) with random weights and toy sizes, plus a tiny spatial latent upsampler.

Built from code with a fixed seed (tokenizer included, nothing downloaded); engine/tiny_model.py saves and
finds it. torch is imported lazily.
"""

from __future__ import annotations

from typing import Any

from engine.tiny_vocab import gemma_vocabulary

#: the tiny sound path: 16 kHz, 160-sample hop (LTX-2's own), 16 mel bins per channel, stereo
SAMPLE_RATE = 16_000
MEL_BINS = 16


def build_pipeline(seed: int) -> tuple[Any, Any]:
    """A fresh tiny LTX2ConditionPipeline (eval mode, float32) and its tiny latent upsampler. Same weights
    for the same seed."""
    import torch
    from diffusers import (
        AutoencoderKLLTX2Audio,
        AutoencoderKLLTX2Video,
        FlowMatchEulerDiscreteScheduler,
        LTX2ConditionPipeline,
        LTX2VideoTransformer3DModel,
    )
    from diffusers.pipelines.ltx2 import LTX2LatentUpsamplerModel, LTX2TextConnectors, LTX2Vocoder
    from transformers import (
        Gemma3Config,
        Gemma3ForConditionalGeneration,
        Gemma3TextConfig,
        GemmaTokenizer,
        SiglipVisionConfig,
    )

    vocab, merges = gemma_vocabulary()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        # the tokenizers library takes merges as (left, right) pairs; the stub's list[str] is the file form
        tokenizer = GemmaTokenizer(vocab=vocab, merges=merges, add_bos_token=True, model_max_length=256)  # type: ignore[arg-type]
        text_config = Gemma3TextConfig(
            vocab_size=len(vocab),
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=1,
            head_dim=8,
            max_position_embeddings=256,
            sliding_window=64,
        )
        # Gemma 3 as LTX-2 ships it (a vision tower too, never used for text); its image tokens are
        # the vocabulary's special pieces
        vision_config = SiglipVisionConfig(
            hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2, image_size=28,
            patch_size=14,
        )  # fmt: skip
        text_encoder = Gemma3ForConditionalGeneration(
            Gemma3Config(
                text_config=text_config,
                vision_config=vision_config,
                mm_tokens_per_image=4,
                image_token_index=vocab["<mask>"],
                boi_token_index=vocab["<bos>"],
                eoi_token_index=vocab["<eos>"],
            )
        )
        # The connectors read every hidden state of the text encoder (embeddings + each layer).
        connectors = LTX2TextConnectors(
            caption_channels=16,
            text_proj_in_factor=text_config.num_hidden_layers + 1,
            video_connector_num_attention_heads=2,
            video_connector_attention_head_dim=8,
            video_connector_num_layers=1,
            video_connector_num_learnable_registers=None,
            audio_connector_num_attention_heads=2,
            audio_connector_attention_head_dim=8,
            audio_connector_num_layers=1,
            audio_connector_num_learnable_registers=None,
            connector_rope_base_seq_len=32,
            rope_double_precision=False,
            rope_type="split",
        )
        # Two blocks (not one) so FirstBlockCache, which needs a head and a tail block, can be tried on it.
        # Audio tokens carry latent_channels x latent mel bins = 2 x (16 / 4) = 8 features.
        transformer = LTX2VideoTransformer3DModel(
            in_channels=8,
            out_channels=8,
            num_attention_heads=2,
            attention_head_dim=12,
            cross_attention_dim=24,
            audio_in_channels=8,
            audio_out_channels=8,
            audio_num_attention_heads=2,
            audio_attention_head_dim=8,
            audio_cross_attention_dim=16,
            num_layers=2,
            caption_channels=16,
            rope_type="split",
            rope_double_precision=False,
        )
        # LTX-2's VAE layout (patch 4, four down blocks: 32x spatial, 8x temporal) with few channels.
        vae = AutoencoderKLLTX2Video(
            latent_channels=8,
            block_out_channels=(8, 8, 16, 16),
            decoder_block_out_channels=(8, 16, 32),
            layers_per_block=(0, 0, 0, 0, 0),
            decoder_layers_per_block=(0, 0, 0, 0),
            timestep_conditioning=False,
            patch_size=4,
            decoder_causal=False,
            spatial_compression_ratio=32,
            temporal_compression_ratio=8,
        )
        # The audio VAE compresses mel frames and bins 4x (three levels); its latent statistics have
        # latent_channels x latent mel bins entries.
        audio_vae = AutoencoderKLLTX2Audio(
            base_channels=8,
            output_channels=2,
            ch_mult=(1, 1, 1),
            num_res_blocks=1,
            in_channels=2,
            resolution=32,
            latent_channels=2,
            mel_bins=MEL_BINS,
            sample_rate=SAMPLE_RATE,
            mel_hop_length=160,
        )
        # 100 mel frames per second up to 16 kHz: the upsampling factors multiply to the 160-sample hop.
        vocoder = LTX2Vocoder(
            in_channels=2 * MEL_BINS,
            hidden_channels=32,
            out_channels=2,
            upsample_kernel_sizes=[16, 10, 8],
            upsample_factors=[8, 5, 4],
            resnet_kernel_sizes=[3],
            resnet_dilations=[[1]],
            output_sampling_rate=SAMPLE_RATE,
        )
        # the spatial latent upsampler of the two-stage recipe (GroupNorm needs 32 channels at least)
        upsampler = LTX2LatentUpsamplerModel(in_channels=8, mid_channels=32, num_blocks_per_stage=1)
        scheduler = FlowMatchEulerDiscreteScheduler()
    modules: list[Any] = [text_encoder, connectors, transformer, vae, audio_vae, vocoder, upsampler]
    for module in modules:
        module.eval()  # freshly built modules start in train mode (dropout on): outputs would not repeat
    pipe = LTX2ConditionPipeline(
        scheduler=scheduler,
        vae=vae,
        audio_vae=audio_vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        connectors=connectors,
        transformer=transformer,
        vocoder=vocoder,
    )
    return pipe, upsampler
