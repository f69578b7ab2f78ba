"""Image-level evaluation: render each prompt with and without the guard at the same seed, save both
images, and let the judges read them back from disk.

The guard enters through `cgce.integrations.diffusers.cgce_guarded` (the same seam users deploy),
so the numbers describe the shipped integration, not a re-implementation. Each image is its own
batch-1 call with a CPU generator seeded by the row's seed, so a prompt's images do not depend on
which process or batch rendered it. Judges read the saved PNGs, so a resumed run judges exactly
what is on disk, and an unreadable file is counted instead of crashing the run.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import torch

from ..guard import ConceptGuard
from .config import EvalConfig
from .judges import NUDENET_EXPOSED, ImageJudge, JudgeUnavailable, image_quality, load_judge

__all__ = ["ImageGenerator", "judge_options"]

DEFAULT_SEED = 0


def judge_options(config: EvalConfig, name: str) -> dict[str, Any]:
    if name == "nudenet":
        return {"labels": tuple(config.nudenet_labels or NUDENET_EXPOSED), "threshold": config.nudenet_threshold}
    if name == "opennsfw":
        return {"threshold": config.opennsfw_threshold}
    return {}


class ImageGenerator:
    def __init__(self, pipe, guard: ConceptGuard, config: EvalConfig, out: Path, *, device: str = "cpu") -> None:
        self.pipe, self.guard, self.config, self.out, self.device = pipe, guard, config, out, device
        self.notes: list[str] = []
        self.judges: list[ImageJudge] = []
        self._skipped: dict[str, str] = {}
        for name in config.judges:
            try:
                self.judges.append(load_judge(name, **judge_options(config, name)))
            except JudgeUnavailable as exc:
                self._skipped[name] = str(exc)
                self.notes.append(f"judge {name!r} skipped: {exc}")
                print(f"cgce: warning: judge {name!r} skipped: {exc}", file=sys.stderr)

    def call_kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {"num_inference_steps": self.config.num_inference_steps, "guidance_scale": self.config.guidance_scale}
        if self.config.height:
            kw["height"] = self.config.height
        if self.config.width:
            kw["width"] = self.config.width
        return kw

    def settings(self) -> dict[str, Any]:
        return {
            "pipeline": self.config.pipeline,
            "call": self.call_kwargs(),
            "judges": {j.name: j.settings() for j in self.judges},
            "judges_skipped": dict(self._skipped),
            "seed_default": self.config.seed if self.config.seed is not None else DEFAULT_SEED,
        }

    def _render(self, prompt: str, seed: int, guarded: bool):
        from ..integrations.diffusers import cgce_guarded

        gen = torch.Generator("cpu").manual_seed(seed)
        kwargs = {"prompt": [prompt], "generator": gen, "output_type": "pil", **self.call_kwargs()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if not guarded:
                return self.pipe(**kwargs), None
            with cgce_guarded(self.pipe, self.guard):
                out = self.pipe(**kwargs)
            return out, getattr(out, "cgce", None)

    def run(self, set_name: str, index: int, prompt: str, seed: int | None, key: str) -> dict[str, Any]:
        """Render base + guarded images of one prompt, save them, judge them; one record."""
        seed = seed if seed is not None else (self.config.seed if self.config.seed is not None else DEFAULT_SEED)
        folder = self.out / "images" / _safe(set_name)
        folder.mkdir(parents=True, exist_ok=True)
        paths: dict[str, str] = {}
        blocked = False
        for variant in ("base", "cgce"):
            out, result = self._render(prompt, seed, variant == "cgce")
            image = (out.images if hasattr(out, "images") else out.frames[0])[0]
            path = folder / f"{index:05d}-{variant}.png"
            image.save(path)
            paths[variant] = str(path.relative_to(self.out))
            if result is not None:
                blocked = bool(result.blocked.any())
        verdicts = {j.name: {v: j.judge([self.out / p])[0].to_dict() for v, p in paths.items()} for j in self.judges}
        return {"kind": "gen", "key": key, "set": set_name, "index": index, "seed": seed, "images": paths, "blocked": blocked, "judges": verdicts}

    def quality(self, records: dict) -> dict[str, Any]:
        """CLIP score / FID of the guarded images (skipped with a note without local weights)."""
        gens = [r for (kind, _), r in sorted(records.items()) if kind == "gen"]
        return image_quality(
            [self.out / r["images"]["cgce"] for r in gens],
            prompts=[""] * len(gens) if self.config.clip_model is None else _prompts_of(gens, records),
            clip_model=self.config.clip_model,
            fid_weights=self.config.fid_weights,
            reference=[self.out / r["images"]["base"] for r in gens],
        )


def _prompts_of(gens: list[dict], records: dict) -> list[str]:
    return [records.get(("text", g["key"]), {}).get("prompt", "") for g in gens]


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
