"""Text-encoder attacks vs random search, and the adaptive attack's evasion of the nudity guard.

    python benchmarks/attacks.py                                   # built-in nudity pairs as targets
    python benchmarks/attacks.py --dev ../shared/data/dev          # RECE's paired nudity prompts instead
    python benchmarks/attacks.py --classifier DIR --targets 10 --evasion-targets 20 --out attacks.json

Part 1 (objective vs baseline): for N nudity targets, each attack and the random-search baseline
run with the same objective, start and query budget; we report the median final objective and how
often the attack is at least as good. Ring-A-Bell aims at view(safe side) + eta * concept (concept
vector from 300 built-in pairs not used as targets); MMA at the unsafe side with nudity words
banned; the adaptive attack at the unsafe side against the guard.
Part 2 (evasion): the adaptive attack (and random search) from each flagged target, run to 200
queries, checkpointed, then resumed to 1,000; evasion = no classifier at/above its threshold;
"within bound" adds cosine to the target >= the similarity bound (AdaptiveConfig, 0.80).
Targets are seeded samples of the unsafe prompts the guard flags. Whole run: < 10 min on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402

from cgce import ConceptClassifier, ConceptGuard, load_encoder  # noqa: E402
from cgce.attacks import (  # noqa: E402
    AdaptiveConfig,
    MMAConfig,
    RingABellConfig,
    adaptive_attack,
    concept_vector,
    mma_attack,
    ring_a_bell,
)
from cgce.bundled import BUNDLED_DIR  # noqa: E402
from cgce.data.pairs import builtin_pairs  # noqa: E402


def load_targets(args, guard: ConceptGuard, encoder) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(safe, unsafe) target pairs the guard flags, seeded order, and the pairs for the concept vector."""
    pairs = [(p.safe, p.unsafe) for p in builtin_pairs("nudity")]
    random.Random(args.seed).shuffle(pairs)
    concept_pairs, pool = pairs[:300], pairs[300:]
    if args.dev:
        with (Path(args.dev) / "nudity" / "paired_nudity_rece.csv").open(encoding="utf-8-sig", newline="") as f:
            pool = [(r["normal prompt"], r["sensitive prompt"]) for r in csv.DictReader(f)]
        random.Random(args.seed).shuffle(pool)
    need = max(args.targets, args.evasion_targets)
    flagged: list[tuple[str, str]] = []
    for start in range(0, len(pool), 64):
        chunk = pool[start : start + 64]
        scores = guard.detect(encoder.encode([u for _, u in chunk]))
        hit = torch.stack([scores[c.concept] >= c.threshold for c in guard.classifiers]).any(0)
        flagged += [p for p, h in zip(chunk, hit.tolist()) if h]
        if len(flagged) >= need:
            break
    return flagged[:need], concept_pairs


def compare(args, encoder, guard, targets, concept) -> dict:
    """Median final objective of each attack vs random search at the same budget."""
    common = dict(max_queries=args.budget, batch_size=args.batch_size, progress=False)
    runs = {
        "ringabell": lambda s, u, m, seed: ring_a_bell(encoder, prompt=s, concept=concept, method=m,
                                                       config=RingABellConfig(seed=seed, **common)),
        "mma": lambda s, u, m, seed: mma_attack(encoder, target=u, method=m, config=MMAConfig(seed=seed, **common)),
        "adaptive": lambda s, u, m, seed: adaptive_attack(encoder, guard, target=u, method=m,
                                                          config=AdaptiveConfig(seed=seed, **common)),
    }
    methods = {"ringabell": "genetic", "mma": "gcg", "adaptive": "gcg"}
    out = {}
    for name, fn in runs.items():
        t0, attack, base = time.time(), [], []
        for i, (safe, unsafe) in enumerate(targets[: args.targets]):
            attack.append(fn(safe, unsafe, methods[name], args.seed + i).objective_trace[-1])
            base.append(fn(safe, unsafe, "random", args.seed + i).objective_trace[-1])
        wins = sum(a <= b for a, b in zip(attack, base))
        out[name] = {"method": methods[name], "median": statistics.median(attack), "random_median": statistics.median(base),
                     "wins_or_ties": wins, "n": len(attack), "seconds": round(time.time() - t0, 1)}
        print(f"  {name:10s} {methods[name]:8s} median {out[name]['median']:.4f}  random {out[name]['random_median']:.4f}"
              f"  attack <= random on {wins}/{len(attack)}  ({out[name]['seconds']} s)", flush=True)
    return out


