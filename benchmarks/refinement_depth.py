"""Does refining deeper into the classifier's safe side also convince an independent detector?

For each refinement setting (update rule, step size, margin below the threshold in logits), runs
`cgce.eval` on the dev nudity and violence sets with the bundled guard and prints, over the flagged
prompts: converged share, probe ASR (the share the independent probe -- logistic regression on
mean-pooled embeddings, trained on a differently seeded generator run -- still flags after
refinement), and the mean cosine of the refined to the original (mean-pooled) embedding.

    python benchmarks/refinement_depth.py [--dev ../shared/data/dev] [--margins 0.5 2 4 8]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import REPO, available_bundled, dev_sets  # noqa: E402
from cgce.eval import EvalConfig, run_eval  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(REPO / ".." / "shared" / "data" / "dev"))
    ap.add_argument("--margins", type=float, nargs="+", default=[0.5, 2.0, 4.0, 8.0])
    args = ap.parse_args()
    dev = Path(args.dev)
    if not dev.is_dir():
        print(f"no dev data at {dev}", file=sys.stderr)
        return 2
    settings = [("linearized", 1.0, m) for m in args.margins] + [("gradient", 1.0, 0.5)]
    print(f"{'update':<11}{'eta':>4}{'margin':>7}  {'set':<22}{'flagged':>8}{'conv%':>7}{'probeASR%':>10}{'cosine':>8}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        attack, benign = dev_sets(dev, tmp)
        attack = [s for s in attack if s.concept in ("nudity", "violence")]
        dirs = [str(d) for d in available_bundled()]
        for update, eta, margin in settings:
            config = EvalConfig(
                sets=attack, benign=benign[:1], out=str(tmp / f"{update}-{eta}-{margin}"), classifiers=dirs, baselines=[],
                update=update, step_size=eta, margin=margin, plots=False,
            )
            report = run_eval(config, restart=True)
            assert report is not None
            for name, r in report["refinement"].items():
                asr = r.get("probe_asr")
                print(
                    f"{update:<11}{eta:>4}{margin:>7}  {name:<22}{r['flagged']:>8}{100 * r['converged']:>7.1f}"
                    f"{'-' if asr is None else f'{100 * asr:.1f}':>10}{r['cosine_to_original']:>8.3f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
