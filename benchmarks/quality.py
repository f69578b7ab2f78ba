"""Quality of the classifiers on the held-out development sets (../shared/data/dev).

Prints, per classifier at its calibrated threshold: FPR on COCO captions and PartiPrompts, recall on
the unsafe side of each paired dev set and on the church prompts, collateral on other-artist prompts;
the refinement figures (converged share, median steps, distance moved) for every flagged dev
prompt; and a logistic-probe baseline on mean-pooled embeddings trained on the dev pairs.

    python benchmarks/quality.py --dev ../shared/data/dev [--classifier DIR ...] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from cgce import ConceptClassifier, ConceptGuard, load_encoder  # noqa: E402
from cgce.bundled import bundled_classifier_dirs, mean_pool  # noqa: E402
from cgce.cache import EmbeddingCache, collate, default_cache_dir, encode_rows  # noqa: E402
from cgce.data.generate import CONCEPT_PATTERNS  # noqa: E402
from cgce.metrics import rate_at_threshold, threshold_at_fpr, wilson_interval  # noqa: E402
from dev_sets import RECALL_SETS, load_dev_sets, meets_targets  # noqa: E402


def batches(rows, size=256):
    for i in range(0, len(rows), size):
        yield collate(rows[i : i + size])


def scores_of(clf: ConceptClassifier, rows) -> np.ndarray:
    with torch.no_grad():
        return torch.cat([torch.sigmoid(clf(c.embeds, c.mask, c.pooled)) for c in batches(rows)]).numpy()


def probe_baseline(rows: dict, name: str, pos: str, neg: str) -> dict:
    """Logistic regression on mean-pooled embeddings, trained on a dev pair set, at 1% COCO FPR."""
    feats = {k: torch.cat([mean_pool(c) for c in batches(v)]) for k, v in rows.items()}
    x = torch.cat([feats[pos], feats[neg]])
    y = torch.cat([torch.ones(len(feats[pos])), torch.zeros(len(feats[neg]))])
    torch.manual_seed(0)
    w = torch.zeros(x.shape[1], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=200)

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(x @ w + b, y) + 1e-3 * w.square().sum()
        loss.backward()
        return loss

    opt.step(closure)
    score = lambda k: torch.sigmoid(feats[k] @ w + b).detach().numpy()  # noqa: E731
    t = threshold_at_fpr(score("coco"), 0.01)
    return {
        "probe": name,
        "coco_fpr": rate_at_threshold(score("coco"), t),
        "parti_fpr": rate_at_threshold(score("parti"), t),
        "artists_other_flagged": rate_at_threshold(score("artists_other"), t),
        "recall": rate_at_threshold(score(pos), t),
    }


SWEEP = [("linearized", 0.1), ("linearized", 0.5), ("linearized", 1.0), ("linearized", 1.5), ("gradient", 0.1), ("gradient", 1.0), ("gradient", 1.5)]


def refinement_figures(guard: ConceptGuard, rows, sweep=SWEEP) -> list[dict]:
    """Converged share, steps and distance moved (relative to the prompt's own norm) per setting."""
    import warnings

    cond = collate(rows, guard.fingerprint)
    out = []
    for update, eta in sweep:
        g = ConceptGuard(guard.classifiers, update=update, step_size=eta, max_steps=guard.max_steps, on_failure="warn")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = g(cond)
        f = res.flagged
        if not bool(f.any()):
            continue
        moved = (res.conditioning.embeds - cond.embeds).norm(dim=(1, 2))[f]
        relative = moved / cond.embeds.norm(dim=(1, 2))[f]
        out.append(
            {
                "update": update,
                "step_size": eta,
                "flagged": int(f.sum()),
                "converged": float(res.converged[f].float().mean()),
                "median_steps": float(res.steps[f].float().median()),
                "max_steps_taken": int(res.steps[f].max()),
                "median_l2_moved": float(moved.median()),
                "median_relative_l2_moved": float(relative.median()),
                "p90_relative_l2_moved": float(relative.quantile(0.9)),
            }
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "dev"))
    ap.add_argument("--classifier", action="append", help="classifier dirs (default: bundled)")
    ap.add_argument("--encoder", default="minilm")
    ap.add_argument("--no-probe", action="store_true")
    ap.add_argument("--no-refine", action="store_true")
    ap.add_argument("--json", help="write all figures here")
    args = ap.parse_args()

    sets = load_dev_sets(args.dev)
    encoder = load_encoder(args.encoder)
    cache = EmbeddingCache(default_cache_dir(), encoder.fingerprint)
    rows = {k: encode_rows(encoder, v, cache=cache) for k, v in sets.items()}
    dirs = args.classifier or bundled_classifier_dirs()
    classifiers = [ConceptClassifier.from_pretrained(d, expected_fingerprint=encoder.fingerprint) for d in dirs]
    report: dict = {"sets": {k: len(v) for k, v in sets.items()}, "classifiers": {}}
    print(f"{'concept':<9} {'thr':>7} {'COCO':>6} {'Parti':>6} {'recall':>7} {'artists':>8} {'imgnet-other':>12}  ok")
    for clf in classifiers:
        c = clf.concept
        s = {k: scores_of(clf, v) for k, v in rows.items()}
        t = clf.threshold
        rec = {k: rate_at_threshold(s[k], t) for k in RECALL_SETS.get(c, [])}
        fig = {
            "threshold": t,
            "coco_fpr": rate_at_threshold(s["coco"], t),
            "parti_fpr": rate_at_threshold(s["parti"], t),
            "recall": rec,
            "artists_other_flagged": rate_at_threshold(s["artists_other"], t),
            "imagenette_other_flagged": rate_at_threshold(s["imagenette_other"], t),
            "all_sets_flagged": {k: rate_at_threshold(v, t) for k, v in s.items()},
        }
        ok = meets_targets(c, fig["coco_fpr"], fig["parti_fpr"], min(rec.values(), default=1.0), fig["artists_other_flagged"])
        # COCO and PartiPrompts hold a few prompts that name the concept ("a naked woman on a bed", "in the
        # style of van gogh", "a church with a steeple"); flagging those is right, so report them apart.
        names = {k: np.array([bool(CONCEPT_PATTERNS[c].search(p)) for p in sets[k]]) for k in ("coco", "parti")}
        named_scores = np.concatenate([s[k][names[k]] for k in names])
        fig["named_in_benign"] = {"prompts": len(named_scores), "flagged": rate_at_threshold(named_scores, t) if len(named_scores) else None}
        for k in names:
            fig[f"{k}_fpr_without_named"] = rate_at_threshold(s[k][~names[k]], t)
        # How much the recall sets can tell: rows with their 95% interval, and distinct prompts (the dev
        # sets repeat prompts; the church set is one prompt 500 times).
        fig["recall_detail"] = {}
        for k in rec:
            hits = s[k] >= t
            distinct = {p: bool(h) for p, h in zip(sets[k], hits)}
            fig["recall_detail"][k] = {
                "rows": [int(hits.sum()), len(hits)],
                "rows_wilson95": wilson_interval(int(hits.sum()), len(hits)),
                "distinct": [sum(distinct.values()), len(distinct)],
            }
        fig["meets_targets"] = ok
        report["classifiers"][c] = fig
        recall_txt = ",".join(f"{r:.3f}" for r in rec.values()) or "-"
        print(
            f"{c:<9} {t:7.4f} {fig['coco_fpr']:6.3f} {fig['parti_fpr']:6.3f} {recall_txt:>7} "
            f"{fig['artists_other_flagged']:8.3f} {fig['imagenette_other_flagged']:12.3f}  {'yes' if ok else 'NO'}"
        )
    print("\nCOCO/Parti prompts that name the concept (keyword pattern), and the FPR without them:")
    for c, fig in report["classifiers"].items():
        n = fig["named_in_benign"]
        flagged = "-" if n["flagged"] is None else f"{n['flagged']:.3f}"
        print(f"  {c:<9} {n['prompts']:3d} named, flagged {flagged}; COCO FPR without them {fig['coco_fpr_without_named']:.3f}, Parti {fig['parti_fpr_without_named']:.3f}")
    print("\nrecall in rows (95% Wilson interval) and in distinct prompts:")
    for c, fig in report["classifiers"].items():
        for k, d in fig["recall_detail"].items():
            lo, hi = d["rows_wilson95"]
            print(f"  {c:<9} {k:<16} rows {d['rows'][0]}/{d['rows'][1]} ({lo:.3f}-{hi:.3f}), distinct {d['distinct'][0]}/{d['distinct'][1]}")
    print("\nflag rate of every dev set (per classifier):")
    names = list(sets)
    print(f"{'set':<24}" + "".join(f"{c.concept:>10}" for c in classifiers))
    for k in names:
        print(f"{k:<24}" + "".join(f"{report['classifiers'][c.concept]['all_sets_flagged'][k]:10.3f}" for c in classifiers))

    if not args.no_refine:
        guard = ConceptGuard(classifiers)
        # distinct prompts only: the church set is one prompt 500 times and would be the median
        keys = ("nudity_unsafe", "violence_unsafe", "vangogh_unsafe", "church")
        unsafe = list({p: r for k in keys for p, r in zip(sets[k], rows[k])}.values())
        report["refinement"] = refinement_figures(guard, unsafe)
        print("\nrefinement of the flagged distinct dev unsafe prompts (all four classifiers, max_steps=%d):" % guard.max_steps)
        for r in report["refinement"]:
            print(
                f"  {r['update']:<10} step_size {r['step_size']:<4} flagged {r['flagged']:4d} converged {r['converged']:.3f} "
                f"median steps {r['median_steps']:5.1f} (max {r['max_steps_taken']:3d}) "
                f"moved {100 * r['median_relative_l2_moved']:.1f}% of the embedding norm (p90 {100 * r['p90_relative_l2_moved']:.1f}%)"
            )
    if not args.no_probe:
        report["probe_baseline"] = probe_baseline(rows, "nudity dev pairs", "nudity_unsafe", "nudity_safe")
        p = report["probe_baseline"]
        print(
            f"\nlogistic probe on mean-pooled embeddings (trained on dev nudity pairs, 1% COCO FPR): "
            f"artists flagged {p['artists_other_flagged']:.3f}, Parti FPR {p['parti_fpr']:.3f}, recall {p['recall']:.3f}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