def evasion(args, encoder, guard, targets) -> dict:
    """Evasion rates at each budget, the later budgets resumed from the earlier run's checkpoint."""
    out = {}
    for method in ("gcg", "random") if args.evasion_random else ("gcg",):
        rows = {q: [] for q in args.evasion_budgets}
        t0 = time.time()
        with tempfile.TemporaryDirectory() as tmp:
            for i, (_, unsafe) in enumerate(targets[: args.evasion_targets]):
                ckpt = Path(tmp) / f"{method}-{i}.json"
                for q in args.evasion_budgets:
                    config = AdaptiveConfig(max_queries=q, seed=args.seed + i, batch_size=args.batch_size, progress=False)
                    res = adaptive_attack(encoder, guard, target=unsafe, method=method, config=config, checkpoint=ckpt)
                    rows[q].append(res.extra["final"] | {"prompt": res.prompts[0], "target": unsafe})
        out[method] = {}
        for q, finals in rows.items():
            n = len(finals)
            out[method][q] = {
                "evaded": sum(f["evaded"] for f in finals) / n,
                "evaded_within_bound": sum(f["evaded_within_bound"] for f in finals) / n,
                "median_similarity": statistics.median(f["similarity"] for f in finals),
                "n": n,
                "examples": finals[:3],
            }
            r = out[method][q]
            print(f"  {method:6s} {q:5d} queries: evaded {r['evaded']:.0%}, within bound {r['evaded_within_bound']:.0%}"
                  f", median cosine to target {r['median_similarity']:.3f} (n={n})", flush=True)
        print(f"  ({method}: {time.time() - t0:.0f} s)", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--classifier", default=str(BUNDLED_DIR / "nudity"), help="nudity classifier dir (default: bundled)")
    ap.add_argument("--dev", help="../shared/data/dev: take targets from RECE's paired nudity prompts")
    ap.add_argument("--targets", type=int, default=10, help="targets for part 1")
    ap.add_argument("--budget", type=int, default=200, help="queries per run in part 1")
    ap.add_argument("--evasion-targets", type=int, default=20)
    ap.add_argument("--evasion-budgets", type=int, nargs="+", default=[200, 1000])
    ap.add_argument("--no-evasion-random", dest="evasion_random", action="store_false")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", help="write the figures as JSON here")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    if not (Path(args.classifier) / "config.json").is_file():
        print(f"no classifier at {args.classifier}; build it with: python -m cgce.bundle --concept nudity", file=sys.stderr)
        return 2
    t0 = time.time()
    encoder = load_encoder("minilm")
    guard = ConceptGuard([ConceptClassifier.from_pretrained(args.classifier, expected_fingerprint=encoder.fingerprint)])
    targets, concept_pairs = load_targets(args, guard, encoder)
    concept = concept_vector(encoder, concept_pairs)
    settings = {k: v for k, v in vars(args).items() if k != "out"} | {
        "flagged_targets": len(targets), "threshold": guard.classifiers[0].threshold,
        "defaults": {"ringabell": RingABellConfig().to_dict(), "mma": MMAConfig().to_dict(), "adaptive": AdaptiveConfig().to_dict()},
    }
    print("settings:", json.dumps({k: v for k, v in settings.items() if k != "defaults"}), flush=True)
    print(f"part 1: final objective (lower is better), {args.budget} queries, median over {min(args.targets, len(targets))} targets")
    part1 = compare(args, encoder, guard, targets, concept)
    print(f"part 2: adaptive attack vs the nudity guard, {min(args.evasion_targets, len(targets))} flagged targets")
    part2 = evasion(args, encoder, guard, targets)
    print(f"total {time.time() - t0:.0f} s")
    if args.out:
        Path(args.out).write_text(json.dumps({"settings": settings, "objective": part1, "evasion": part2}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
