"""Tiny, randomly initialised, real-architecture diffusers pipelines, built fully offline.

``tiny_pipeline(family)`` returns the real diffusers pipeline class with real component classes
(CLIP / T5 / UMT5 / Llama / Gemma2 text encoders, UNet / DiT denoisers, VAEs, schedulers) at toy
sizes and seeded random weights: the same weights on every call, ``.eval()``, CPU, fp32. Tokenizers
come from :mod:`cgce.testing.tokenizers` (generated locally; nothing is downloaded). One denoising
step at the sizes in :data:`TINY_CALL_KWARGS` takes a few tens of milliseconds.

    pipe = tiny_pipeline("sd1")
    out = pipe("a cat", generator=torch.Generator().manual_seed(0), output_type="np",
               **TINY_CALL_KWARGS["sd1"])

What each family's ``encode_prompt`` returns (B = batch; dims are the tiny ones). "Mask" is what the
denoiser actually uses; "none" means it attends every position, padding included.

family       | encode_prompt(...) returns (tuple)        | tensor the denoiser consumes (index 0)      | mask the denoiser uses            | pooled vector
------------ | ----------------------------------------- | ------------------------------------------- | --------------------------------- | ----------------------------
sd1          | (prompt_embeds, neg_embeds|None)          | (B,77,32) CLIP last_hidden_state (final LN) | none: all 77 (pads=<|endoftext|>) | none
             |  args: (prompt, device, n, do_cfg)        |   -> UNet encoder_hidden_states             |                                   |
sd2          | same as sd1                               | (B,77,48); v-prediction scheduler           | none: all 77                      | none
sdxl         | (prompt_embeds, neg_embeds,               | (B,77,64) = cat(CLIP-L hidden[-2] (32),     | none: all 77                      | [2] (B,32) CLIP-G text_embeds
             |  pooled, neg_pooled)                      |   CLIP-G hidden[-2] (32)) on the last dim   |                                   |  -> added_cond text_embeds
sd3          | (prompt_embeds, neg_embeds,               | (B,77+L,64), L=256: tokens cat of           | none: all 77+L (T5 runs without   | [2] (B,64) cat(CLIP-L, CLIP-G
             |  pooled, neg_pooled)                      |   [zero-pad(cat(CLIP-L,CLIP-G hidden[-2])), |   a mask; T5 padding included)    |  text_embeds)
             |                                           |    T5 last_hidden_state]                    |                                   |  -> pooled_projections
flux         | (prompt_embeds, pooled, text_ids)         | (B,L,32), L=512, T5 last_hidden_state;      | none: all L (T5 runs w/o mask)    | [1] (B,32) CLIP pooler_output
             |  no negative (true_cfg_scale>1 re-calls)  |   text_ids (L,3) zeros                      |                                   |  -> pooled_projections
cogvideox    | (prompt_embeds, neg_embeds|None)          | (B,226,32) T5 last_hidden_state             | none: all 226 (T5 runs w/o mask)  | none
wan          | (prompt_embeds, neg_embeds|None)          | (B,L,32) UMT5 last_hidden_state (run with   | none: all L, but rows after the   | none
             |  NB encode_prompt default L=226,          |   its mask); the pipeline zeroes the rows   |   real tokens (incl. </s>) are    |
             |  __call__ default L=512                   |   after the real tokens                     |   exact zeros                     |
ltx          | (prompt_embeds, prompt_attention_mask,    | (B,128,32) T5 last_hidden_state             | [1] (B,128) bool, real tokens +   | none
             |  neg_embeds, neg_attention_mask)          |                                             |   </s> -> encoder_attention_mask  |
hunyuanvideo | (prompt_embeds, pooled,                   | (B,256,16) Llama hidden_states[-3], the 95  | [2] (B,256) int64, real tokens +  | [1] (B,8) CLIP pooler_output
             |  prompt_attention_mask)  NB the order     |   template tokens cropped off               |   <|eot_id|> -> encoder_attn_mask |  -> pooled_projections
             |  no negative (true_cfg_scale>1 re-calls)  |                                             |                                   |
pixart_sigma | (prompt_embeds, prompt_attention_mask,    | (B,300,32) T5 last_hidden_state             | [1] (B,300) int64, real tokens +  | none
             |  neg_embeds, neg_attention_mask)          |                                             |   </s>                            |
sana         | (prompt_embeds, prompt_attention_mask,    | (B,300,16) Gemma2 last_hidden_state at      | [1] (B,300) int64, <bos> + real   | none
             |  neg_embeds, neg_attention_mask)          |   positions [0] + last 299 of the sequence  |   prompt tokens                   |
             |  NB __call__ passes its long default      |   (complex-human-instruction + prompt)      |                                   |
             |  complex_human_instruction list, while    |                                             |                                   |
             |  encode_prompt defaults to None           |                                             |                                   |

In every family index 0 of ``encode_prompt(...)`` is ``prompt_embeds``. Passing it back as
``prompt_embeds=`` (with ``pooled_prompt_embeds=`` for sdxl/sd3/flux/hunyuanvideo and
``prompt_attention_mask=`` for ltx/pixart_sigma/sana/hunyuanvideo) reproduces the prompt call
bit-for-bit, provided encode_prompt was called with the same ``max_sequence_length`` (and, for
sana, ``complex_human_instruction``) that ``__call__`` uses. When classifier-free guidance is on and
no negative embeddings are passed, the pipeline encodes the negative prompt itself (sdxl: zeros,
because ``force_zeros_for_empty_prompt``).

Tokenizers: CLIP pads with ``<|endoftext|>`` (= eos, id 999) to 77; T5/UMT5 pad id 0, eos id 1;
Llama pads right with ``<unk>`` (id 0) and the default HunyuanVideo template tokenizes to exactly its
``crop_start`` of 95 tokens; Gemma pads right with ``<pad>`` (id 0).
"""

