"""Per-family adapters: what each pipeline's `encode_prompt` returns and what its denoiser reads.

An adapter is pure data about one family's `encode_prompt` result (a tuple): where the positive
prompt embeddings, their mask and pooled vector sit, where the negative ones sit (or that the
pipeline calls `encode_prompt` a second time for the negative prompt), and how positions are read.

Mask rules (the positions the denoiser actually reads, DESIGN.md §2):
- "all":     every position, padding included. SD 1.x/2.x and SDXL UNets attend over all 77 CLIP
             positions; SD3, FLUX and CogVideoX transformers receive no text mask, so every
             (padded) T5 position is read too.
- "nonzero": Wan zero-pads UMT5 output after the real tokens; the real tokens are the non-zero rows.
- an index:  the family returns the attention mask it passes to its transformer (HunyuanVideo,
             LTX, PixArt-Sigma, Sana): that mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch

from ...conditioning import Conditioning
from ...errors import InputError

__all__ = ["FamilyAdapter", "ADAPTERS", "adapter_for", "supported_pipelines", "UnsupportedPipelineError"]

MaskRule = Literal["all", "nonzero"] | int


class UnsupportedPipelineError(InputError):
    """The pipeline's class has no CGCE adapter."""


@dataclass(frozen=True)
class FamilyAdapter:
    name: str
    classes: tuple[str, ...]
    embeds: int  # index of prompt_embeds in encode_prompt's result
    mask: MaskRule
    pooled: int | None  # index of the pooled vector, if the denoiser takes one
    negative: tuple[int, int | None, int | None] | None  # (embeds, mask, pooled) indices; None: second call
    text_encoders: tuple[str, ...]  # pipeline attributes whose weights define the fingerprint
    tokenizer: str = "tokenizer"  # the tokenizer of the encoder that produced `embeds`' first tokens
    per_prompt_arg: str = "num_images_per_prompt"
    cfg_arg: str | None = "do_classifier_free_guidance"
    video: bool = False

    @property
    def tensor_description(self) -> str:
        parts = ["prompt_embeds"]
        if self.pooled is not None:
            parts.append("pooled")
        rule = self.mask if isinstance(self.mask, str) else "attention_mask"
        return "+".join(parts) + f"/mask={rule}"

    def conditioning(self, outputs: tuple, fingerprint: str | None, *, negative: bool = False) -> Conditioning:
        """The denoiser's conditioning for the positive (or, negative=True, the negative) prompts."""
        if negative:
            if self.negative is None:
                raise ValueError(f"{self.name}: negatives come from a second encode_prompt call")
            e_i, m_i, p_i = self.negative
            mask_rule: MaskRule = self.mask if m_i is None else m_i
        else:
            e_i, mask_rule, p_i = self.embeds, self.mask, self.pooled
        embeds = outputs[e_i]
        if mask_rule == "all":
            mask = torch.ones(embeds.shape[:2], dtype=torch.bool, device=embeds.device)
        elif mask_rule == "nonzero":
            mask = embeds.ne(0).any(dim=-1)
        else:
            mask = outputs[mask_rule].bool()
        pooled = None if p_i is None else outputs[p_i]
        return Conditioning(embeds, mask, pooled, fingerprint)

    def replace(self, outputs: tuple, cond: Conditioning, *, negative: bool = False) -> tuple:
        """`outputs` with the (positive or negative) embeddings and pooled vector replaced."""
        e_i, _, p_i = self.negative if negative else (self.embeds, None, self.pooled)  # type: ignore[misc]
        out = list(outputs)
        out[e_i] = cond.embeds
        if p_i is not None and cond.pooled is not None:
            out[p_i] = cond.pooled
        return type(outputs)(out) if isinstance(outputs, tuple) else out


_SD_TE = ("text_encoder",)

ADAPTERS: tuple[FamilyAdapter, ...] = (
    FamilyAdapter("stable-diffusion", ("StableDiffusionPipeline",), 0, "all", None, (1, None, None), _SD_TE),
    FamilyAdapter(
        "stable-diffusion-xl", ("StableDiffusionXLPipeline",), 0, "all", 2, (1, None, 3), ("text_encoder", "text_encoder_2")
    ),
    FamilyAdapter(
        "stable-diffusion-3",
        ("StableDiffusion3Pipeline",),
        0,
        "all",
        2,
        (1, None, 3),
        ("text_encoder", "text_encoder_2", "text_encoder_3"),
    ),
    FamilyAdapter(
        "flux", ("FluxPipeline",), 0, "all", 1, None, ("text_encoder", "text_encoder_2"), tokenizer="tokenizer_2", cfg_arg=None
    ),
    FamilyAdapter(
        "cogvideox", ("CogVideoXPipeline",), 0, "all", None, (1, None, None), _SD_TE, per_prompt_arg="num_videos_per_prompt", video=True
    ),
    FamilyAdapter(
        "wan", ("WanPipeline",), 0, "nonzero", None, (1, None, None), _SD_TE, per_prompt_arg="num_videos_per_prompt", video=True
    ),
    FamilyAdapter(
        "hunyuanvideo",
        ("HunyuanVideoPipeline",),
        0,
        2,
        1,
        None,
        ("text_encoder", "text_encoder_2"),
        per_prompt_arg="num_videos_per_prompt",
        cfg_arg=None,
        video=True,
    ),
    FamilyAdapter("ltx", ("LTXPipeline",), 0, 1, None, (2, 3, None), _SD_TE, per_prompt_arg="num_videos_per_prompt", video=True),
    FamilyAdapter("pixart-sigma", ("PixArtSigmaPipeline",), 0, 1, None, (2, 3, None), _SD_TE),
    FamilyAdapter("sana", ("SanaPipeline",), 0, 1, None, (2, 3, None), _SD_TE),
)


def supported_pipelines() -> list[str]:
    return [c for a in ADAPTERS for c in a.classes]


def adapter_for(pipe) -> FamilyAdapter:
    """The adapter for a pipeline instance, chosen by its class (or the class it was guarded from)."""
    for cls in type(pipe).__mro__:
        for adapter in ADAPTERS:
            if cls.__name__ in adapter.classes and cls.__module__.startswith("diffusers"):
                return adapter
    raise UnsupportedPipelineError(
        f"CGCE has no adapter for {type(pipe).__name__}; supported pipelines: {', '.join(supported_pipelines())}"
    )
