"""Builders for the tiny text-to-image pipelines (see :mod:`cgce.testing.pipelines` for the API)."""

from __future__ import annotations

from . import tokenizers as _tok
from ._common import clip_text_model, seeded, t5_encoder


def _sd_vae(block_out_channels=(8, 16), latent_channels=4, **kw):
    from diffusers import AutoencoderKL

    n = len(block_out_channels)
    with seeded(1):
        return AutoencoderKL(
            in_channels=3,
            out_channels=3,
            down_block_types=("DownEncoderBlock2D",) * n,
            up_block_types=("UpDecoderBlock2D",) * n,
            block_out_channels=tuple(block_out_channels),
            layers_per_block=1,
            latent_channels=latent_channels,
            norm_num_groups=4,
            sample_size=32,
            **kw,
        ).eval()


def build_sd1():
    from diffusers import UNet2DConditionModel

    with seeded(0):
        unet = UNet2DConditionModel(
            sample_size=16,
            in_channels=4,
            out_channels=4,
            block_out_channels=(16, 32),
            layers_per_block=1,
            down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
            up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
            cross_attention_dim=32,
            attention_head_dim=4,
            norm_num_groups=4,
        ).eval()
    return _stable_diffusion(unet, _sd_scheduler(), clip_text_model(2, hidden_size=32))


def _sd_scheduler(**overrides):
    """SD 1.x/2.x's DDIM settings; SD2 adds v-prediction."""
    from diffusers import DDIMScheduler

    settings = dict(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False, set_alpha_to_one=False, steps_offset=1)
    return DDIMScheduler(**{**settings, **overrides})


def _stable_diffusion(unet, scheduler, text_encoder):
    from diffusers import StableDiffusionPipeline

    return StableDiffusionPipeline(
        vae=_sd_vae(),
        text_encoder=text_encoder,
        tokenizer=_tok.clip_tokenizer(),
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )


def build_sd2():
    from diffusers import UNet2DConditionModel

    with seeded(0):
        unet = UNet2DConditionModel(
            sample_size=16,
            in_channels=4,
            out_channels=4,
            block_out_channels=(16, 32),
            layers_per_block=1,
            down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
            up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
            cross_attention_dim=48,
            attention_head_dim=(2, 4),
            use_linear_projection=True,
            norm_num_groups=4,
        ).eval()
    text_encoder = clip_text_model(2, hidden_size=48, projection_dim=48, heads=4, layers=3)
    return _stable_diffusion(unet, _sd_scheduler(prediction_type="v_prediction"), text_encoder)


def build_sdxl():
    from diffusers import EulerDiscreteScheduler, StableDiffusionXLPipeline, UNet2DConditionModel

    with seeded(0):
        unet = UNet2DConditionModel(
            sample_size=16,
            in_channels=4,
            out_channels=4,
            block_out_channels=(16, 32),
            layers_per_block=1,
            down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
            up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
            attention_head_dim=(2, 4),
            use_linear_projection=True,
            addition_embed_type="text_time",
            addition_time_embed_dim=8,
            transformer_layers_per_block=(1, 2),
            projection_class_embeddings_input_dim=6 * 8 + 32,  # 6 time ids * 8 + pooled text_embeds (32)
            cross_attention_dim=64,  # 32 (encoder 1) + 32 (encoder 2)
            norm_num_groups=4,
        ).eval()
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        steps_offset=1,
        timestep_spacing="leading",
    )
    return StableDiffusionXLPipeline(
        vae=_sd_vae(),
        text_encoder=clip_text_model(2, hidden_size=32),
        text_encoder_2=clip_text_model(3, with_projection=True, hidden_size=32, projection_dim=32),
        tokenizer=_tok.clip_tokenizer(),
        tokenizer_2=_tok.clip_tokenizer(),
        unet=unet,
        scheduler=scheduler,
        force_zeros_for_empty_prompt=True,
        add_watermarker=False,
    )


def build_sd3():
    from diffusers import FlowMatchEulerDiscreteScheduler, SD3Transformer2DModel, StableDiffusion3Pipeline

    with seeded(0):
        transformer = SD3Transformer2DModel(
            sample_size=16,
            patch_size=2,
            in_channels=4,
            num_layers=1,
            attention_head_dim=8,
            num_attention_heads=4,
            caption_projection_dim=32,
            joint_attention_dim=64,  # T5 d_model; CLIP (32+32) is zero-padded up to it
            pooled_projection_dim=64,  # pooled CLIP-L (32) ++ pooled CLIP-G (32)
            out_channels=4,
            pos_embed_max_size=32,
        ).eval()
    vae = _sd_vae(use_quant_conv=False, use_post_quant_conv=False, shift_factor=0.0609, scaling_factor=1.5035)
    return StableDiffusion3Pipeline(
        transformer=transformer,
        scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0),
        vae=vae,
        text_encoder=clip_text_model(2, with_projection=True, hidden_size=32, projection_dim=32),
        tokenizer=_tok.clip_tokenizer(),
        text_encoder_2=clip_text_model(3, with_projection=True, hidden_size=32, projection_dim=32),
        tokenizer_2=_tok.clip_tokenizer(),
        text_encoder_3=t5_encoder(4, d_model=64),
        tokenizer_3=_tok.t5_tokenizer(),
    )


