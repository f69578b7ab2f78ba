"""CGCE vs peer baselines on the development sets (../shared/data/dev), through `cgce.eval`.

Two calibrations, each applied to every method alike: (1) 1% FPR on the built-in benign prompts,
(2) 1% FPR on the COCO dev captions (the issue's table). Prints miss rate (attack sets) and FPR
(benign sets) per method, then, per bundled classifier, the refinement figures on its own paired
dev set: probe ASR (independent probe, built-in generator with another seed), cosine to the
original embedding, and nearest-pair accuracy among the set's safe counterparts.

    python benchmarks/baselines.py [--dev ../shared/data/dev] [--classifier DIR ...] [--out DIR] [--json out.json]

Nothing is tuned here; the field's reserved red-team benchmarks are not used.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from cgce.eval import EvalConfig, SetSpec, run_eval  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _filtered(src: Path, dst: Path, column: str, keep) -> str:
    with src.open(encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if keep(r)]
    with dst.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["prompt"])
        w.writerows([[r[column]] for r in rows])
    return str(dst)


def dev_sets(dev: Path, tmp: Path) -> tuple[list[SetSpec], list[SetSpec]]:
    attack = [
        SetSpec("nudity_pairs", str(dev / "nudity/paired_nudity_rece.csv"), format="p4d", concept="nudity"),
        SetSpec("nudity_inappropriate", _filtered(dev / "nudity/inappropriate_11_classes_rece.csv", tmp / "inapp_nudity.csv", "prompt",
                                                  lambda r: r["class"] in ("Nudity", "Sexual")), concept="nudity"),
        SetSpec("violence_pairs", str(dev / "violence/paired_violence_ringabell.csv"), format="csv", column="prompt",
                pair_column="prompt1", concept="violence"),
        SetSpec("vangogh_pairs", str(dev / "vangogh/paired_vangogh_rece.csv"), format="p4d", concept="vangogh"),
        SetSpec("church", _filtered(dev / "church/imagenette_10_classes.csv", tmp / "church.csv", "prompt", lambda r: r["class"] == "church"),
                concept="church"),
    ]
    benign = [
        SetSpec("coco", str(dev / "benign/coco_captions_dev.csv"), format="csv", column="prompt"),
        SetSpec("parti", str(dev / "benign/partiprompts.tsv"), format="tsv", column="Prompt"),
        SetSpec("artists_other", _filtered(dev / "artists/generic_artists_prompts.csv", tmp / "artists.csv", "prompt",
                                           lambda r: "gogh" not in (r.get("artist", "") + r["prompt"]).lower())),
    ]
    return attack, benign


def available_bundled() -> list[Path]:
    """The bundled classifiers present now (they may be mid-retraining)."""
    from cgce.bundled import BUNDLED_CONCEPTS, BUNDLED_DIR

    return [BUNDLED_DIR / c for c in BUNDLED_CONCEPTS if (BUNDLED_DIR / c / "config.json").is_file()]


def table(report: dict) -> str:
    det = report["detection"]
    names = list(det)
    methods = list(dict.fromkeys(m for d in det.values() for m in d["methods"]))
    head = f"{'method':<16}" + "".join(f"{n[:16]:>17}" for n in names)
    lines = [head, " " * 16 + "".join(f"{('miss%' if det[n]['role'] == 'attack' else 'FPR%'):>17}" for n in names)]
    for m in methods:
        cells = []
        for n in names:
            e = det[n]["methods"].get(m)
            v = None if e is None else (e.get("miss_rate") if det[n]["role"] == "attack" else e.get("fpr"))
            cells.append(f"{'-' if v is None else f'{100 * v:.1f}':>17}")
        lines.append(f"{m:<16}" + "".join(cells))
    return "\n".join(lines)


def refinement_table(report: dict) -> str:
    lines = [f"{'set':<22}{'concept':<10}{'flagged':>8}{'conv%':>7}{'probeASR%':>10}{'probe-before%':>14}{'cosine':>8}{'NN-pair%':>9}"]
    for n, r in report["refinement"].items():
        if report["detection"][n]["role"] != "attack":
            continue
        pct = lambda x: "-" if x is None else f"{100 * x:.1f}"  # noqa: E731
        cos = r["cosine_to_original"]
        lines.append(
            f"{n:<22}{report['detection'][n]['concept']:<10}{r['flagged']:>8}{pct(r['converged']):>7}{pct(r.get('probe_asr')):>10}"
            f"{pct(r.get('probe_flag_rate_before')):>14}{'-' if cos is None else f'{cos:.3f}':>8}{pct(r.get('nearest_pair_accuracy')):>9}"
        )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(REPO / ".." / "shared" / "data" / "dev"))
    ap.add_argument("--classifier", action="append", default=[], help="classifier dirs (default: bundled)")
    ap.add_argument("--out", default=None, help="where the two eval runs write their reports (default: a temp dir)")
    ap.add_argument("--target-fpr", type=float, default=0.01)
    ap.add_argument("--json", help="write both reports' key figures here")
    args = ap.parse_args()
    dev = Path(args.dev)
    if not dev.is_dir():
        print(f"no dev data at {dev}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        out_root = Path(args.out) if args.out else tmp / "out"
        attack, benign = dev_sets(dev, tmp)
        dirs = args.classifier or [str(d) for d in available_bundled()]
        concepts = {json.loads((Path(d) / "config.json").read_text())["concept"] for d in dirs}
        skipped = [s.name for s in attack if s.concept not in concepts]
        attack = [s for s in attack if s.concept in concepts]
        if skipped:
            print(f"sets skipped (no classifier for their concept): {skipped}", file=sys.stderr)
        results = {}
        for label, calibration in (("builtin-benign", "builtin"), ("coco", str(dev / "benign/coco_captions_dev.csv"))):
            config = EvalConfig(
                sets=attack, benign=benign, out=str(out_root / label), classifiers=dirs, target_fpr=args.target_fpr,
                calibration=calibration, plots=True,
            )
            report = run_eval(config, restart=True)
            assert report is not None
            results[label] = report
            print(f"\n=== calibration: {args.target_fpr:.0%} FPR on {report['calibration']['source']} (n={report['calibration']['n']}) ===")
            print("(cgce = the classifier's own shipped threshold; every other row is calibrated here)")
            print(table(report))
        print("\n=== refinement of flagged dev prompts (bundled guard, independent probe) ===")
        print(refinement_table(results["coco"]))
        if args.json:
            Path(args.json).write_text(
                json.dumps({k: {s: r[s] for s in ("calibration", "detection", "refinement", "probe")} for k, r in results.items()}, indent=2)
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
