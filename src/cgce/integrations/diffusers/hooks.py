"""`apply_cgce` / `remove_cgce` / `cgce_guarded`: guard a pipeline instance through its own seam.

The pipeline instance (never its class) gets a per-instance subclass that overrides two methods:

- `encode_prompt`: calls the pipeline's own `encode_prompt` unchanged, then guards the positive
  conditioning it returned — text prompts and user-supplied `prompt_embeds` alike, since
  `__call__` routes both through it. Copies made for `num_images_per_prompt` /
  `num_videos_per_prompt` are collapsed to one row per prompt before guarding and expanded after,
  so every copy gets the same refinement. Negatives follow the negative-prompt policy.
- `__call__`: runs the pipeline's own `__call__`, then blanks blocked rows and attaches the
  `GuardResult` of the positive prompts as `output.cgce` (also `last_result(pipe)`, e.g. for
  `return_dict=False`).

Everything else — schedulers, callbacks, CFG, latents — is the pipeline's own code, untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import time
from typing import Any, Iterator, Literal

import numpy as np
import torch
from torch import Tensor

from ...classifier import ConceptClassifier
from ...conditioning import Conditioning, GuardResult
from ...errors import EncoderMismatchError, InputError
from ...guard import ConceptGuard
from .encoder import pipeline_fingerprint
from .families import FamilyAdapter, adapter_for

__all__ = ["apply_cgce", "remove_cgce", "cgce_guarded", "is_guarded", "last_result", "PipelineGuardResult", "NegativePolicy"]

NegativePolicy = Literal["neutralize", "contrast", "drop", "keep"]
NEGATIVE_POLICIES = ("neutralize", "contrast", "drop", "keep")


@dataclasses.dataclass(frozen=True)
class PipelineGuardResult(GuardResult):
    """A `GuardResult` (one row per prompt) plus what happened to the negative prompts.

    negative_neutralized: (B,) bool, rows whose user negative prompt was replaced by the
                          pipeline's neutral negative (see the negative-prompt policy).
    rows_per_prompt:      copies per prompt in the pipeline's batch (num_images_per_prompt).
    guard_seconds:        wall time spent in detection, refinement and the negative policy.
    """

    negative_neutralized: Tensor | None = None
    rows_per_prompt: int = 1
    guard_seconds: float = 0.0

    def row_report(self, row: int) -> dict:
        report = super().row_report(row)
        if self.negative_neutralized is not None:
            report["negative_neutralized"] = bool(self.negative_neutralized[row])
        return report


@dataclasses.dataclass
class _State:
    guard: ConceptGuard
    adapter: FamilyAdapter
    fingerprint: str
    negative_policy: NegativePolicy
    original_class: type
    call: dict | None = None  # per-__call__ context: {"result": ..., "positive": ..., "calls": n}
    last_result: PipelineGuardResult | None = None


def _state(pipe) -> _State | None:
    return type(pipe).__dict__.get("_cgce_state")


def is_guarded(pipe) -> bool:
    return _state(pipe) is not None


def last_result(pipe) -> PipelineGuardResult | None:
    """The GuardResult of the pipeline's most recent guarded encode (None if none yet)."""
    state = _state(pipe)
    return None if state is None else state.last_result


# --- tensor helpers -------------------------------------------------------------------------


