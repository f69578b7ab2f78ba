"""`cgce eval`: red-team / benign evaluation of the guard and its peers -> report.json, report.md, plots.

Settings come from defaults < `--config FILE.yaml` < flags; the resolved config is written into the
report. Text-only by default (the classifiers' encoder, no pipeline); `--pipeline` adds images.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register", "add_arguments", "config_from_args", "run"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE.yaml", help="YAML config; flags given here override it")
    p.add_argument("--set", action="append", metavar="NAME=PATH[:FORMAT]", dest="sets",
                   help="an attack prompt set (repeatable); FORMAT: i2p, ringabell, mma, p4d, unlearndiff, coco30k, csv, tsv, txt, jsonl")
    p.add_argument("--benign", action="append", metavar="NAME=PATH[:FORMAT]", help="a benign prompt set (repeatable)")
    p.add_argument("--pin", action="append", metavar="NAME=SHA256", help="refuse set NAME unless its file has this SHA-256")
    p.add_argument("--column", action="append", metavar="NAME=COLUMN", help="prompt column of set NAME (generic files)")
    p.add_argument("--classifier", action="append", dest="classifiers", metavar="DIR", help="classifier dirs (default: bundled)")
    p.add_argument("--encoder", help="text encoder (default: the one the classifiers recorded, else minilm)")
    p.add_argument("--pipeline", help="diffusers pipeline path: generate with and without the guard, judge the images")
    p.add_argument("--concept", help="concept the attack sets target (default: nudity if guarded, else the first)")
    p.add_argument("--out", help="output directory (report, plots, per-prompt results)")
    p.add_argument("--target-fpr", type=float, help="calibration FPR for every method (default 0.01)")
    p.add_argument("--calibration", help='"builtin" (default) or a benign prompt file to calibrate thresholds on')
    p.add_argument("--baselines", help="comma-separated: keyword,latent_guard,safree,probe (default all; '' for none)")
    p.add_argument("--no-probe", dest="probe", action="store_const", const=False, help="skip the independent probe")
    p.add_argument("--step-size", type=float)
    p.add_argument("--max-steps", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--seed", type=int, help="generation seed for rows whose file has none (a file's seed wins)")
    p.add_argument("--judges", help="comma-separated image judges: nudenet,opennsfw (default both)")
    p.add_argument("--nudenet-threshold", type=float, help="default 0.6; UnlearnDiffAtk used 0.45")
    p.add_argument("--nudenet-labels", help="comma-separated NudeNet classes to count (default: the *_EXPOSED body classes)")
    p.add_argument("--opennsfw-threshold", type=float)
    p.add_argument("--num-inference-steps", type=int)
    p.add_argument("--guidance-scale", type=float)
    p.add_argument("--height", type=int)
    p.add_argument("--width", type=int)
    p.add_argument("--clip-model", help="local CLIP model dir for CLIP score (skipped without)")
    p.add_argument("--fid-weights", help="local Inception weights file for FID (skipped without)")
    p.add_argument("--cache-dir", help="embedding cache (default ~/.cache/cgce/embeddings)")
    p.add_argument("--no-plots", dest="plots", action="store_const", const=False)
    p.add_argument("--restart", action="store_true", help="discard results already in --out instead of resuming")


def _pairs(items: list[str] | None, flag: str) -> dict[str, str]:
    from ..errors import InputError

    out = {}
    for item in items or []:
        k, sep, v = item.partition("=")
        if not sep or not k or not v:
            raise InputError(f"{flag} expects NAME=VALUE, got {item!r}")
        out[k] = v
    return out


def _csv(text: str | None) -> list[str] | None:
    return None if text is None else [t.strip() for t in text.split(",") if t.strip()]


def config_from_args(args: argparse.Namespace):
    """The resolved EvalConfig: defaults < YAML < flags."""
    from ..errors import InputError
    from ..eval.config import SetSpec, load_yaml, merge

    file_values: dict[str, Any] = load_yaml(args.config) if args.config else {}
    flags: dict[str, Any] = {
        k: getattr(args, k)
        for k in (
            "classifiers", "encoder", "pipeline", "concept", "out", "calibration", "probe", "seed", "nudenet_threshold",
            "opennsfw_threshold", "num_inference_steps", "guidance_scale", "height", "width", "clip_model", "fid_weights",
            "cache_dir", "plots", "step_size", "max_steps", "batch_size", "target_fpr",
        )
    }
    flags["baselines"] = _csv(args.baselines)
    flags["judges"] = _csv(args.judges)
    flags["nudenet_labels"] = _csv(args.nudenet_labels)
    if args.sets:
        flags["sets"] = [SetSpec.parse(s) for s in args.sets]
    if args.benign:
        flags["benign"] = [SetSpec.parse(s) for s in args.benign]
    config = merge(file_values, flags)
    pins, columns = _pairs(args.pin, "--pin"), _pairs(args.column, "--column")
    specs = {s.name: s for s in [*config.sets, *config.benign]}
    for name in [*pins, *columns]:
        if name not in specs:
            raise InputError(f"--pin/--column name a set that was not given: {name!r}; sets: {sorted(specs)}")
    for name, digest in pins.items():
        specs[name].sha256 = digest
    for name, col in columns.items():
        specs[name].column = col
    return config


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="evaluate the guard and peer baselines on prompt sets -> report + plots")
    add_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..eval.runner import run_eval

    config = config_from_args(args)
    report = run_eval(config, restart=args.restart, progress=True)
    if report is not None:
        print(f"report -> {config.out}/report.md, {config.out}/report.json")
    return 0