def build_flux():
    from diffusers import FlowMatchEulerDiscreteScheduler, FluxPipeline, FluxTransformer2DModel

    with seeded(0):
        transformer = FluxTransformer2DModel(
            patch_size=1,
            in_channels=16,  # 4 latent channels packed 2x2
            num_layers=1,
            num_single_layers=1,
            attention_head_dim=16,
            num_attention_heads=2,
            joint_attention_dim=32,  # T5 d_model
            pooled_projection_dim=32,  # CLIP pooler_output
            guidance_embeds=False,
            axes_dims_rope=(4, 4, 8),
        ).eval()
    vae = _sd_vae(use_quant_conv=False, use_post_quant_conv=False, shift_factor=0.1159, scaling_factor=0.3611)
    return FluxPipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(),
        vae=vae,
        text_encoder=clip_text_model(2, hidden_size=32),
        tokenizer=_tok.clip_tokenizer(),
        text_encoder_2=t5_encoder(3, d_model=32),
        tokenizer_2=_tok.t5_tokenizer(),
        transformer=transformer,
    )


def build_pixart_sigma():
    from diffusers import DDIMScheduler, PixArtSigmaPipeline, PixArtTransformer2DModel

    with seeded(0):
        transformer = PixArtTransformer2DModel(
            sample_size=32,  # must be 32/64/128/256 for the pipeline's resolution binning table
            num_layers=1,
            patch_size=2,
            attention_head_dim=8,
            num_attention_heads=3,
            caption_channels=32,
            in_channels=4,
            cross_attention_dim=24,
            out_channels=8,
            attention_bias=True,
            activation_fn="gelu-approximate",
            num_embeds_ada_norm=1000,
            norm_type="ada_norm_single",
            norm_elementwise_affine=False,
            norm_eps=1e-6,
        ).eval()
    return PixArtSigmaPipeline(
        tokenizer=_tok.t5_tokenizer(),
        text_encoder=t5_encoder(2, d_model=32),
        vae=_sd_vae(),
        transformer=transformer,
        scheduler=DDIMScheduler(),
    )


def build_sana():
    from diffusers import AutoencoderDC, FlowMatchEulerDiscreteScheduler, SanaPipeline, SanaTransformer2DModel
    from transformers import Gemma2Config, Gemma2Model

    with seeded(0):
        transformer = SanaTransformer2DModel(
            patch_size=1,
            in_channels=4,
            out_channels=4,
            num_layers=1,
            num_attention_heads=2,
            attention_head_dim=4,
            num_cross_attention_heads=2,
            cross_attention_head_dim=4,
            cross_attention_dim=8,
            caption_channels=16,
            sample_size=16,
        ).eval()
    with seeded(1):
        vae = AutoencoderDC(
            in_channels=3,
            latent_channels=4,
            attention_head_dim=2,
            encoder_block_types=("ResBlock", "EfficientViTBlock"),
            decoder_block_types=("ResBlock", "EfficientViTBlock"),
            encoder_block_out_channels=(8, 8),
            decoder_block_out_channels=(8, 8),
            encoder_qkv_multiscales=((), (5,)),
            decoder_qkv_multiscales=((), (5,)),
            encoder_layers_per_block=(1, 1),
            decoder_layers_per_block=(1, 1),
            downsample_block_type="conv",
            upsample_block_type="interpolate",
            decoder_norm_types="rms_norm",
            decoder_act_fns="silu",
            scaling_factor=0.41407,
        ).eval()
    with seeded(2):
        text_encoder = Gemma2Model(
            Gemma2Config(
                vocab_size=_tok.GEMMA_VOCAB_SIZE,
                hidden_size=16,
                intermediate_size=32,
                num_hidden_layers=2,
                num_attention_heads=2,
                num_key_value_heads=2,
                head_dim=8,
                max_position_embeddings=1024,
                pad_token_id=0,
                eos_token_id=1,
                bos_token_id=2,
                attn_implementation="eager",
            )
        ).eval()
    return SanaPipeline(
        tokenizer=_tok.gemma_tokenizer(),
        text_encoder=text_encoder,
        vae=vae,
        transformer=transformer,
        scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0),
    )
