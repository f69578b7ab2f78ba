"""`PipelineEncoder`: a diffusers pipeline's own `encode_prompt` as a CGCE `TextEncoder`.

`encode(prompts)` returns exactly the tensors the pipeline's denoiser consumes for those positive
prompts (one row per prompt, float32 on CPU), so `cgce train --pipeline` and the guard inside
`apply_cgce` see identical tensors. The fingerprint names the adapter, each text encoder's class and
a digest of its weights (rounded to
float16, so an fp16 copy of the same checkpoint matches), and the tensor taken, so a classifier trained
for one family (or checkpoint) is refused on another.
"""

from __future__ import annotations

import hashlib
import inspect
import os
from pathlib import Path
from typing import Any, Sequence

import torch

from ...conditioning import Conditioning
from ...errors import InputError
from .families import FamilyAdapter, adapter_for

__all__ = ["PipelineEncoder", "load_pipeline", "load_pipeline_encoder", "pipeline_fingerprint", "original_class"]

_DIGESTS: dict[int, tuple[Any, str]] = {}  # id(module) -> (module, digest): hashing T5-XXL once is enough


def _digest(module: torch.nn.Module) -> str:
    """`weights_digest`'s scheme over the weights rounded to float16.

    fp32 weights and their fp16 copy (the usual GPU inference dtype) give the same digest, so a
    classifier trained on an fp32 pipeline runs on the same checkpoint loaded in fp16; other
    weights (a different checkpoint, bf16-rounded weights) give another digest.
    """
    cached = _DIGESTS.get(id(module))
    if cached is not None and cached[0] is module:
        return cached[1]
    h = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        h.update(name.encode())
        h.update(str(tuple(tensor.shape)).encode())
        h.update(tensor.detach().to("cpu", torch.float16).contiguous().numpy().tobytes())
    digest = h.hexdigest()[:16]
    _DIGESTS[id(module)] = (module, digest)
    return digest


def original_class(pipe) -> type:
    """The pipeline's own class, also while `apply_cgce` has it wrapped."""
    state = getattr(type(pipe), "_cgce_state", None)
    return state.original_class if state is not None else type(pipe)


def pipeline_fingerprint(pipe, adapter: FamilyAdapter | None = None) -> str:
    adapter = adapter or adapter_for(pipe)
    parts = []
    for attr in adapter.text_encoders:
        module = getattr(pipe, attr, None)
        if module is not None:
            parts.append(f"{type(module).__name__}:{_digest(module)}")
    return f"diffusers/{adapter.name}:{'+'.join(parts)}:{adapter.tensor_description}"


_CALL_DEFAULTS = ("max_sequence_length", "complex_human_instruction", "clean_caption", "prompt_template")


def encode_kwargs(pipe, encode_fn, adapter: FamilyAdapter, prompts: list[str]) -> dict[str, Any]:
    """Keyword arguments for one call of `encode_fn` that encodes the positive prompts only."""
    params = inspect.signature(encode_fn).parameters
    kwargs: dict[str, Any] = {}
    for name, p in params.items():
        if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL) or name == "self":
            continue
        if p.default is inspect.Parameter.empty:
            kwargs[name] = None  # e.g. SD3's prompt_2 / prompt_3: None means "same as prompt"
    kwargs["prompt"] = prompts
    if "device" in params:
        kwargs["device"] = pipe._execution_device
    if adapter.per_prompt_arg in params:
        kwargs[adapter.per_prompt_arg] = 1
    if adapter.cfg_arg and adapter.cfg_arg in params:
        kwargs[adapter.cfg_arg] = False
    # The denoiser reads what __call__ asks for; where __call__'s default differs from
    # encode_prompt's (Wan: max_sequence_length 512 vs 226; Sana: complex_human_instruction;
    # PixArt/Sana: clean_caption), __call__ wins.
    call_params = inspect.signature(original_class(pipe).__call__).parameters
    for name in _CALL_DEFAULTS:
        if name in params and name in call_params and call_params[name].default is not inspect.Parameter.empty:
            kwargs[name] = call_params[name].default
    return kwargs


class PipelineEncoder:
    """The positive-prompt conditioning of a diffusers pipeline, as its denoiser consumes it.

    tokenizer: the tokenizer of the encoder whose tokens come first in `embeds` (used by training
    to count the concept text's real tokens).
    """

    def __init__(self, pipe, *, batch_size: int = 32) -> None:
        self.pipe = pipe
        self.adapter = adapter_for(pipe)
        self.tokenizer = getattr(pipe, self.adapter.tokenizer, None)
        self.batch_size = batch_size
        self.fingerprint = pipeline_fingerprint(pipe, self.adapter)

    def __repr__(self) -> str:
        return f"PipelineEncoder({self.fingerprint!r})"

    def _encode_fn(self):
        # When the pipeline is guarded, encode through the unguarded original: training and
        # detection must see the raw encoder output.
        state = getattr(type(self.pipe), "_cgce_state", None)
        if state is not None:
            return lambda **kw: state.original_class.encode_prompt(self.pipe, **kw)
        return self.pipe.encode_prompt

    def encode(self, prompts: Sequence[str]) -> Conditioning:
        if isinstance(prompts, str):
            prompts = [prompts]
        prompts = list(prompts)
        if not prompts:
            raise InputError("no prompts to encode")
        for i, p in enumerate(prompts):
            if not isinstance(p, str) or not p.strip():
                raise InputError(f"prompt {i} is empty or not text")
        fn = self._encode_fn()
        signature_fn = original_class(self.pipe).encode_prompt
        parts = []
        with torch.no_grad():
            for start in range(0, len(prompts), self.batch_size):
                chunk = prompts[start : start + self.batch_size]
                outputs = fn(**encode_kwargs(self.pipe, signature_fn, self.adapter, chunk))
                cond = self.adapter.conditioning(tuple(outputs), self.fingerprint)
                parts.append(cond.to("cpu", torch.float32))
        return parts[0] if len(parts) == 1 else Conditioning.pad_cat(parts)


def load_pipeline(id_or_path: str, **kwargs):
    """`DiffusionPipeline.from_pretrained` offline, with one-line errors for bad input."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    local = Path(id_or_path).expanduser()
    looks_local = local.is_absolute() or id_or_path.startswith((".", "~")) or local.exists() or id_or_path.count("/") != 1
    if looks_local and not local.exists():
        raise InputError(f"{id_or_path}: no such pipeline directory")
    if local.exists() and not (local / "model_index.json").is_file():
        raise InputError(f"{id_or_path}: not a diffusers pipeline (no model_index.json)")
    from diffusers import DiffusionPipeline
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    bars = [(m, m.is_progress_bar_enabled()) for m in (diffusers_logging, transformers_logging)]
    for module, _ in bars:
        module.disable_progress_bar()  # keep stderr to one line per problem
    try:
        pipe = DiffusionPipeline.from_pretrained(str(local) if local.exists() else id_or_path, **kwargs)
    except (OSError, ValueError, EnvironmentError) as exc:
        raise InputError(f"cannot load pipeline {id_or_path!r}: {str(exc).strip().splitlines()[0]}") from exc
    finally:
        for module, enabled in bars:
            if enabled:
                module.enable_progress_bar()
    pipe.set_progress_bar_config(disable=True)
    return pipe


def load_pipeline_encoder(id_or_path: str, **kwargs) -> PipelineEncoder:
    """A `PipelineEncoder` over the pipeline at a local path or hub id (offline: cached ids only)."""
    return PipelineEncoder(load_pipeline(id_or_path, **kwargs))
