"""Speed on this machine: guard overhead on an unflagged batch, and `cgce train` wall time.

    python benchmarks/speed.py [--train-concept church] [--members 1] [--warm-runs 3] [--skip-train]

Guard overhead: the four bundled classifiers on a batch of 32 built-in benign prompts (none
flagged), median of repeated calls, next to the encoder's own time for the same batch. Training:
`cgce train` for one concept in a subprocess, first with an empty embedding cache (cold: includes
encoding every prompt), then several times with the cache it filled (warm; median and range).
Shared machines are noisy: the figures are medians measured side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def guard_overhead(repeats: int) -> dict:
    import torch

    from cgce import ConceptGuard, load_encoder
    from cgce.bundled import bundled_classifier_dirs
    from cgce.commands._common import load_classifiers
    from cgce.data.pairs import builtin_benign

    encoder = load_encoder()
    guard = ConceptGuard(load_classifiers(bundled_classifier_dirs(), encoder))
    # The first 32 built-in benign prompts that no classifier flags: this measures the pass-through path.
    pool = builtin_benign()[:64]
    unflagged = ~guard(encoder.encode(pool)).flagged
    prompts = [p for p, ok in zip(pool, unflagged.tolist()) if ok][:32]
    cond = encoder.encode(prompts)
    assert len(prompts) == 32 and not bool(guard(cond).flagged.any()), "benchmark batch must be 32 unflagged prompts"
    guard_ms, encode_ms = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        encoder.encode(prompts)
        encode_ms.append(1000 * (time.perf_counter() - t))
        t = time.perf_counter()
        guard(cond)
        guard_ms.append(1000 * (time.perf_counter() - t))
    return {
        "batch": len(prompts),
        "classifiers": len(guard.classifiers),
        "threads": torch.get_num_threads(),
        "guard_ms_median": statistics.median(guard_ms),
        "encode_ms_median": statistics.median(encode_ms),
    }


def train_wall(concept: str, warm_runs: int, members: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        argv = [
            sys.executable, "-m", "cgce.cli", "train", "--concept", concept, "--members", str(members),
            "--out", f"{tmp}/clf", "--cache-dir", f"{tmp}/cache", "--quiet",
        ]
        walls = []
        for _ in range(1 + warm_runs):  # the first run fills the empty cache
            t = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
        warm = walls[1:]
        return {"train_cold_s": walls[0], "train_warm_s": statistics.median(warm), "train_warm_runs_s": warm}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--train-concept", default="church")
    ap.add_argument("--members", type=int, default=1, help="--members for cgce train (the bundled classifiers use 3)")
    ap.add_argument("--warm-runs", type=int, default=3)
    ap.add_argument("--skip-train", action="store_true")
    args = ap.parse_args()
    figures = guard_overhead(args.repeats)
    print(f"guard, {figures['classifiers']} classifiers, batch {figures['batch']} unflagged: {figures['guard_ms_median']:.1f} ms median "
          f"(encoder {figures['encode_ms_median']:.1f} ms; torch threads {figures['threads']})")
    if not args.skip_train:
        figures.update(train_wall(args.train_concept, max(1, args.warm_runs), args.members))
        runs = ", ".join(f"{w:.1f}" for w in figures["train_warm_runs_s"])
        print(f"cgce train --concept {args.train_concept} --members {args.members}: {figures['train_cold_s']:.1f} s cold cache, "
              f"{figures['train_warm_s']:.1f} s warm cache (median of {runs})")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
