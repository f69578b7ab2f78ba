"""Shared helpers for the tiny pipelines: seeded construction and tiny text encoders."""

from __future__ import annotations

import contextlib

import torch

from . import tokenizers as _tok

SEED = 0


@contextlib.contextmanager
def seeded(seed: int = SEED):
    """Seed torch's CPU RNG for the block without disturbing the caller's RNG state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def clip_config(hidden_size: int = 32, projection_dim: int = 32, layers: int = 2, heads: int = 4):
    from transformers import CLIPTextConfig

    vocab = _tok.CLIP_VOCAB_SIZE
    return CLIPTextConfig(
        vocab_size=vocab,
        hidden_size=hidden_size,
        intermediate_size=2 * hidden_size,
        projection_dim=projection_dim,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        max_position_embeddings=77,
        hidden_act="quick_gelu",
        layer_norm_eps=1e-5,
        bos_token_id=vocab - 2,
        eos_token_id=vocab - 1,
        pad_token_id=vocab - 1,
    )


def clip_text_model(seed: int, with_projection: bool = False, **cfg):
    from transformers import CLIPTextModel, CLIPTextModelWithProjection

    cls = CLIPTextModelWithProjection if with_projection else CLIPTextModel
    with seeded(seed):
        return cls(clip_config(**cfg)).eval()


def t5_encoder(seed: int, d_model: int = 32, layers: int = 2, heads: int = 4, umt5: bool = False):
    from transformers import T5Config, T5EncoderModel, UMT5Config, UMT5EncoderModel

    kw = dict(
        vocab_size=_tok.T5_VOCAB_SIZE,
        d_model=d_model,
        d_kv=d_model // heads,
        d_ff=2 * d_model,
        num_layers=layers,
        num_heads=heads,
        relative_attention_num_buckets=8,
        relative_attention_max_distance=32,
        feed_forward_proj="gated-gelu",
        dropout_rate=0.0,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
        is_encoder_decoder=True,
        tie_word_embeddings=False,
    )
    with seeded(seed):
        if umt5:
            return UMT5EncoderModel(UMT5Config(**kw)).eval()
        return T5EncoderModel(T5Config(**kw)).eval()