def _collapse(cond: Conditioning, n: int) -> tuple[Conditioning, int]:
    """One row per prompt when the n consecutive copies of each prompt are identical."""
    b = len(cond)
    if n <= 1 or b % n:
        return cond, 1
    e = cond.embeds.view(b // n, n, *cond.embeds.shape[1:])
    m = cond.mask.view(b // n, n, -1)
    same = bool((e == e[:, :1]).all()) and bool((m == m[:, :1]).all())
    if cond.pooled is not None:
        p = cond.pooled.view(b // n, n, -1)
        same = same and bool((p == p[:, :1]).all())
    if not same:
        return cond, 1
    return cond.rows(slice(0, b, n)), n


def _expand(cond: Conditioning, n: int) -> Conditioning:
    if n == 1:
        return cond
    pooled = None if cond.pooled is None else cond.pooled.repeat_interleave(n, dim=0)
    return Conditioning(cond.embeds.repeat_interleave(n, dim=0), cond.mask.repeat_interleave(n, dim=0), pooled, cond.fingerprint)


def _plain(cond: Conditioning) -> Conditioning:
    """Normal (non-inference) tensors, so the guard can take gradients under inference_mode."""
    pooled = None if cond.pooled is None else cond.pooled.clone()
    return Conditioning(cond.embeds.clone(), cond.mask.clone(), pooled, cond.fingerprint)


def _guard(guard: ConceptGuard, cond: Conditioning) -> GuardResult:
    if torch.is_inference_mode_enabled():
        with torch.inference_mode(False):
            return guard(_plain(cond))
    return guard(cond)


def _detect(guard: ConceptGuard, cond: Conditioning) -> Tensor:
    """(B,) bool: any classifier at or above its threshold."""
    if torch.is_inference_mode_enabled():
        with torch.inference_mode(False):
            return _detect(guard, _plain(cond))
    scores = guard.detect(cond)
    flagged = torch.zeros(len(cond), dtype=torch.bool)
    for concept, s in scores.items():
        flagged |= s >= guard.thresholds[concept]
    return flagged


def _blank_rows(cond: Conditioning, rows: Tensor) -> Conditioning:
    """Blocked rows: zero every position the denoiser reads (and the pooled vector)."""
    rows = rows.to(cond.embeds.device)
    embeds = cond.embeds.masked_fill((rows[:, None] & cond.mask).unsqueeze(-1), 0)
    pooled = None if cond.pooled is None else cond.pooled.masked_fill(rows[:, None], 0)
    return Conditioning(embeds, cond.mask, pooled, cond.fingerprint)


def _contrast(pos: Conditioning, neg: Conditioning) -> Conditioning | None:
    """2·pos − neg: the first-order direction classifier-free guidance pushes the sample along."""
    if pos.embeds.shape != neg.embeds.shape or (pos.pooled is None) != (neg.pooled is None):
        return None
    mask = pos.mask | neg.mask
    embeds = 2 * pos.embeds.float() - neg.embeds.float()
    pooled = None if pos.pooled is None else 2 * pos.pooled.float() - neg.pooled.float()  # type: ignore[union-attr]
    return Conditioning(embeds, mask, pooled, pos.fingerprint)


def _splice(outputs: tuple, neutral: tuple, indices: tuple, rows: Tensor) -> tuple:
    out = list(outputs)
    for i in indices:
        if i is None or out[i] is None:
            continue
        t = out[i].clone()
        t[rows.to(t.device)] = neutral[i][rows.to(t.device)].to(t.dtype)
        out[i] = t
    return tuple(out)


def _bound_call(fn, pipe, args, kwargs) -> dict[str, Any]:
    bound = inspect.signature(fn).bind(pipe, *args, **kwargs)
    bound.apply_defaults()
    call = dict(bound.arguments)
    call.pop(next(iter(inspect.signature(fn).parameters)))  # self
    for name, p in inspect.signature(fn).parameters.items():
        if p.kind is p.VAR_KEYWORD:
            call.update(call.pop(name, {}))
        elif p.kind is p.VAR_POSITIONAL:
            call.pop(name, None)
    return call


# --- the two overridden methods ---------------------------------------------------------------


def _guarded_encode_prompt(self, *args, **kwargs):
    state = _state(self)
    assert state is not None, "guarded class without state"
    original = state.original_class.encode_prompt
    adapter = state.adapter
    outputs = tuple(original(self, *args, **kwargs))
    started = time.perf_counter()
    call = _bound_call(original, self, args, kwargs)
    ctx = state.call
    if ctx is not None:
        ctx["calls"] += 1
        if adapter.negative is None and ctx["calls"] > 1 and ctx.get("result") is not None:
            return _second_call_negative(self, state, ctx, original, call, outputs)

    n = int(call.get(adapter.per_prompt_arg) or 1)
    cond = adapter.conditioning(outputs, state.fingerprint)
    unique, n = _collapse(cond, n)
    result = _guard(state.guard, unique)
    refined = result.conditioning
    if bool(result.blocked.any()):
        refined = _blank_rows(refined, result.blocked)
    if bool(result.flagged.any()):
        outputs = adapter.replace(outputs, _expand(refined, n))

    neutral = torch.zeros(len(unique), dtype=torch.bool)
    cfg = adapter.cfg_arg is None or bool(call.get(adapter.cfg_arg, True))
    if adapter.negative is not None and cfg and outputs[adapter.negative[0]] is not None and _user_negative(call):
        neutral = _negative_rows(state, result, unique, adapter.conditioning(outputs, state.fingerprint, negative=True), n)
        if bool(neutral.any()):
            defaults = {k: None for k in call if k.startswith("negative_")}
            neutral_outputs = tuple(original(self, **{**call, **defaults}))
            outputs = _splice(outputs, neutral_outputs, adapter.negative, neutral.repeat_interleave(n))

    full = PipelineGuardResult(
        **{f.name: getattr(result, f.name) for f in dataclasses.fields(GuardResult)},
        negative_neutralized=neutral,
        rows_per_prompt=n,
        guard_seconds=time.perf_counter() - started,
    )
    state.last_result = full
    if ctx is not None and ctx.get("result") is None:
        ctx.update(result=full, positive=unique)
    return outputs


def _user_negative(call: dict) -> bool:
    def given(v) -> bool:
        if v is None or (isinstance(v, str) and not v):
            return False
        return not (isinstance(v, (list, tuple)) and all(isinstance(x, str) and not x for x in v))

    return any(given(v) for k, v in call.items() if k.startswith("negative_"))


def _negative_rows(state: _State, result: GuardResult, positive: Conditioning, negative: Conditioning, n: int) -> Tensor:
    """(B,) bool: rows whose user negative is replaced by the pipeline's neutral negative."""
    b = len(positive)
    if state.negative_policy == "keep":
        return torch.zeros(b, dtype=torch.bool)
    if state.negative_policy == "drop":
        return torch.ones(b, dtype=torch.bool)
    rows = result.flagged.clone()
    if state.negative_policy == "neutralize":
        return rows
    neg = negative.rows(slice(0, len(negative), n)) if n > 1 else negative
    contrast = _contrast(positive, neg) if len(neg) == b else None
    if contrast is not None:
        rows |= _detect(state.guard, contrast)
    return rows


def _second_call_negative(self, state: _State, ctx: dict, original, call: dict, outputs: tuple) -> tuple:
    """FLUX / HunyuanVideo encode the negative prompt in a second encode_prompt call."""
    started = time.perf_counter()
    adapter = state.adapter
    result: PipelineGuardResult = ctx["result"]
    n = result.rows_per_prompt
    negative = adapter.conditioning(outputs, state.fingerprint)
    rows = _negative_rows(state, result, ctx["positive"], negative, n)
    if bool(rows.any()):
        b = len(result)
        neutral_call = {**call, "prompt": [""] * b}
        for k in ("prompt_2", "prompt_embeds", "pooled_prompt_embeds", "prompt_attention_mask"):
            if k in neutral_call:
                neutral_call[k] = None
        neutral_outputs = tuple(original(self, **neutral_call))
        mask_index = adapter.mask if isinstance(adapter.mask, int) else None
        outputs = _splice(outputs, neutral_outputs, (adapter.embeds, mask_index, adapter.pooled), rows.repeat_interleave(n))
    updated = dataclasses.replace(
        result,
        negative_neutralized=result.negative_neutralized | rows,
        guard_seconds=result.guard_seconds + time.perf_counter() - started,
    )
    ctx["result"] = state.last_result = updated
    return outputs


def _black(item):
    from PIL import Image

    if isinstance(item, Image.Image):
        return Image.new(item.mode, item.size)
    if isinstance(item, np.ndarray):
        return np.zeros_like(item)
    if isinstance(item, Tensor):
        return torch.zeros_like(item)
    if isinstance(item, (list, tuple)):
        return type(item)(_black(x) for x in item)
    return item


def _blackout(images, rows: Tensor):
    """The batch with the given rows replaced by black images / videos / zero latents."""
    if images is None or len(images) != len(rows):
        return images
    idx = rows.nonzero().flatten().tolist()
    if isinstance(images, np.ndarray):
        images = images.copy()
        images[idx] = 0
        return images
    if isinstance(images, Tensor):
        images = images.clone()
        images[idx] = 0
        return images
    images = list(images)
    for i in idx:
        images[i] = _black(images[i])
    return images


def _guarded_call(self, *args, **kwargs):
    state = _state(self)
    assert state is not None, "guarded class without state"
    previous, state.call = state.call, {"calls": 0, "result": None}
    try:
        out = state.original_class.__call__(self, *args, **kwargs)
        result: PipelineGuardResult | None = state.call["result"]
    finally:
        state.call = previous
    if result is None:
        return out
    if bool(result.blocked.any()):
        rows = result.blocked.repeat_interleave(result.rows_per_prompt)
        if isinstance(out, tuple):
            out = (_blackout(out[0], rows), *out[1:])
        else:
            field = "images" if hasattr(out, "images") else "frames" if hasattr(out, "frames") else None
            if field is not None:
                setattr(out, field, _blackout(getattr(out, field), rows))
    if not isinstance(out, tuple):
        try:
            out.cgce = result
        except AttributeError:
            pass
    return out


# --- public API -------------------------------------------------------------------------------


def apply_cgce(pipe, guard: ConceptGuard | ConceptClassifier, *, negative_policy: NegativePolicy = "neutralize"):
    """Guard this pipeline instance in place (and return it). Re-applying replaces the guard.

    Raises UnsupportedPipelineError (listing the supported pipelines) for other pipelines and
    EncoderMismatchError, naming both encoders, when the classifiers were trained on another
    pipeline's text encoder(s).
    """
    if isinstance(guard, ConceptClassifier):
        guard = ConceptGuard([guard])
    if not isinstance(guard, ConceptGuard):
        raise InputError(f"apply_cgce needs a ConceptGuard, got {type(guard).__name__}")
    if negative_policy not in NEGATIVE_POLICIES:
        raise InputError(f"negative_policy must be one of {NEGATIVE_POLICIES}, got {negative_policy!r}")
    existing = _state(pipe)
    original = existing.original_class if existing is not None else type(pipe)
    adapter = adapter_for(pipe)
    fingerprint = pipeline_fingerprint(pipe, adapter)
    if guard.fingerprint != fingerprint:
        raise EncoderMismatchError(
            f"the guard's classifiers {guard.concepts} were trained on encoder {guard.fingerprint!r}, "
            f"but this {original.__name__} encodes prompts with {fingerprint!r}"
        )
    state = _State(guard, adapter, fingerprint, negative_policy, original)
    namespace = {
        "__call__": _guarded_call,
        "encode_prompt": _guarded_encode_prompt,
        "_cgce_state": state,
        "__module__": original.__module__,
        "__qualname__": original.__qualname__,
        "__doc__": original.__doc__,
    }
    # Same name as the original class, so save_pretrained writes the original _class_name.
    pipe.__class__ = type(original.__name__, (original,), namespace)
    return pipe


def remove_cgce(pipe):
    """Restore the pipeline's own class (a no-op on a pipeline that is not guarded)."""
    state = _state(pipe)
    if state is not None:
        pipe.__class__ = state.original_class
    return pipe


@contextlib.contextmanager
def cgce_guarded(pipe, guard: ConceptGuard | ConceptClassifier, *, negative_policy: NegativePolicy = "neutralize") -> Iterator[Any]:
    """`with cgce_guarded(pipe, guard): pipe(...)` — guarded inside the block, restored after."""
    previous = _state(pipe)
    apply_cgce(pipe, guard, negative_policy=negative_policy)
    try:
        yield pipe
    finally:
        remove_cgce(pipe)
        if previous is not None:
            apply_cgce(pipe, previous.guard, negative_policy=previous.negative_policy)
