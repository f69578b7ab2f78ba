"""Pieces the subcommands share: choosing the encoder and loading classifiers for it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..encoders import TextEncoder, load_encoder
from ..errors import InputError

__all__ = ["add_encoder_args", "add_guard_args", "resolve_encoder", "load_classifiers", "guard_options"]


def add_encoder_args(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--encoder", help='text encoder: "minilm" (default), a hub id or a local path')
    group.add_argument("--pipeline", help="a diffusers pipeline id or path; its own encode_prompt is the encoder")


def add_guard_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--step-size", type=float, default=1.0, help="refinement step size (paper default 1.0)")
    p.add_argument("--max-steps", type=int, default=100, help="refinement step budget per prompt")
    p.add_argument("--on-failure", choices=("raise", "block", "warn"), default="warn")


def guard_options(args: argparse.Namespace) -> dict:
    if args.step_size <= 0:
        raise InputError(f"--step-size must be > 0, got {args.step_size}")
    if args.max_steps < 0:
        raise InputError(f"--max-steps must be >= 0, got {args.max_steps}")
    return {"step_size": args.step_size, "max_steps": args.max_steps, "on_failure": args.on_failure}


def recorded_encoder(directory: str | Path) -> str | None:
    """The encoder a classifier was trained with, as `cgce train` recorded it."""
    config = Path(directory) / "config.json"
    try:
        return json.loads(config.read_text(encoding="utf-8")).get("training", {}).get("encoder_source")
    except (OSError, json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return None  # from_pretrained reports the real problem with a proper message


def resolve_encoder(args: argparse.Namespace, classifier_dirs: list[str | Path] = ()) -> TextEncoder:
    """--pipeline, else --encoder, else what the first classifier recorded, else MiniLM."""
    if getattr(args, "pipeline", None):
        return load_pipeline_encoder(args.pipeline)
    source = getattr(args, "encoder", None) or next(filter(None, map(recorded_encoder, classifier_dirs)), None)
    if source and source.startswith("pipeline:"):
        return load_pipeline_encoder(source[len("pipeline:") :])
    return load_encoder(source or "minilm")


def load_pipeline_encoder(path: str) -> TextEncoder:
    try:
        from ..integrations.diffusers import load_pipeline_encoder as load
    except ImportError as exc:
        raise InputError(f"--pipeline needs diffusers: pip install 'cgce[diffusers]' ({exc})") from exc
    return load(path)


def load_classifiers(dirs: list[str | Path], encoder: TextEncoder) -> list:
    from ..classifier import ConceptClassifier

    return [ConceptClassifier.from_pretrained(d, expected_fingerprint=encoder.fingerprint) for d in dirs]