from __future__ import annotations

import os
from typing import Any, Callable

from . import image_pipelines as _img
from . import video_pipelines as _vid

__all__ = ["FAMILIES", "TINY_CALL_KWARGS", "tiny_pipeline", "save_tiny_pipeline"]

_BUILDERS: dict[str, Callable[[], Any]] = {
    "sd1": _img.build_sd1,
    "sd2": _img.build_sd2,
    "sdxl": _img.build_sdxl,
    "sd3": _img.build_sd3,
    "flux": _img.build_flux,
    "cogvideox": _vid.build_cogvideox,
    "wan": _vid.build_wan,
    "ltx": _vid.build_ltx,
    "hunyuanvideo": _vid.build_hunyuanvideo,
    "pixart_sigma": _img.build_pixart_sigma,
    "sana": _img.build_sana,
}

FAMILIES: tuple[str, ...] = tuple(_BUILDERS)

_IMG = {"height": 32, "width": 32, "num_inference_steps": 1}
_VID = {"height": 16, "width": 16, "num_frames": 9, "num_inference_steps": 1}

#: Keyword arguments for a fast one-step ``__call__`` of each family (add prompt, generator, output_type).
TINY_CALL_KWARGS: dict[str, dict[str, Any]] = {
    "sd1": dict(_IMG),
    "sd2": dict(_IMG),
    "sdxl": dict(_IMG),
    "sd3": dict(_IMG),
    "flux": dict(_IMG),
    "cogvideox": dict(_VID),
    "wan": dict(_VID),
    "ltx": {**_VID, "height": 32, "width": 32},  # LTX needs multiples of 32
    "hunyuanvideo": dict(_VID),
    "pixart_sigma": {**_IMG, "use_resolution_binning": False, "clean_caption": False},
    "sana": {**_IMG, "use_resolution_binning": False, "clean_caption": False},
}


def tiny_pipeline(family: str):
    """Build the tiny pipeline of ``family`` (one of :data:`FAMILIES`): CPU, fp32, eval mode, and the
    same (seeded) weights on every call. Does not change the caller's torch RNG state."""
    try:
        builder = _BUILDERS[family]
    except KeyError:
        raise ValueError(f"unknown family {family!r}; choose one of {FAMILIES}") from None
    pipe = builder()
    pipe.set_progress_bar_config(disable=True)
    return pipe


def save_tiny_pipeline(family: str, path: str | os.PathLike) -> str:
    """Build ``family`` and ``save_pretrained`` it to ``path`` (safetensors), so that
    ``DiffusionPipeline.from_pretrained(path)`` reloads it offline. Returns ``str(path)``."""
    pipe = tiny_pipeline(family)
    pipe.save_pretrained(str(path), safe_serialization=True)
    return str(path)
